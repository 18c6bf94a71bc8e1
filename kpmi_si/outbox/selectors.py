"""Reads of the outbox: whether jobs are waiting for the broker."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from kpmi_si.celery import app as celery_app

from .models import PendingTask

# A row this old was not sent by the request that wrote it (the process died, or the send hangs).
DELAYED_AFTER = dt.timedelta(minutes=2)


def jobs_delayed() -> bool:
    """True while jobs wait for the broker: a send failed, or a row outlived a normal send. One query
    on a table that is empty in normal operation; none without a broker (`make run`, the tests), where
    jobs run in-process and nothing can wait."""
    if celery_app.conf.task_always_eager:
        return False
    return PendingTask.objects.filter(Q(attempts__gt=0) | Q(created_at__lt=timezone.now() - DELAYED_AFTER)).exists()
