"""The incremental re-evaluation: a change that moves a number (an approved activity, a ToT pass, a
founded KPMI, a new member, a target override) marks what it touched as stale — the KPMI and members
concerned, in the open periods containing its date, and that month of the regency's trend — in its
own transaction (`results_mark_stale`). The refresh job claims the marks of a period, recomputes just
those subjects' results and those months with the evaluation's own SQL (associations.services), and
deletes the marks in the transaction that writes the numbers.

Debounced: with a worker, Celery beat runs the job every 30 seconds (CELERY_BEAT_SCHEDULE), so a
burst of approvals costs one refresh and an officer sees the numbers within a minute. Without a
broker (make run, tasks run in-process) the job runs right after the change's commit.

Safe to run twice and to kill half-way: a killed run's transaction rolls back and leaves its marks for
the next run; a second run finds no marks. While an evaluation of the period is queued or running the
marks wait (its stage may predate the change), and a period never evaluated is left to its first
evaluation; the period's row lock keeps a refresh and an evaluation's write apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import logging
import re
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from celery import shared_task
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, Value
from django.utils import timezone
from psycopg import sql as psycopg_sql

from kpmi_si.months import month_end, month_start
from programs import metrics as work_metrics

from . import services
from .metrics import KPMI, METRICS, Metric
from .models import Evaluation, MonthlyActual, Period, StaleResult, Target

# Which metrics a kind of logged work moves (programs.metrics counts them per manager); a change of
# another kind (a level change, a new member or group) may move any metric and marks them all.
WORK_METRICS = {"publication": ("publications",), "education": ("education",), "deployment": ("deployments",)}

logger = logging.getLogger(__name__)


def _periods_containing(day: dt.date) -> list[Period]:
    return list(Period.objects.filter(status=Period.Status.OPEN, start__lte=day, end__gte=day))


def results_mark_stale(
    *,
    on: dt.date | None = None,
    period: Period | None = None,
    metric: str = "",
    kpmi_ids: Iterable[int | None] = (),
    member_ids: Iterable[int | None] = (),
) -> int:
    """Mark the numbers a change moved: the given KPMI and members (and the month of `on`) in every
    open period containing `on`, or in `period` alone (a target override names its period), for one
    metric or ("") for all. Call it inside the change's transaction. Returns how many marks it asked for."""
    periods = [period] if period is not None else (_periods_containing(on) if on is not None else [])
    periods = [p for p in periods if not p.is_closed]
    if metric and periods:
        # A period that sets no target for the metric stores none of its numbers: nothing to refresh.
        with_target = set(Target.objects.filter(period__in=periods, metric=metric).values_list("period_id", flat=True))
        periods = [p for p in periods if p.pk in with_target]
    kpmi_ids = sorted({pk for pk in kpmi_ids if pk})
    member_ids = sorted({pk for pk in member_ids if pk})
    rows = []
    for p in periods:
        rows += [StaleResult(period=p, metric=metric, kpmi_id=pk) for pk in kpmi_ids]
        rows += [StaleResult(period=p, metric=metric, member_id=pk) for pk in member_ids]
        if on is not None and p.start <= on <= p.end:
            rows.append(StaleResult(period=p, metric=metric, month=month_start(on)))
    if not rows:
        return 0
    # Never ON CONFLICT DO NOTHING: a mark already waiting may be claimed before this change commits
    # (see StaleResult).
    StaleResult.objects.bulk_create(rows)
    if refresh_stale_results_task.app.conf.task_always_eager:
        # No broker, so no beat: refresh once the change is committed, in this process.
        transaction.on_commit(lambda: refresh_stale_results_task.apply_async())
    return len(rows)


def mark_on_change(
    sender: object, *, on: dt.date, kpmi_ids: list[int], member_ids: list[int], work_kind: str = "", **kwargs: object
) -> None:
    """Receiver of kpmi_si.changes.numbers_changed."""
    if work_kind:
        for code in WORK_METRICS.get(work_kind, ()):
            results_mark_stale(on=on, metric=code, kpmi_ids=kpmi_ids, member_ids=member_ids)
        return
    results_mark_stale(on=on, kpmi_ids=kpmi_ids, member_ids=member_ids)


def stale_results_refresh(*, today: dt.date | None = None) -> int:
    """Recompute every marked number of every open period; returns how many stored rows changed.

    A refresh's cost is mostly its round trips (an approval's refresh is a few milliseconds of them),
    so on PostgreSQL the usual case — marked subjects, and marked months of logged work — is two: the
    claim, then one message of the writes and the commit (`_refresh_at_once`). Any other mark (a month
    of a metric counted in Python, a closed period's) undoes that claim and, as SQLite does, takes the
    transaction of a handful of statements below."""
    today = today or timezone.localdate()
    if connection.vendor == "postgresql":
        changed = _refresh_at_once(today)
        if changed is not None:
            return changed
    with transaction.atomic():
        changed = 0
        for period, marks in _claim().items():
            if not period.is_closed:  # a closed period is frozen: its marks just go
                changed += _refresh_period(period, marks, today)
    return changed


# The periods with marks and their runs' state. Locked: the evaluation's write locks a period's row too,
# so a refresh and an evaluation's write never overlap; in id order, so that two refreshes queue
# rather than deadlock. While an evaluation is queued or running, its stage may predate a marked change:
# the marks wait for the run after it (an evaluation settles only the marks committed before it
# started). A period never evaluated is left to its first evaluation, marks included.
MARKED_PERIODS = f"""SELECT p.id, p.start, p."end", p.status,
    EXISTS (SELECT 1 FROM {Evaluation._meta.db_table} e WHERE e.period_id = p.id AND e.status IN (%s, %s)) AS running,
    EXISTS (SELECT 1 FROM {Evaluation._meta.db_table} e WHERE e.period_id = p.id AND e.status = %s) AS evaluated
    FROM {Period._meta.db_table} p WHERE p.id IN (SELECT period_id FROM {StaleResult._meta.db_table})
    ORDER BY p.id"""  # nosec B608
MARKED_PARAMS = [s.value for s in (Evaluation.Status.QUEUED, Evaluation.Status.RUNNING, Evaluation.Status.SUCCEEDED)]
CLAIMED = "period_id, metric, kpmi_id, member_id, month"
# The claim on PostgreSQL, in one statement (see `_claim`).
CLAIM = f"""WITH p AS ({MARKED_PERIODS} FOR UPDATE OF p),
    claimed AS (DELETE FROM {StaleResult._meta.db_table} s USING p WHERE s.period_id = p.id AND p.evaluated
                AND NOT p.running RETURNING {CLAIMED})
    SELECT p.id, p.start, p."end", p.status, c.metric, c.kpmi_id, c.member_id, c.month
    FROM p JOIN claimed c ON c.period_id = p.id"""  # nosec B608


def _claim() -> dict[Period, list[tuple]]:
    """Lock the marked periods and claim the marks of those due, by deleting them: killed before the
    commit, the deletion rolls back with the numbers and the marks wait for the next run. One
    statement on PostgreSQL, two on SQLite (no row locks there: it writes one transaction at a time)."""
    stale = StaleResult._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(CLAIM, MARKED_PARAMS)
            rows = cursor.fetchall()
        else:
            cursor.execute(MARKED_PERIODS, MARKED_PARAMS)
            due = {row[0]: row[:4] for row in cursor.fetchall() if row[5] and not row[4]}
            if not due:
                return {}
            cursor.execute(
                f"DELETE FROM {stale} WHERE period_id IN ({', '.join(['%s'] * len(due))}) RETURNING {CLAIMED}",  # nosec B608
                list(due),
            )
            rows = [(*due[mark[0]], *mark[1:]) for mark in cursor.fetchall()]
    return _claimed(rows)


def _claimed(rows: list[tuple]) -> dict[Period, list[tuple]]:
    claimed: dict[int, tuple[Period, list[tuple]]] = {}
    for pk, start, end, status, *mark in rows:
        period = Period(pk=pk, start=_as_date(start), end=_as_date(end), status=status)
        claimed.setdefault(pk, (period, []))[1].append(tuple(mark))
    return dict(claimed.values())


def _refresh_period(period: Period, marks: list[tuple], today: dt.date) -> int:
    """The marked subjects' results of each marked metric, and the marked months. The months are
    counted first, so that on PostgreSQL their write rides on the last subjects' statement."""
    elapsed = float(services._elapsed(period, today))
    marked: list[tuple[Metric, list[int]]] = []
    months: dict[str, list[dt.date]] = {}
    for code, metric in METRICS.items():
        mine = [m for m in marks if m[0] in ("", code)]
        ids = {kpmi_id if metric.subject == KPMI else member_id for _m, kpmi_id, member_id, _month in mine} - {None}
        if ids:
            marked.append((metric, sorted(ids)))
        days = {_as_date(month) for *_rest, month in mine if month}
        if days:
            months[code] = sorted(days)
    changed, months_write = _refresh_months(period, months)
    if marked and months_write and connection.vendor == "postgresql":
        *others, (metric, ids) = marked
        changed += sum(_refresh_subjects(period, other, other_ids, elapsed) for other, other_ids in others)
        return changed + _refresh_subjects(period, metric, ids, elapsed, also=months_write)
    changed += sum(_refresh_subjects(period, metric, ids, elapsed) for metric, ids in marked)
    if months_write:
        with connection.cursor() as cursor:
            cursor.execute(*months_write)
            changed += _rowcount(cursor)
    return changed


def _as_date(value: dt.date | str) -> dt.date:
    """A mark's month as read by a raw cursor: a date on PostgreSQL, ISO text on SQLite."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _refresh_subjects(
    period: Period, metric: Metric, ids: list[int], elapsed: float, also: tuple[str, list] | None = None
) -> int:
    """Some subjects' results of one metric, computed with the full evaluation's own SQL
    (associations.services), written where they changed, and the results of those no longer due (a
    manager promoted to pioneer, a dissolved group, a removed target) deleted: one statement on
    PostgreSQL (the write and the delete touch different rows), with `also` (another write, of other
    rows) in it too; two on SQLite, which has no writes in WITH."""
    prefix, head, (upsert, upsert_params), (delete, delete_params) = _subjects_sql(period, metric, ids, elapsed)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            also_sql, also_params = (f"{also[0]} RETURNING 1", also[1]) if also else ("SELECT 1 WHERE false", [])
            cursor.execute(
                f"{prefix}, up AS ({upsert} RETURNING 1), gone AS ({delete} RETURNING 1), more AS ({also_sql}) "  # nosec B608
                "SELECT (SELECT COUNT(*) FROM up) + (SELECT COUNT(*) FROM gone) + (SELECT COUNT(*) FROM more)",
                [*head, *upsert_params, *delete_params, *also_params],
            )
            return cursor.fetchone()[0]
        cursor.execute(f"{prefix} {upsert}", [*head, *upsert_params])
        changed = _rowcount(cursor)
        cursor.execute(f"{prefix} {delete}", [*head, *delete_params])
        return changed + _rowcount(cursor)


def _subjects_sql(
    period: Period,
    metric: Metric,
    ids: list[int],
    elapsed: Any,
    guard: str = "true",
    *,
    ids_array: Any = None,
    now: Any = None,
) -> tuple[str, list, tuple[str, list], tuple[str, list]]:
    """The parts of a refresh of some subjects' results of one metric: the WITH prefix computing them
    with the full evaluation's own SQL (as `x`) and its parameters, the upsert of those that changed and
    the delete of those no longer due, each writing only where `guard` (an SQL condition) holds. With
    `ids_array`, the subjects are one array parameter (`= ANY`), as a prepared statement takes them."""
    S = services
    key = "kpmi_id" if metric.subject == KPMI else "member_id"
    which = "member_id IS NULL" if metric.subject == KPMI else "member_id IS NOT NULL"
    ctes, cte_params, select, select_params = S.metric_results_sql(metric, 0, period, elapsed, ids, ids_array)
    if ids_array is not None:
        these, these_params = "= ANY(%s)", [ids_array]
    else:
        these, these_params = f"IN ({', '.join(['%s'] * len(ids))})", ids
    columns = ", ".join(S.COMPARED)
    differs = " OR ".join(f"r.{name} <> excluded.{name}" for name in S.COMPARED)
    assign = ", ".join(f"{name} = excluded.{name}" for name in (*S.COMPARED, "evaluated_at"))
    prefix = f"WITH {', '.join(ctes)}, x AS ({select})"
    upsert = f"""INSERT INTO {S.RESULTS} AS r (period_id, metric, member_id, {columns}, evaluated_at)
        SELECT %s, metric, member_id, {columns}, %s FROM x WHERE {guard}
        ON CONFLICT (period_id, metric, {key}) WHERE {which} DO UPDATE SET {assign} WHERE {differs}"""  # nosec B608
    delete = f"""DELETE FROM {S.RESULTS} WHERE period_id = %s AND metric = %s AND {which} AND {guard}
        AND {key} {these} AND {key} NOT IN (SELECT {key} FROM x)"""  # nosec B608
    return (
        prefix,
        [*cte_params, *select_params],
        (upsert, [period.pk, timezone.now() if now is None else now]),
        (delete, [period.pk, metric.code, *these_params]),
    )


def _rowcount(cursor) -> int:
    """Rows the last statement wrote. SQLite's driver answers -1 for an INSERT ... ON CONFLICT (the
    demo's database, `make run`); its changes() counts the inserted and updated rows."""
    if cursor.rowcount >= 0:
        return cursor.rowcount
    cursor.execute("SELECT changes()")
    return cursor.fetchone()[0]


def _refresh_months(period: Period, months: dict[str, list[dt.date]]) -> tuple[int, tuple[str, list] | None]:
    """The regency's actual of each metric in its marked months, as the full evaluation stores it (a
    month with nothing done has no row; a metric without a target in the period, none): one count per
    month; the months now empty deleted. Returns how many rows that deleted and the statement writing
    the counted months where they changed (the caller runs it, alone or with another)."""
    counted, empty = [], Q()
    for code, days in months.items():
        for month in days:
            start = max(month, period.start)
            end = min(month_end(month), period.end)
            n = METRICS[code].per_month(start, end).get(month)
            if n is None:
                empty |= Q(metric=code, month=month)
            else:
                counted.append((code, month, n))
    changed = MonthlyActual.objects.filter(empty, period=period).delete()[0] if empty else 0
    if not counted:
        return changed, None
    values = ", ".join(["(%s, %s, %s)"] * len(counted))
    write = f"""INSERT INTO {MonthlyActual._meta.db_table} AS m (period_id, metric, month, actual)
        SELECT %s, v.column1, v.column2, v.column3 FROM (VALUES {values}) AS v
        WHERE EXISTS (SELECT 1 FROM {services.TARGETS} t WHERE t.period_id = %s AND t.metric = v.column1)
        ON CONFLICT (period_id, metric, month) DO UPDATE SET actual = excluded.actual
        WHERE m.actual <> excluded.actual"""  # nosec B608
    return changed, (write, [period.pk, *(value for row in counted for value in row), period.pk])


# --- two round trips: the usual refresh on PostgreSQL --------------------------------------------------

# The month's count of each kind of logged work, as SQL (programs.metrics counts them): with it, a
# marked month of these metrics is counted in the statement that writes it, not in a round trip.
WORK_MONTHS = {code: kind for kind, codes in WORK_METRICS.items() for code in codes}
# The refresh's commit does not wait for the disk (see `_refresh_at_once`), and its prepared statements
# run their generic plans (see `_Arg`): both for its transaction only.
UNSYNCED = (
    "SELECT set_config('synchronous_commit', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)"
)


# Prepared statements. An approval's refresh is a few small statements whose planning cost more than
# running them (at Garut: the subjects' statement planned in ~0.6 ms, ran in ~0.2-0.3 ms; its message
# 2.3 ms as SQL text against 0.6 ms prepared, measured paired), so each connection prepares them once
# (PREPARE) and a refresh runs them (EXECUTE) with its values: the period, the subjects as an array, the
# dates. Their text is the statements below, built by the same code as the unprepared ones, with those
# values as parameters. Generic plans (UNSYNCED): PostgreSQL's custom plans, chosen by cost, planned
# the subjects' statement again every time (1.3 ms in the message against 0.5 ms generic).
@dataclasses.dataclass(frozen=True)
class _Arg:
    """A value that varies from one run of a prepared statement to the next, in place of a query
    parameter: its name and its SQL type."""

    name: str
    type: str


_PERIOD = _Arg("period", "bigint")
_IDS = _Arg("ids", "bigint[]")
# Numeric, as the unprepared statements' float parameter reads (a decimal literal): the same status.
_ELAPSED = _Arg("elapsed", "numeric")
_NOW = _Arg("now", "timestamptz")
_START, _END, _MONTH = _Arg("start", "date"), _Arg("end", "date"), _Arg("month", "date")


@dataclasses.dataclass(frozen=True)
class _Prepared:
    name: str
    prepare: str  # the PREPARE statement
    args: tuple[_Arg, ...]

    def execute(self, values: dict[_Arg, Any]) -> str:
        if not self.args:
            return f"EXECUTE {self.name}"
        return f"EXECUTE {self.name}({', '.join(_literal(values[arg]) for arg in self.args)})"


def _literal(value: Any) -> str:
    """A prepared statement's argument as SQL text, typed by the statement's declared parameter."""
    if isinstance(value, list | tuple):
        return "'{" + ",".join(str(int(pk)) for pk in value) + "}'"
    if isinstance(value, bool) or not isinstance(value, int | float | dt.date):
        raise TypeError(f"No argument of a refresh statement is a {type(value).__name__}: {value!r}")
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    return repr(value) if isinstance(value, float) else str(value)


@functools.lru_cache(maxsize=64)
def _prepared(sql: str, params: tuple) -> _Prepared:
    """A statement (with %s parameters) as a prepared one: each _Arg parameter becomes $n, every other
    value a literal. Named after its text, so that a changed statement is prepared afresh, never run
    under an old name."""
    args: list[_Arg] = []
    values = iter(params)
    parts = []
    for token in re.split(r"(%%|%s)", sql):
        if token == "%%":
            parts.append("%")
        elif token == "%s":
            value = next(values)
            if isinstance(value, _Arg):
                if value not in args:
                    args.append(value)
                parts.append(f"${args.index(value) + 1}")
            else:
                parts.append(psycopg_sql.Literal(value).as_string(None))
        else:
            parts.append(token)
    if next(values, values) is not values:
        raise ValueError("More parameters than placeholders")
    body = "".join(parts)
    types = ", ".join(arg.type for arg in args)
    name = "kpmi_refresh_" + hashlib.sha256(f"{types}\n{body}".encode()).hexdigest()[:20]
    return _Prepared(name, f"PREPARE {name}({types}) AS {body}" if args else f"PREPARE {name} AS {body}", tuple(args))


# The names prepared on each connection (the psycopg connection, which a pool hands out again with its
# session): a new one has none and prepares what it runs in the same message.
_PREPARED_ON: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()
# What PostgreSQL answers when the connection's statements are not what this process thinks: one is
# missing (the session was reset: DISCARD ALL), or there already (prepared by a message that failed).
_OUT_OF_STEP = {"26000", "42P05"}


def _run_prepared(run: Callable[[set[str]], Any]) -> Any:
    """`run(names prepared on this connection)`, which adds to the set what its message prepares; when
    the connection is out of step with the set, once more after reading its prepared statements. The
    message that failed changed nothing: it was one transaction (or a savepoint of the caller's)."""
    connection.ensure_connection()
    names = _PREPARED_ON.setdefault(connection.connection, set())
    try:
        return run(names)
    except DatabaseError as exc:
        if getattr(exc.__cause__, "sqlstate", None) not in _OUT_OF_STEP:
            raise
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        names.clear()
        names.update(name for (name,) in cursor.fetchall())
    return run(names)


def _message(statements: list[tuple[_Prepared, dict] | tuple[str, None]], names: set[str]) -> tuple[str, list[bool]]:
    """One message running `statements` (prepared ones, and SQL text), preceded by the PREPARE of those
    not prepared on this connection yet, which it adds to `names`; and which of its results are the
    statements' (PREPARE answers nothing)."""
    prepares: dict[str, str] = {}
    for statement, _values in statements:
        if isinstance(statement, _Prepared) and statement.name not in names:
            prepares[statement.name] = statement.prepare
    names.update(prepares)
    text = [
        *prepares.values(),
        *(s.execute(values) if isinstance(s, _Prepared) else s for s, values in statements),
    ]
    return ";\n".join(text), [False] * len(prepares) + [True] * len(statements)


def _at_once(period: Period, marks: list[tuple]) -> bool:
    """Whether `_refresh_at_once` can take the period's marks: an open period's, whose marked months
    are all of logged work (other metrics' months are counted in Python)."""
    if period.is_closed:
        return False
    return all(metric in WORK_MONTHS for metric, _kpmi_id, _member_id, month in marks if month)


def _refresh_at_once(today: dt.date) -> int | None:
    """The refresh in two messages, one transaction (inside a caller's, a savepoint): the claim (`_claim`'s
    statement, prepared), then the writes of the claimed marks, one statement per marked metric (its
    subjects) and per marked month, written where they changed, and the commit. None, with the claim
    undone, when a claimed mark is not one it takes (`_at_once`): the general path claims it again.
    The statements are prepared ones where they can be (the claim, logged work's subjects and months),
    prepared in the same message on a connection that has not prepared them yet.

    The claim locks the marked periods' rows (as the evaluation's write does) and deletes the marks of
    those due; the writes take their snapshot after it holds the locks, so they count every change
    committed before it. Whatever fails or interrupts it before the commit (a killed worker, a failing
    statement) undoes the transaction whole, its claim with it: the marks wait for the next run.

    Its commit does not wait for the disk (synchronous_commit off): a crash loses the last
    transactions whole, and losing this one loses its claim too, so the marks are there for the next
    run; the numbers it wrote are recomputed, not lost."""
    if connection.in_atomic_block:
        begin, end = "SAVEPOINT kpmi_refresh", "RELEASE SAVEPOINT kpmi_refresh"
        undo = "ROLLBACK TO SAVEPOINT kpmi_refresh; RELEASE SAVEPOINT kpmi_refresh"
    else:
        begin, end, undo = "BEGIN", "COMMIT", "ROLLBACK"

    def run(names: set[str]) -> int | None:
        with connection.cursor() as cursor:
            try:
                # The transaction (or savepoint) first: a PREPARE that fails is then undone with it.
                text, ours = _message([(UNSYNCED, None), (_claim_prepared(), {})], names)
                cursor.execute(f"{begin};\n{text}")
                for _ in range(len(ours)):
                    cursor.nextset()
                claimed = _claimed(cursor.fetchall())
                if not all(_at_once(period, marks) for period, marks in claimed.items()):
                    cursor.execute(undo)
                    return None
                writes: list = []
                for period, marks in sorted(claimed.items(), key=lambda item: item[0].pk):
                    writes += _period_statements(period, marks, today)
                text, ours = _message([*writes, (end, None)], names)
                cursor.execute(text)
                # The results: the PREPAREs' (nothing), each write's count of changed rows, the commit's.
                first = len(ours) - len(writes) - 1
                changed = 0
                for i in range(len(ours) - 1):
                    if i:
                        cursor.nextset()
                    if i >= first:
                        changed += cursor.fetchone()[0]
                cursor.nextset()
                return changed
            except BaseException:
                # The transaction (or savepoint) is open, perhaps failed: undone, unless the connection
                # is gone (then the server undid it).
                if connection.connection is not None and not connection.connection.closed:
                    cursor.execute(undo)
                raise

    return _run_prepared(run)


@functools.cache
def _claim_prepared() -> _Prepared:
    return _prepared(CLAIM, tuple(MARKED_PARAMS))


def _period_statements(period: Period, marks: list[tuple], today: dt.date) -> list[tuple]:
    """The writes of one claimed period's marks, each a statement returning how many rows it changed."""
    elapsed = float(services._elapsed(period, today))
    statements: list[tuple] = []
    for code, metric in METRICS.items():
        mine = [m for m in marks if m[0] in ("", code)]
        ids = {kpmi_id if metric.subject == KPMI else member_id for _m, kpmi_id, member_id, _month in mine} - {None}
        if ids:
            statements.append(_subjects_statement(period, metric, sorted(ids), elapsed))
        for month in sorted({month for *_rest, month in mine if month}):
            statements.append(_month_statement(period, code, month))
    return statements


def _subjects_write(prefix: str, head: list, upsert: tuple[str, list], delete: tuple[str, list]) -> tuple[str, list]:
    sql = f"""{prefix}, up AS ({upsert[0]} RETURNING 1), gone AS ({delete[0]} RETURNING 1)
        SELECT (SELECT COUNT(*) FROM up) + (SELECT COUNT(*) FROM gone)"""  # nosec B608
    return sql, [*head, *upsert[1], *delete[1]]


def _subjects_statement(period: Period, metric: Metric, ids: list[int], elapsed: float) -> tuple:
    """Some subjects' results of one metric, written where they changed and those no longer due deleted
    (as `_refresh_subjects` does, in one statement): prepared for a metric of logged work, SQL text for
    the others."""
    prepared = _subjects_prepared(metric, connection.vendor, timezone.get_current_timezone_name())
    if prepared is not None:
        values = {_PERIOD: period.pk, _START: period.start, _END: period.end, _ELAPSED: elapsed, _IDS: ids}
        return prepared, {**values, _NOW: timezone.now()}
    sql, params = _subjects_write(*_subjects_sql(period, metric, ids, elapsed))
    return connection.ops.compose_sql(sql, params), None


# Stand-ins for a range's first and last day in a compiled count, which the range's own replace.
_FIRST, _LAST = dt.date(1, 1, 1), dt.date(9999, 12, 31)


def _dates_as_args(params: list | tuple) -> tuple:
    """A compiled count's parameters with the stand-in days as the statement's start and end; any other
    day in them would be one computed from the stand-ins (wrong for the real range): refused."""
    out = tuple(_START if value == _FIRST else _END if value == _LAST else value for value in params)
    if _START not in out or _END not in out or any(isinstance(value, dt.date) for value in out):
        raise ValueError(f"The count names its range other than by its first and last day: {params}")
    return out


@functools.lru_cache(maxsize=16)
def _subjects_prepared(metric: Metric, vendor: str, zone: str) -> _Prepared | None:
    """The subjects' statement of a metric of logged work (`_subjects_statement`) as a prepared one,
    compiled once per process: the period, its range, the elapsed share, the subjects and the time of
    the write its arguments. Counted by programs.metrics from its rows' dates alone, such a metric's
    count takes any range; the others' counts may derive other values from theirs, and stay SQL text."""
    if metric.code not in WORK_MONTHS:
        return None
    stand_in = Period(pk=_PERIOD, start=_FIRST, end=_LAST)
    prefix, head, upsert, delete = _subjects_sql(stand_in, metric, [], _ELAPSED, ids_array=_IDS, now=_NOW)
    sql, params = _subjects_write(prefix, head, upsert, delete)
    return _prepared(sql, _dates_as_args(params))


@functools.lru_cache(maxsize=16)
def _work_month_sql(kind: str, vendor: str, zone: str) -> tuple[str, tuple]:
    """The count of one kind of approved work over a range of days (one row, `n`, 0 when nothing was
    done) — the definition programs.metrics counts months with — compiled by the ORM once per process
    (per database and time zone), not once per month: compiling cost more than running it. Its range
    is the parameters _START and _END."""
    # The rows counted, selecting a constant: counted with a plain COUNT(*), from the counting index alone.
    # (work_counts' grouping by kind, for the one kind, made PostgreSQL compare every row's kind: 0.8 ms
    # against 0.5 ms for a month of Garut's publications.)
    rows = work_metrics.counted_rows(kinds=[kind], start=_FIRST, end=_LAST).annotate(one=Value(1)).values("one")
    inner, params = rows.query.sql_with_params()
    sql = f"SELECT count(*) AS n FROM ({inner}) counted"  # nosec B608 - the ORM's SQL, values as parameters
    return sql, _dates_as_args(params)


def _month_sql(code: str, vendor: str, zone: str) -> tuple[str, tuple]:
    """The regency's actual of a metric of logged work in one month (_MONTH, counted from _START to
    _END), as the full evaluation stores it (as `_refresh_months` does): written where it changed if
    the period sets the metric a target, deleted if nothing is left in the month."""
    count_sql, count_params = _work_month_sql(WORK_MONTHS[code], vendor, zone)
    monthly = MonthlyActual._meta.db_table
    sql = f"""WITH c AS (SELECT n FROM ({count_sql}) q WHERE n > 0),
        up AS (INSERT INTO {monthly} AS m (period_id, metric, month, actual) SELECT %s, %s, %s, n FROM c
            WHERE EXISTS (SELECT 1 FROM {services.TARGETS} t WHERE t.period_id = %s AND t.metric = %s)
            ON CONFLICT (period_id, metric, month) DO UPDATE SET actual = excluded.actual
            WHERE m.actual <> excluded.actual RETURNING 1),
        gone AS (DELETE FROM {monthly} WHERE period_id = %s AND metric = %s AND month = %s
            AND NOT EXISTS (SELECT 1 FROM c) RETURNING 1)
        SELECT (SELECT COUNT(*) FROM up) + (SELECT COUNT(*) FROM gone)"""  # nosec B608
    return sql, (*count_params, _PERIOD, code, _MONTH, _PERIOD, code, _PERIOD, code, _MONTH)


def _month_statement(period: Period, code: str, month: dt.date) -> tuple[_Prepared, dict]:
    """A marked month of a metric of logged work (`_month_sql`), prepared."""
    start = max(month, period.start)
    end = min(month_end(month), period.end)
    prepared = _prepared(*_month_sql(code, connection.vendor, timezone.get_current_timezone_name()))
    return prepared, {_PERIOD: period.pk, _START: start, _END: end, _MONTH: month}


def stale_count(*, period: Period) -> int:
    """How many marks of the period wait for the refresh (a page may say its numbers are catching up)."""
    return StaleResult.objects.filter(period=period).count()


@shared_task(acks_late=True, name="associations.tasks.refresh_stale_results_task")
def refresh_stale_results_task() -> int:
    return stale_results_refresh()
