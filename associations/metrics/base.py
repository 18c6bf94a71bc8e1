"""What a metric is: its subject, its unit and the shape of its queries (see the package's docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise

KPMI = "kpmi"
MANAGER = "manager"

# Rows of (subject id, count): grouped in the database, never fetched one by one.
CountsQuery = QuerySet

# How a metric's whole numbers read on a page (see the package's docstring).
COUNT = "count"
THOUSAND_RUPIAH = "thousand_rupiah"
PERCENT = "percent"
# The largest number the result columns hold (PositiveIntegerField on PostgreSQL).
INT_MAX = 2_147_483_647


@dataclass(frozen=True)
class Metric:
    code: str
    association: str
    subject: str  # KPMI or MANAGER
    label: Promise
    default_target: int
    per_subject: Callable[[dt.date, dt.date], CountsQuery]
    per_month: Callable[[dt.date, dt.date], dict[dt.date, int]]
    records: Callable[[Any, dt.date, dt.date], QuerySet]
    records_template: str
    unit: str = COUNT
    # (name in SUBJECT_SCANS, column): a full evaluation reads this metric's actuals from that column
    # of one scan shared with the other metrics naming it, instead of from `per_subject` (which the
    # refresh of a few subjects still uses, and which must give the same numbers).
    scan: tuple[str, int] | None = None

    @property
    def is_average(self) -> bool:
        """A percentage per group: the regency's figure is the groups' average, not their sum."""
        return self.unit == PERCENT


def _grouped(qs: QuerySet, key: str) -> CountsQuery:
    return qs.order_by().values_list(key).annotate(n=Count("*")).values_list(key, "n")


def _monthly(qs: QuerySet, date_field: str) -> dict[dt.date, int]:
    rows = qs.order_by().annotate(m=TruncMonth(date_field)).values_list("m").annotate(n=Count("*"))
    return {(m.date() if isinstance(m, dt.datetime) else m): n for m, n in rows}


# Several metrics' month series come from one scan of the same rows (logged work of the period; its
# orders; its postings). During an evaluation (`shared_scans`, opened by associations.services) each
# scan runs once and serves every metric that reads it; outside one, every call reads afresh.
_SCANS: ContextVar[dict | None] = ContextVar("association_metric_scans", default=None)


@contextmanager
def shared_scans() -> Iterator[None]:
    token = _SCANS.set({})
    try:
        yield
    finally:
        _SCANS.reset(token)


def _scanned(key: tuple, compute: Callable[[], Any]) -> Any:
    memo = _SCANS.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _month(m: Any) -> dt.date:
    return m.date() if isinstance(m, dt.datetime) else m
