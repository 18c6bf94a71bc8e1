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

import datetime as dt
import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from . import services
from .metrics import KPMI, METRICS, Metric, subjects
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
            rows.append(StaleResult(period=p, metric=metric, month=on.replace(day=1)))
    if not rows:
        return 0
    StaleResult.objects.bulk_create(rows, ignore_conflicts=True)
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
    """Recompute every marked number of every open period; returns how many stored rows changed."""
    today = today or timezone.localdate()
    changed = 0
    period_ids = list(StaleResult.objects.order_by().values_list("period_id", flat=True).distinct())
    for period_id in period_ids:
        changed += _refresh_period(period_id, today)
    return changed


def _refresh_period(period_id: int, today: dt.date) -> int:
    with transaction.atomic():
        # The evaluation's write locks this row too: a refresh and an evaluation's write never overlap.
        period = Period.objects.select_for_update().get(pk=period_id)
        evaluations = Evaluation.objects.filter(period=period)
        if evaluations.filter(status__in=[Evaluation.Status.QUEUED, Evaluation.Status.RUNNING]).exists():
            # Its stage may predate a marked change: the marks wait for the run after it (an evaluation
            # settles only the marks committed before it started).
            return 0
        if not evaluations.filter(status=Evaluation.Status.SUCCEEDED).exists():
            return 0  # never evaluated: the first evaluation computes every number, marks included
        marks = list(StaleResult.objects.select_for_update(skip_locked=True).filter(period=period))
        if not marks:
            return 0
        changed = 0
        if not period.is_closed:  # a closed period is frozen: its marks just go
            targets = list(Target.objects.filter(period=period))
            elapsed = float(services._elapsed(period, today))
            for code in [c for c in METRICS if any(t.metric == c for t in targets)]:
                metric = METRICS[code]
                mine = [m for m in marks if m.metric in ("", code)]
                ids = {m.kpmi_id if metric.subject == KPMI else m.member_id for m in mine} - {None}
                if ids:
                    changed += _refresh_subjects(period, metric, sorted(ids), targets, elapsed)
                months = sorted({m.month for m in mine if m.month})
                changed += _refresh_months(period, metric, months)
        StaleResult.objects.filter(pk__in=[m.pk for m in marks]).delete()
    return changed


def _refresh_subjects(period: Period, metric: Metric, ids: list[int], targets: list[Target], elapsed: float) -> int:
    """Some subjects' results of one metric, computed and written in one statement with the full
    evaluation's own rules (associations.services), and the results of those no longer due deleted.
    The subjects' condition is on the grouping column of the counting query, which PostgreSQL pushes
    into it: an index lookup per subject, not a scan of the period."""
    S = services
    key = "kpmi_id" if metric.subject == KPMI else "member_id"
    which = "member_id IS NULL" if metric.subject == KPMI else "member_id IS NOT NULL"
    default = next((t.value for t in targets if t.metric == metric.code and not t.kpmi_id and not t.member_id), None)
    association_id = next(t.association_id for t in targets if t.metric == metric.code)
    subjects_sql, subjects_params = subjects(metric).query.sql_with_params()
    actuals_sql, actuals_params = metric.per_subject(period.start, period.end).query.sql_with_params()
    listed = ", ".join(["%s"] * len(ids))
    columns = ", ".join(S.COMPARED)
    differs = " OR ".join(f"r.{name} <> excluded.{name}" for name in S.COMPARED)
    assign = ", ".join(f"{name} = excluded.{name}" for name in (*S.COMPARED, "evaluated_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH s0(id, kpmi_id, kecamatan_id) AS ({subjects_sql}),
                 s AS (SELECT * FROM s0 WHERE id IN ({listed})),
                 a0(id, n) AS ({actuals_sql}),
                 a AS (SELECT * FROM a0 WHERE id IN ({listed})),
                 o(id, value) AS (SELECT {key}, value FROM {S.TARGETS}
                                  WHERE period_id = %s AND metric = %s AND {key} IS NOT NULL),
                 r AS (SELECT s.id, s.kpmi_id, s.kecamatan_id, COALESCE(o.value, %s) AS target,
                              COALESCE(a.n, 0) AS actual
                       FROM s LEFT JOIN a ON a.id = s.id LEFT JOIN o ON o.id = s.id)
            INSERT INTO {S.RESULTS} AS r (period_id, metric, member_id, {columns}, evaluated_at)
            SELECT %s, %s, {"CAST(NULL AS BIGINT)" if metric.subject == KPMI else "id"}, target, actual,
                   {S.RATIO_SQL}, {S.STATUS_SQL}, kecamatan_id, kpmi_id, %s, %s
            FROM r WHERE target IS NOT NULL
            ON CONFLICT (period_id, metric, {key}) WHERE {which}
            DO UPDATE SET {assign} WHERE {differs}
            """,  # nosec B608
            [
                *subjects_params,
                *ids,
                *actuals_params,
                *ids,
                period.pk,
                metric.code,
                default,
                period.pk,
                metric.code,
                elapsed,
                association_id,
                timezone.now(),
            ],
        )
        changed = _rowcount(cursor)
        # A subject no longer due (a manager promoted to pioneer, a dissolved group) loses its result.
        cursor.execute(
            f"""
            WITH s0(id, kpmi_id, kecamatan_id) AS ({subjects_sql}),
                 o(id, value) AS (SELECT {key}, value FROM {S.TARGETS}
                                  WHERE period_id = %s AND metric = %s AND {key} IS NOT NULL)
            DELETE FROM {S.RESULTS} WHERE period_id = %s AND metric = %s AND {which} AND {key} IN ({listed})
              AND {key} NOT IN (SELECT s0.id FROM s0 LEFT JOIN o ON o.id = s0.id
                                WHERE s0.id IN ({listed}) AND COALESCE(o.value, %s) IS NOT NULL)
            """,  # nosec B608
            [*subjects_params, period.pk, metric.code, period.pk, metric.code, *ids, *ids, default],
        )
        return changed + _rowcount(cursor)


def _rowcount(cursor) -> int:
    """Rows the last statement wrote. SQLite's driver answers -1 for an INSERT ... ON CONFLICT (the
    demo's database, `make run`); its changes() counts the inserted and updated rows."""
    if cursor.rowcount >= 0:
        return cursor.rowcount
    cursor.execute("SELECT changes()")
    return cursor.fetchone()[0]


def _refresh_months(period: Period, metric: Metric, months: list[dt.date]) -> int:
    """The regency's actual of a metric in the marked months, as the full evaluation stores it (a
    month with nothing done has no row)."""
    changed = 0
    for month in months:
        start = max(month, period.start)
        end = min((month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), period.end)
        n = metric.per_month(start, end).get(month)
        stored = MonthlyActual.objects.filter(period=period, metric=metric.code, month=month).first()
        if n is None:
            if stored is not None:
                stored.delete()
                changed += 1
        elif stored is None:
            MonthlyActual.objects.create(period=period, metric=metric.code, month=month, actual=n)
            changed += 1
        elif stored.actual != n:
            stored.actual = n
            stored.save(update_fields=["actual"])
            changed += 1
    return changed


def stale_count(*, period: Period) -> int:
    """How many marks of the period wait for the refresh (a page may say its numbers are catching up)."""
    return StaleResult.objects.filter(period=period).count()


@shared_task(acks_late=True, name="associations.tasks.refresh_stale_results_task")
def refresh_stale_results_task() -> int:
    return stale_results_refresh()
