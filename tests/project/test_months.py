"""Calendar months as every app counts them (kpmi_si.months): the settlements, the monthly actuals, the
entrepreneurs' month series and the demo data all name a month by its first day."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from kpmi_si.months import month_end, month_start, month_starts, previous_month

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@given(days)
def test_a_day_lies_between_its_months_first_and_last_day(day):
    first, last = month_start(day), month_end(day)
    assert first.day == 1 and (first.year, first.month) == (day.year, day.month)
    assert first <= day <= last and (last.year, last.month) == (day.year, day.month)
    assert (last + dt.timedelta(days=1)).day == 1


@given(days)
def test_the_previous_month_ends_the_day_before_this_one_starts(day):
    assert month_end(previous_month(day)) == month_start(day) - dt.timedelta(days=1)


@given(days, days)
def test_month_starts_name_each_month_of_a_range_once(a, b):
    start, end = min(a, b), max(a, b)
    months = month_starts(start, end)
    assert months[0] == month_start(start) and months[-1] == month_start(end)
    # Consecutive months, each following the last day of the one before.
    assert all(later == month_end(earlier) + dt.timedelta(days=1) for earlier, later in pairwise(months))


def test_leap_februaries():
    assert month_end(dt.date(2024, 2, 10)) == dt.date(2024, 2, 29)
    assert month_end(dt.date(2100, 2, 10)) == dt.date(2100, 2, 28)
    assert month_starts(dt.date(2024, 12, 31), dt.date(2025, 2, 1)) == [
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 1),
    ]
