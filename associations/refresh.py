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
the next run; a second run finds no marks. It takes the evaluation's lock of the period, so a refresh
and a full evaluation never write the same period at once (while one is running the marks wait).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from kpmi_si.jobs import run_lock

from .metrics import KPMI, METRICS
from .models import MonthlyActual, Period, StaleResult, Target

logger = logging.getLogger(__name__)


def _periods_containing(day: dt.date) -> list[Period]:
    return list(Period.objects.filter(status=Period.Status.OPEN, start__lte=day, end__gte=day))


def results_mark_stale(
    *,
    on: dt.date | None = None,
    period: Period | None = None,
    kpmi_ids: Iterable[int | None] = (),
    member_ids: Iterable[int | None] = (),
) -> int:
    """Mark the numbers a change moved: the given KPMI and members (and the month of `on`) in every
    open period containing `on`, or in `period` alone (a target override names its period). Call it
    inside the change's transaction. Returns how many marks were asked for."""
    periods = [period] if period is not None else (_periods_containing(on) if on is not None else [])
    periods = [p for p in periods if not p.is_closed]
    kpmi_ids = sorted({pk for pk in kpmi_ids if pk})
    member_ids = sorted({pk for pk in member_ids if pk})
    rows = []
    for p in periods:
        rows += [StaleResult(period=p, kpmi_id=pk) for pk in kpmi_ids]
        rows += [StaleResult(period=p, member_id=pk) for pk in member_ids]
        if on is not None and p.start <= on <= p.end:
            rows.append(StaleResult(period=p, month=on.replace(day=1)))
    if not rows:
        return 0
    StaleResult.objects.bulk_create(rows, ignore_conflicts=True)
    if refresh_stale_results_task.app.conf.task_always_eager:
        # No broker, so no beat: refresh once the change is committed, in this process.
        transaction.on_commit(lambda: refresh_stale_results_task.apply_async())
    return len(rows)


def mark_on_change(
    sender: object, *, on: dt.date, kpmi_ids: list[int], member_ids: list[int], **kwargs: object
) -> None:
    """Receiver of kpmi_si.changes.numbers_changed."""
    results_mark_stale(on=on, kpmi_ids=kpmi_ids, member_ids=member_ids)


def stale_results_refresh(*, today: dt.date | None = None) -> int:
    """Recompute every marked number of every open period; returns how many stored rows changed."""
    today = today or timezone.localdate()
    changed = 0
    period_ids = list(StaleResult.objects.order_by().values_list("period_id", flat=True).distinct())
    for period_id in period_ids:
        with run_lock("associations.evaluation", period_id, wait=False) as held:
            if held:  # else an evaluation of the period is running: the marks wait for the next run
                changed += _refresh_period(period_id, today)
    return changed


def _refresh_period(period_id: int, today: dt.date) -> int:
    from . import services  # imported here: services marks stale results through this module

    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period_id)
        marks = list(StaleResult.objects.select_for_update(skip_locked=True).filter(period=period))
        if not marks:
            return 0
        if period.is_closed:  # frozen: its numbers no longer change
            StaleResult.objects.filter(pk__in=[m.pk for m in marks]).delete()
            return 0
        only = {
            KPMI: sorted({m.kpmi_id for m in marks if m.kpmi_id}),
            "member": sorted({m.member_id for m in marks if m.member_id}),
        }
        months = sorted({m.month for m in marks if m.month})
        changed = 0
        with connection.cursor() as cursor:
            try:
                if only[KPMI] or only["member"]:
                    services._stage(cursor, period, None, today, only=only)
                    changed += services._write_results(cursor, period, only=only)
            finally:
                cursor.execute(f"DROP TABLE IF EXISTS {services.STAGE}")
        changed += _refresh_months(period, months)
        StaleResult.objects.filter(pk__in=[m.pk for m in marks]).delete()
    return changed


def _refresh_months(period: Period, months: list[dt.date]) -> int:
    """The regency's actual of each metric in each marked month, as the full evaluation stores it (a
    month with nothing done has no row)."""
    codes = [
        c for c in Target.objects.filter(period=period).values_list("metric", flat=True).distinct() if c in METRICS
    ]
    changed = 0
    for month in months:
        start = max(month, period.start)
        end = min((month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), period.end)
        for code in codes:
            n = METRICS[code].per_month(start, end).get(month)
            stored = MonthlyActual.objects.filter(period=period, metric=code, month=month).first()
            if n is None:
                if stored is not None:
                    stored.delete()
                    changed += 1
            elif stored is None:
                MonthlyActual.objects.create(period=period, metric=code, month=month, actual=n)
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
