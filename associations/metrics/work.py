"""The Users and Platform associations' metrics: per manager, from logged work (programs.metrics)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from members.models import Member
from programs import metrics as work_metrics
from programs.models import Activity, Kind
from programs.models import Status as WorkStatus

from .base import (
    _SCANS,
    CountsQuery,
    _month,
    _scanned,
)

# --- Users and Platform associations: per manager, from logged work -------------------------------------


def _work_per_member(kind: str) -> Callable[[dt.date, dt.date], CountsQuery]:
    def count(start: dt.date, end: dt.date) -> CountsQuery:
        rows = work_metrics.work_counts(by=("member",), kinds=[kind], start=start, end=end)
        return rows.order_by().values_list("member_id", "n")

    return count


# The kinds of logged work the metrics count.
WORK_KINDS = (Kind.PUBLICATION, Kind.EDUCATION, Kind.DEPLOYMENT)


def _work_per_month(kind: str) -> Callable[[dt.date, dt.date], dict[dt.date, int]]:
    def count(start: dt.date, end: dt.date) -> dict[dt.date, int]:
        # During an evaluation one scan counts every kind's months (see `shared_scans`); else this kind's.
        kinds = WORK_KINDS if _SCANS.get() is not None else (kind,)
        rows = _scanned(
            ("work", start, end),
            lambda: list(work_metrics.work_counts(by=("kind", "month"), kinds=kinds, start=start, end=end)),
        )
        return {_month(r["month"]): r["n"] for r in rows if r["kind"] == kind}

    return count


def _work_records(kind: str) -> Callable[[Any, dt.date, dt.date], QuerySet]:
    def records(member: Member, start: dt.date, end: dt.date) -> QuerySet[Activity]:
        return (
            Activity.objects.filter(
                credits__member=member, kind=kind, status=WorkStatus.APPROVED, date__gte=start, date__lte=end
            )
            .select_related("kpmi", "kecamatan")
            .order_by("-date", "-pk")
        )

    return records
