"""When logged work can still change.

For now a record is open for `settings.WORK_EDIT_WINDOW_DAYS` days after its date: long enough to
log last month's work and fix it, short enough that the numbers officers act on stop moving.
Target periods that an officer can close come later; they plug in here, and every caller
(services, views, templates) asks these two functions only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Activity


def open_since(today: dt.date | None = None) -> dt.date:
    """The earliest date that is still open."""
    return (today or timezone.localdate()) - dt.timedelta(days=settings.WORK_EDIT_WINDOW_DAYS)


def date_is_open(day: dt.date, today: dt.date | None = None) -> bool:
    """May work dated `day` be logged, changed, approved or deleted (by anyone but the admin)?"""
    return day >= open_since(today)


def activity_is_editable(activity: Activity) -> bool:
    return date_is_open(activity.date)
