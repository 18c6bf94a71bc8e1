"""The evaluation of a period's targets.

It computes every result in the database (into stage tables, association by association, on a second
connection), and writes, in one transaction, only the results whose numbers changed: running it twice
changes nothing the second time, and a failure half-way leaves the previous results as they were.

Its SQL is assembled from table and column names of this module and from querysets compiled by the
ORM; every value is a query parameter (hence its S608 exemption in pyproject.toml).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.alongside import Ahead, Alongside
from kpmi_si.jobs import run_lock
from kpmi_si.outbox.services import task_enqueue

from .. import permissions
from ..metrics import KPMI, METRICS, SUBJECT_SCANS, Metric, shared_scans, subjects
from ..models import Association, Evaluation, MonthlyActual, Period, StaleResult, Target, TargetResult
from ..signals import evaluation_succeeded

logger = logging.getLogger(__name__)

RESULTS = TargetResult._meta.db_table
TARGETS = Target._meta.db_table
# Where a run puts the results it computed before it writes them: a table per association and kind of
# subject, named after the period (`_stage_tables`), so that runs of different periods never see each
# other's rows; the run lock keeps a period to one run at a time.
STAGE = "kpmi_evaluation_stage"
S = TargetResult.Status
# The status rule over a row's target and actual and the elapsed share of the period (one parameter):
# achieved when the target is met; not started with nothing done; on track when the actual keeps pace
# with the share of the period that has passed; behind otherwise. SQL, so that the database computes
# it for every subject in the statement that stores the results.
STATUS_SQL = (
    f"CASE WHEN actual >= target THEN '{S.ACHIEVED}' WHEN actual = 0 THEN '{S.NOT_STARTED}' "
    f"WHEN actual >= target * %s THEN '{S.ON_TRACK}' ELSE '{S.BEHIND}' END"
)
# A zero target is met by anything: ratio 1.
RATIO_SQL = "CASE WHEN target = 0 THEN 1 ELSE ROUND(actual * 1.0 / target, 3) END"
# What a result holds besides its key; a stored result is rewritten only when one of these changed.
COMPARED = ("target", "actual", "ratio", "status", "kecamatan_id", "kpmi_id", "association_id")
# The evaluation's SQL is built with f-strings from the constants above and from ORM-compiled
# querysets; every value travels as a query parameter. So bandit's B608 (SQL built from strings) is
# waived on each statement below, as ruff's S608 is for this file in pyproject.toml.


def _elapsed(period: Period, today: dt.date) -> Decimal:
    if today >= period.end:
        return Decimal(1)
    if today < period.start:
        return Decimal(0)
    days = (period.end - period.start).days + 1
    return Decimal((today - period.start).days + 1) / Decimal(days)


def evaluation_create(*, actor: Any, period: Period) -> tuple[Evaluation, bool]:
    """A queued evaluation of the period, or the one already waiting or running (created=False)."""
    if actor is not None and not permissions.can_evaluate(actor):
        raise PermissionDenied
    if period.is_closed:
        raise ValidationError(_("The period %(name)s is closed; its results are frozen.") % {"name": period.name})
    with transaction.atomic():
        # A run that lost its worker long ago must not block every future run.
        Evaluation.expire_stale(period=period)
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(
                    period=period, requested_by=actor if getattr(actor, "is_authenticated", False) else None
                )
        except IntegrityError:
            # The database allows one active evaluation per period: join the one under way.
            active = Evaluation.objects.get(
                period=period, status__in=[Evaluation.Status.QUEUED, Evaluation.Status.RUNNING]
            )
            return active, False
    return evaluation, True


def evaluation_request(*, actor: Any, period: Period) -> Evaluation:
    """Queue an evaluation of a period and hand it to a worker once the request is committed."""
    with transaction.atomic():
        evaluation, created = evaluation_create(actor=actor, period=period)
        if created:
            task_enqueue(evaluate_period_task, evaluation.pk)
    return evaluation


def _stage_tables(period: Period) -> list[tuple[str, str, str]]:
    """The stage's tables of a period's run, (name, association, subject): one per association and
    kind of subject, in the registry's order (see `_stage`). One kind per table, so that the write
    reads a kind's rows without a filter the planner cannot estimate (a stage table has no
    statistics). Named after the period: the run lock lets one run of a period at a time."""
    pairs = dict.fromkeys((metric.association, metric.subject) for metric in METRICS.values())
    return [(f"{STAGE}_{period.pk}_{association}_{subject}", association, subject) for association, subject in pairs]


def _drop_stage(cursor: Any, period: Period) -> None:
    tables = [name for name, _association, _subject in _stage_tables(period)]
    # One statement on PostgreSQL; SQLite drops one table per statement.
    for names in [tables] if connection.vendor == "postgresql" else [[table] for table in tables]:
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(names)}")


@functools.lru_cache(maxsize=256)
def _compiled(
    metric: Metric, start: dt.date, end: dt.date, vendor: str, zone: str
) -> tuple[str, tuple[Any, ...], str, tuple[Any, ...]]:
    """A metric's subjects and its counting query over [start, end], compiled by the ORM once per
    process (per database and time zone, which a date's condition may name): compiling them cost
    about as much as running them for the few subjects of a refresh."""
    subjects_sql, subjects_params = subjects(metric).query.sql_with_params()
    actuals_sql, actuals_params = metric.per_subject(start, end).query.sql_with_params()
    return subjects_sql, tuple(subjects_params), actuals_sql, tuple(actuals_params)


@functools.lru_cache(maxsize=64)
def _compiled_scan(name: str, start: dt.date, end: dt.date, vendor: str, zone: str) -> tuple[str, tuple[Any, ...]]:
    """A shared scan of several metrics' actuals (metrics.SUBJECT_SCANS), compiled once per process."""
    sql, params = SUBJECT_SCANS[name](start, end).query.sql_with_params()
    return sql, tuple(params)


def _shared_scans_sql(codes: list[str], period: Period) -> tuple[list[str], list[Any], dict[str, str]]:
    """The common table expressions of the scans that two or more of `codes` share (`Metric.scan`),
    their params, and per metric sharing one the SELECT of its (subject, actual) rows from it. A table
    expression read twice is computed once (PostgreSQL materialises it; SQLite may not, which changes
    no number)."""
    names = [METRICS[code].scan[0] for code in codes if METRICS[code].scan]
    shared = [name for name in dict.fromkeys(names) if names.count(name) > 1]
    ctes, params, actuals = [], [], {}
    for name in shared:
        sql, scan_params = _compiled_scan(
            name, period.start, period.end, connection.vendor, timezone.get_current_timezone_name()
        )
        width = max(METRICS[code].scan[1] for code in codes if METRICS[code].scan and METRICS[code].scan[0] == name)
        columns = ", ".join(["id", *(f"c{i}" for i in range(1, width + 1))])
        ctes.append(f"scan_{name}({columns}) AS ({sql})")
        params += scan_params
        for code in codes:
            if METRICS[code].scan and METRICS[code].scan[0] == name:
                actuals[code] = f"SELECT id, c{METRICS[code].scan[1]} FROM scan_{name}"  # nosec B608
    return ctes, params, actuals


def metric_results_sql(
    metric: Metric,
    n: int,
    period: Period,
    elapsed: Any,
    ids: list[int] | None = None,
    ids_array: Any = None,
    actuals: str | None = None,
) -> tuple[list[str], list[Any], str, list[Any]]:
    """One metric's results as SQL: common table expressions suffixed `n` — its subjects (only `ids`
    when given: the refresh's), their actuals, the default and overridden targets — and the SELECT of
    its rows with ratio and status in the stage's columns (none when the metric has no target).
    Returns (CTEs, their params, the SELECT, its params), so that several metrics' results can be
    computed in one statement. A condition on `ids` is on the grouping column of the counting query,
    which PostgreSQL pushes into it: an index lookup per subject, not a scan of the period.
    `ids_array` instead of `ids` names the subjects with one parameter, an array (PostgreSQL only):
    the refresh's prepared statements take any number of subjects (associations.refresh). `actuals`
    (a full evaluation's, without `ids`) reads the actuals from a shared scan (`_shared_scans_sql`)
    instead of the metric's own counting query."""
    key = "kpmi_id" if metric.subject == KPMI else "member_id"
    subjects_sql, subjects_params, actuals_sql, actuals_params = _compiled(
        metric, period.start, period.end, connection.vendor, timezone.get_current_timezone_name()
    )
    if actuals is not None:
        actuals_sql, actuals_params = actuals, ()
    ids = [ids_array] if ids_array is not None else list(ids or ())
    if ids_array is not None:
        only = "SELECT * FROM {} WHERE id = ANY(%s)"
    else:
        only = f"SELECT * FROM {{}} WHERE id IN ({', '.join(['%s'] * len(ids))})" if ids else "SELECT * FROM {}"  # nosec B608
    targets = f"SELECT {{}} FROM {TARGETS} WHERE period_id = %s AND metric = %s AND {{}}"  # nosec B608
    ctes = [
        f"s{n}_(id, kpmi_id, kecamatan_id) AS ({subjects_sql})",
        f"s{n} AS ({only.format(f's{n}_')})",
        f"a{n}_(id, n) AS ({actuals_sql})",
        f"a{n} AS ({only.format(f'a{n}_')})",
        f"o{n}(id, value) AS ({targets.format(f'{key}, value', f'{key} IS NOT NULL')})",
        f"d{n}(value) AS ({targets.format('value', 'kpmi_id IS NULL AND member_id IS NULL')})",
        # The default (at most one row) joined, not a scalar subquery: the ratio and status repeat the
        # target, and PostgreSQL planned the subquery once per mention.
        f"r{n} AS (SELECT s.id, s.kpmi_id, s.kecamatan_id, COALESCE(o.value, d.value) AS target, "  # nosec B608
        f"COALESCE(a.n, 0) AS actual FROM s{n} s LEFT JOIN a{n} a ON a.id = s.id LEFT JOIN o{n} o ON o.id = s.id "
        f"LEFT JOIN d{n} d ON 1 = 1)",
    ]
    cte_params = [*subjects_params, *ids, *actuals_params, *ids, period.pk, metric.code, period.pk, metric.code]
    select = (
        f"SELECT CAST(%s AS VARCHAR(32)) AS metric, target, actual, {RATIO_SQL} AS ratio, {STATUS_SQL} AS status, "  # nosec B608
        f"kecamatan_id, kpmi_id, (SELECT id FROM {Association._meta.db_table} WHERE code = %s) AS association_id, "
        f"{'CAST(NULL AS BIGINT)' if metric.subject == KPMI else 'id'} AS member_id FROM r{n} WHERE target IS NOT NULL"
    )
    return ctes, cte_params, select, [metric.code, elapsed, metric.association]


@contextmanager
def _unsynced(cursor: Any) -> Iterator[None]:
    """Commits that need not wait for the disk: the stage's tables (unlogged, dropped by the next run
    when this one dies) and the progress reports are lost with the process anyway, and each synchronous
    commit waited for a WAL flush (a few ms on a busy server). Whatever commits later synchronously (the
    results' write) flushes them too."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        cursor.execute("RESET synchronous_commit")


def _stage(evaluation: Evaluation, today: dt.date, codes: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Compute every result the period should have into the stage, one statement per association and
    kind of subject (all its metrics' subjects, actuals, default and overridden targets, ratio and
    status joined in the database), and yield each table as it is done: (name, its metrics). Each
    statement commits on its own, so that the progress bar moves while it works and the writer, on
    another connection, reads the table; nothing the dashboards read changes here.

    Few statements, as each costs a round trip and often a commit whatever it computes (about a
    hundred per run before issue #16's second pass, a fixed cost that weighed most at Garut): CREATE
    TABLE AS straight from the counting, no copy into a common table, no index or ANALYZE of the stage
    (the write joins it by hash), one progress report per table."""
    period = evaluation.period
    elapsed = float(_elapsed(period, today))
    # On PostgreSQL an unlogged table, which the writer's connection can read: its rows are lost
    # in a crash, as a temporary table's would be, and only this run reads them.
    kind = "UNLOGGED" if connection.vendor == "postgresql" else "TEMPORARY"
    done = 0
    with connection.cursor() as cursor, _unsynced(cursor):
        for table, association, subject in _stage_tables(period):
            group = [
                code for code in codes if (METRICS[code].association, METRICS[code].subject) == (association, subject)
            ]
            if not group:
                continue
            # Metrics counting the same rows (the Entrepreneurs association's orders, its postings)
            # read them in one scan.
            ctes, cte_params, shared = _shared_scans_sql(group, period)
            selects, select_params = [], []
            for n, code in enumerate(group):
                sql = metric_results_sql(METRICS[code], n, period, elapsed, actuals=shared.get(code))
                ctes += sql[0]
                cte_params += sql[1]
                selects.append(sql[2])
                select_params += sql[3]
            # CREATE TABLE AS, not INSERT ... SELECT: PostgreSQL runs the counting in parallel workers
            # only for a statement that writes no existing table (1.45 s against 2.0 s for a
            # province's publications, measured).
            cursor.execute(
                f"CREATE {kind} TABLE {table} AS WITH {', '.join(ctes)} {' UNION ALL '.join(selects)}",  # nosec B608
                [*cte_params, *select_params],
            )
            done += len(group)
            # The total rides on the first report: until then the bar reads 0 % either way.
            evaluation.report_steps(done=done, total=len(codes) if done == len(group) else None)
            yield table, group


def _month_series(period: Period, codes: list[str]) -> dict[tuple[str, dt.date], int]:
    """The regency's month series of every metric with a target, (metric, month) -> amount. Metrics
    whose series read the same rows (the logged work of the period, its orders, its postings) share
    one scan of them."""
    monthly: dict[tuple[str, dt.date], int] = {}
    with shared_scans():
        for code in codes:
            for month, n in METRICS[code].per_month(period.start, period.end).items():
                monthly[(code, month)] = n
    return monthly


def period_evaluate(*, evaluation_id: int, today: dt.date | None = None, wait: bool = False) -> Evaluation | None:
    """Run one queued (or interrupted) evaluation to the end. Safe to call twice and after a worker
    was killed half-way: it claims the row, recomputes everything and writes only the differences.
    None when there was nothing to do: it finished already, never existed, or another process is
    running it now (with `wait`, this call waits for that run to end, then finds it finished)."""
    today = today or timezone.localdate()
    period_id = Evaluation.objects.filter(pk=evaluation_id).values_list("period_id", flat=True).first()
    if period_id is None:
        return None
    with run_lock("associations.evaluation", period_id, wait=wait) as held:
        if not held or not Evaluation.claim(evaluation_id):
            return None
        return _evaluate(evaluation_id, today)


def _evaluate(evaluation_id: int, today: dt.date) -> Evaluation:
    evaluation = Evaluation.objects.select_related("period").get(pk=evaluation_id)
    period = evaluation.period
    try:
        if period.is_closed:
            raise ValidationError(_("The period %(name)s is closed; its results are frozen.") % {"name": period.name})
        with connection.cursor() as cursor:
            dropped = False
            try:
                # Left over by a run of this period that was killed half-way.
                with _unsynced(cursor):
                    _drop_stage(cursor, period)
                # Changes committed before the stage are in it: their marks for the refresh job
                # (associations.refresh) are settled by this run; a mark written later waits for it.
                settled = list(StaleResult.objects.filter(period=period).values_list("pk", flat=True))
                with_target = set(Target.objects.filter(period=period).values_list("metric", flat=True))
                codes = [code for code in METRICS if code in with_target]
                # The stage is computed on a second connection (kpmi_si.alongside.Ahead), one association
                # after another, while this one writes each association's results as soon as they are
                # staged; the regency's month series on a third. A first evaluation's write keeps one
                # server process busy (1.0-1.3 s of ~2.4 at Province) that the database's other cores
                # spend counting meanwhile, instead of taking turns.
                staged = Ahead(functools.partial(_stage, evaluation, today, codes))
                months = Alongside(functools.partial(_month_series, period, codes))
                try:
                    with transaction.atomic():
                        # Closing the period waits for this write, and this write for a close under way.
                        period = Period.objects.select_for_update().get(pk=period.pk)
                        if period.is_closed:
                            raise ValidationError(
                                _("The period %(name)s is closed; its results are frozen.") % {"name": period.name}
                            )
                        changed = _write_results(cursor, period, staged, codes)
                        changed += _write_monthly(period, months.result())
                        StaleResult.objects.filter(pk__in=settled).delete()
                        evaluation.succeed(results_changed=changed)
                        # The stage goes with the write's commit, not in round trips of its own after it.
                        _drop_stage(cursor, period)
                finally:
                    staged.stop()
                    months.join()
                dropped = True
            finally:
                if not dropped:  # the write did not commit (or never began): the stage may be there
                    with _unsynced(cursor):
                        _drop_stage(cursor, period)
    except Exception as exc:
        # The write transaction rolled back: the previous results stand. The run is marked failed
        # for the officer to see; the exception is logged, not re-raised, so an in-process run
        # (no broker) does not turn into a server error for the officer who started it.
        logger.exception("Evaluation %s of period %s failed", evaluation_id, period)
        evaluation.fail(exc)
    evaluation.refresh_from_db()
    return evaluation


def _write_results(cursor: Any, period: Period, staged: Iterable[tuple[str, list[str]]], codes: list[str]) -> int:
    """Store the staged results, each stage table as it comes: insert the new, rewrite the changed,
    delete the ones no longer due (a dissolved group, a removed target). Set-based, so that a first
    evaluation of tens of thousands of subjects costs about what computing them costs. Returns how
    many rows changed.

    First the results of metrics that no longer have a target; then per stage table, where its
    metrics have no stored result yet (a first evaluation), one plain INSERT, else three statements,
    each joining it by hash on a result's key: its metric and its member, or its KPMI negated when it
    has none (ids are positive). Plain UPDATE and INSERT, not an upsert: nobody else writes
    this period's results meanwhile (the caller holds the period's row lock, which the refresh job
    takes too, and the run lock), and INSERT ... ON CONFLICT paid for every row a probe of the unique
    index before the insert and a second WAL record to confirm it, a third of a first evaluation's
    write (measured at Garut: 3,234 results 180 -> 120 ms under load). Should a row appear anyway, the
    unique indexes refuse it and the run fails with the old results intact."""
    now = timezone.now()
    key = "s.metric = {r}.metric AND COALESCE(s.member_id, -s.kpmi_id) = COALESCE({r}.member_id, -{r}.kpmi_id)"
    if connection.vendor == "postgresql":
        # The stage has no statistics, and PostgreSQL then chose to sort both sides of the UPDATE's
        # join by metric and key (a merge join: 120-140 ms against 45-55 ms by hash for a Garut
        # re-evaluation that changes nothing), or, where the results' statistics lagged too, to read
        # the stage once per stored result (a nested loop: 150-270 ms against 3 ms for the 2,488
        # results of one Garut metric). Every join here is a whole table's with another: by hash.
        # For this transaction only.
        cursor.execute("SELECT set_config('enable_mergejoin', 'off', true), set_config('enable_nestloop', 'off', true)")
    differs = " OR ".join(f"{RESULTS}.{name} <> s.{name}" for name in COMPARED)
    assign = ", ".join(f"{name} = s.{name}" for name in COMPARED)
    columns = ", ".join(COMPARED)
    # The metrics without a target in the period first (a removed target; every metric when none is
    # left): while the period's stored rows are few (none in a first evaluation).
    others = f"AND metric NOT IN ({', '.join(['%s'] * len(codes))})" if codes else ""
    cursor.execute(f"DELETE FROM {RESULTS} WHERE period_id = %s {others}", [period.pk, *codes])  # nosec B608
    changed = cursor.rowcount
    for table, group in staged:
        metrics = f"IN ({', '.join(['%s'] * len(group))})"
        stored = f"SELECT 1 FROM {RESULTS} WHERE period_id = %s AND metric {metrics} LIMIT 1"  # nosec B608
        cursor.execute(stored, [period.pk, *group])
        if cursor.fetchone() is None:
            # None stored yet (a first evaluation, a new target): every staged row is new, and the
            # joins below would only find that out (0.2-0.3 s of a Province's first evaluation).
            cursor.execute(
                f"INSERT INTO {RESULTS} (period_id, metric, member_id, {columns}, evaluated_at) "  # nosec B608
                f"SELECT %s, metric, member_id, {columns}, %s FROM {table}",
                [period.pk, now],
            )
            changed += cursor.rowcount
            continue
        # The results no longer due first: before the writes below, the stored rows of these
        # metrics are only the old ones, not those just written too.
        cursor.execute(
            f"DELETE FROM {RESULTS} WHERE period_id = %s AND metric {metrics} "  # nosec B608
            f"AND NOT EXISTS (SELECT 1 FROM {table} s WHERE {key.format(r=RESULTS)})",
            [period.pk, *group],
        )
        changed += cursor.rowcount
        # Only the rows whose numbers changed: a re-evaluation with nothing new writes nothing.
        cursor.execute(
            f"UPDATE {RESULTS} SET {assign}, evaluated_at = %s FROM {table} s "  # nosec B608
            f"WHERE {RESULTS}.period_id = %s AND {RESULTS}.metric {metrics} AND {key.format(r=RESULTS)} "
            f"AND ({differs})",
            [now, period.pk, *group],
        )
        changed += cursor.rowcount
        cursor.execute(
            f"INSERT INTO {RESULTS} (period_id, metric, member_id, {columns}, evaluated_at) "  # nosec B608
            f"SELECT %s, metric, member_id, {columns}, %s FROM {table} s WHERE NOT EXISTS "
            f"(SELECT 1 FROM {RESULTS} r WHERE r.period_id = %s AND r.metric {metrics} AND {key.format(r='r')})",
            [period.pk, now, period.pk, *group],
        )
        changed += cursor.rowcount
    return changed


def _write_monthly(period: Period, monthly: dict[tuple[str, dt.date], int]) -> int:
    """The regency's month series (a dozen rows per metric): only the changed months are written."""
    stored = {(m.metric, m.month): m for m in MonthlyActual.objects.filter(period=period)}
    month_create, month_update = [], []
    for (metric, month), n in monthly.items():
        row = stored.pop((metric, month), None)
        if row is None:
            month_create.append(MonthlyActual(period=period, metric=metric, month=month, actual=n))
        elif row.actual != n:
            row.actual = n
            month_update.append(row)
    MonthlyActual.objects.bulk_create(month_create)
    MonthlyActual.objects.bulk_update(month_update, ["actual"])
    if stored:
        MonthlyActual.objects.filter(pk__in=[m.pk for m in stored.values()]).delete()
    return len(month_create) + len(month_update) + len(stored)


def periods_due_for_evaluation(today: dt.date | None = None) -> list[Period]:
    """Open periods that have started: the nightly job evaluates them."""
    today = today or timezone.localdate()
    return list(Period.objects.filter(Q(status=Period.Status.OPEN), start__lte=today).order_by("start"))


# Defined beside the service it runs (no services <-> tasks import circle); associations.tasks re-exports
# it for Celery's autodiscovery under the name it has always had.
@shared_task(acks_late=True, name="associations.tasks.evaluate_period_task")
def evaluate_period_task(evaluation_id: int) -> str:
    evaluation = period_evaluate(evaluation_id=evaluation_id)
    if evaluation is None:
        # Finished already. A worker killed after the results committed but before the proposals were
        # queued leaves its task unacknowledged, and this redelivery is the one chance left to queue
        # them: tell the listeners again (proposing is safe to run twice).
        evaluation = Evaluation.objects.filter(pk=evaluation_id, status=Evaluation.Status.SUCCEEDED).first()
        if evaluation is None:
            return "skipped"
    if evaluation.status == evaluation.Status.SUCCEEDED:
        # What the evaluation calls for (ToT and collaboration proposals) is the business of the apps
        # built on this one: they listen, this app imports none of them.
        evaluation_succeeded.send(sender=Evaluation, evaluation=evaluation)
    return evaluation.status
