"""Queueing background jobs so that neither a broker outage nor a crash between a commit and its send
loses one, and neither turns the request that asked for it into an error page.

Every job a change calls for goes through `task_enqueue`: it writes a `PendingTask` row in the change's
own transaction and, once that commits, hands the message to the broker and deletes the row. When the
broker cannot be reached the error is logged, the row stays, and the page answers as usual; the rows
left are sent by `outbox_flush` (every minute by Celery beat, and at once by the first send in this
process that works again). A message sent but whose row survived (a crash right after the send) is sent
twice: every job here is safe to run twice (claimed rows, unique constraints), which is what makes
"at least once" enough.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import Task, shared_task
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kpmi_si.celery import app as celery_app

from .models import PendingTask

logger = logging.getLogger(__name__)

# A row younger than this may still be on its way with the request that wrote it: the flush leaves it.
IN_FLIGHT = dt.timedelta(seconds=30)
# How many rows one flush sends at most; the next one takes the rest.
FLUSH_LIMIT = 1000

# The last send of this process failed: the next one that works sends the backlog too, so that jobs
# start as soon as the broker is back rather than at the next beat.
_broker_failed = False


def task_enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue `task(*args, **kwargs)` for a worker once the current transaction commits (at once outside
    one). Arguments must be JSON values (ids): they wait in the database."""
    if task.app.conf.task_always_eager:
        # No broker (make run, the tests): the job runs in-process after the commit; nothing to keep.
        transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
        return
    row = PendingTask.objects.create(name=task.name, args=list(args), kwargs=kwargs)
    # Robust: whatever goes wrong with the send is logged, never raised into a request whose change is
    # committed already; the row is there for the flush.
    transaction.on_commit(lambda: _send_pending(row.pk), robust=True)


def _publish(row: PendingTask) -> bool:
    """Hand one row's message to the broker; on failure log it, count it on the row, and say False."""
    global _broker_failed
    try:
        # No result is stored: job progress and outcome live in the database (JobRun), and asking for a
        # result would have every web process subscribe to the result channel too.
        celery_app.send_task(row.name, args=row.args, kwargs=row.kwargs, ignore_result=True)
    except Exception as exc:  # kombu and redis-py raise many types for one outage: all mean "not sent"
        _broker_failed = True
        logger.warning("Broker unreachable: job %s (outbox #%s) kept for a later send: %s", row, row.pk, exc)
        PendingTask.objects.filter(pk=row.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return False
    return True


def _send_pending(pk: int) -> bool:
    """Send one row written by `task_enqueue`, after its transaction committed. Never raises for a broker
    error: the change is committed and the page must say so; the row waits for the flush."""
    global _broker_failed
    failed_before = _broker_failed
    with transaction.atomic():
        # Locked while it is sent, so that a concurrent flush skips it rather than sending it twice.
        row = PendingTask.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if row is None:
            return False  # sent already by a flush, or being sent by one now
        if not _publish(row):
            return False
        row.delete()
    if failed_before:
        _broker_failed = False
        outbox_flush(older_than=dt.timedelta(0))
    return True


def outbox_flush(*, older_than: dt.timedelta = IN_FLIGHT, limit: int = FLUSH_LIMIT) -> int:
    """Send what the broker has not taken yet, oldest first; stop at the first failure (the broker is
    still away). Safe to run twice and in several processes at once: rows are claimed with SKIP LOCKED
    and deleted in the transaction that sent them. Returns how many were sent."""
    global _broker_failed
    sent = 0
    cutoff = timezone.now() - older_than
    while sent < limit:
        with transaction.atomic():
            rows = list(
                PendingTask.objects.select_for_update(skip_locked=True)
                # A row whose send failed is nobody's in flight; a fresh one may still be its request's.
                .filter(Q(attempts__gt=0) | Q(created_at__lte=cutoff))
                .order_by("created_at", "pk")[: min(100, limit - sent)]
            )
            if not rows:
                break
            done = []
            for row in rows:
                if not _publish(row):
                    break
                done.append(row.pk)
            PendingTask.objects.filter(pk__in=done).delete()
            sent += len(done)
            if len(done) < len(rows):
                return sent
    _broker_failed = False
    if sent:
        logger.info("Outbox: %s waiting job(s) sent to the broker", sent)
    return sent


# Sent by Celery beat every minute (CELERY_BEAT_SCHEDULE). While the broker is down beat cannot send it
# either; the first beat after the broker is back sends everything that waited.
@shared_task(name="kpmi_si.outbox.tasks.outbox_flush_task")
def outbox_flush_task() -> int:
    return outbox_flush()
