"""Calendar months, as every app counts them: a month is named by its first day (the stored month of a
trend, a settlement, a monthly actual) and ends on its last day, both inside a period's dates."""

from __future__ import annotations

import datetime as dt


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of the month of `day`."""
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from the month of `start` to the month of `end`, both included."""
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = month_end(month) + dt.timedelta(days=1)
    return months


def previous_month(today: dt.date) -> dt.date:
    """The first day of the month before the month of `today`."""
    return month_start(month_start(today) - dt.timedelta(days=1))
