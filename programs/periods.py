"""When logged work can still change.

A record is open for `settings.WORK_EDIT_WINDOW_DAYS` days after its date: long enough to log last
month's work and fix it, short enough that the numbers officers act on stop moving. Closing a target
period (associations) closes its work too, even inside that window: its results are frozen, and the
work they were computed from must not move under them. Every caller (services, views, templates)
asks these functions only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from associations.models import Period

if TYPE_CHECKING:
    from .models import Activity


def open_since(today: dt.date | None = None) -> dt.date:
    """The earliest date that is still open: the window's start, or the day after the last closed
    period that reaches into the window (periods close in order: a year is closed after its work)."""
    since = (today or timezone.localdate()) - dt.timedelta(days=settings.WORK_EDIT_WINDOW_DAYS)
    closed_until = Period.objects.filter(status=Period.Status.CLOSED, end__gte=since).aggregate(end=Max("end"))["end"]
    return max(since, closed_until + dt.timedelta(days=1)) if closed_until else since


def date_is_open(day: dt.date, today: dt.date | None = None) -> bool:
    """May work dated `day` be logged, changed, approved or deleted (by anyone but the admin)?"""
    return day >= open_since(today)


def activity_is_editable(activity: Activity) -> bool:
    return date_is_open(activity.date)
