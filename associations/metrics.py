"""What each association measures, in one registry.

A metric names its association, its subject (each KPMI, or each manager), a default yearly target,
and three database-side queries: the actual per subject over a date range (a queryset of
(subject id, count) rows, which the evaluation embeds in the SQL that writes the results), the
regency's actual per month, and the records behind one subject's number (the dashboard's drill-down). Work logged by
managers is counted by programs.metrics, the project's one definition of "how much work".

A new association's metrics (the Entrepreneurs association's, with the entrepreneurship issue) are
new entries here; nothing else changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import Kpmi, Level, LevelChange, Member
from programs import metrics as work_metrics
from programs.models import Activity, Kind
from programs.models import Status as WorkStatus

from .models import Association

KPMI = "kpmi"
MANAGER = "manager"

# Rows of (subject id, count): grouped in the database, never fetched one by one.
CountsQuery = QuerySet


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


def _grouped(qs: QuerySet, key: str) -> CountsQuery:
    return qs.order_by().values_list(key).annotate(n=Count("pk")).values_list(key, "n")


def _monthly(qs: QuerySet, date_field: str) -> dict[dt.date, int]:
    rows = qs.order_by().annotate(m=TruncMonth(date_field)).values_list("m").annotate(n=Count("pk"))
    return {(m.date() if isinstance(m, dt.datetime) else m): n for m, n in rows}


# --- Communities association: per KPMI ------------------------------------------------------------------


def _new_members(start: dt.date, end: dt.date) -> QuerySet[Member]:
    return Member.objects.filter(joined_on__gte=start, joined_on__lte=end)


def _new_trainers(start: dt.date, end: dt.date) -> QuerySet[LevelChange]:
    # A promotion to trainer (passing a ToT); registrations and corrections are not new trainers.
    return LevelChange.objects.filter(
        kind=LevelChange.Kind.PROMOTION, to_level=Level.TRAINER, effective_on__gte=start, effective_on__lte=end
    )


def _new_kpmi(start: dt.date, end: dt.date) -> QuerySet[Kpmi]:
    return Kpmi.objects.filter(founded_from__isnull=False, founded_on__gte=start, founded_on__lte=end)


# --- Users and Platform associations: per manager, from logged work -------------------------------------


def _work_per_member(kind: str) -> Callable[[dt.date, dt.date], CountsQuery]:
    def count(start: dt.date, end: dt.date) -> CountsQuery:
        rows = work_metrics.work_counts(by=("member",), kinds=[kind], start=start, end=end)
        return rows.order_by().values_list("member_id", "n")

    return count


def _work_per_month(kind: str) -> Callable[[dt.date, dt.date], dict[dt.date, int]]:
    def count(start: dt.date, end: dt.date) -> dict[dt.date, int]:
        rows = work_metrics.work_counts(by=("month",), kinds=[kind], start=start, end=end)
        return {(r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"]): r["n"] for r in rows}

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


METRICS: dict[str, Metric] = {
    metric.code: metric
    for metric in [
        Metric(
            code="new_members",
            association=Association.Code.COMMUNITIES,
            subject=KPMI,
            label=_("New members"),
            default_target=10,
            per_subject=lambda s, e: _grouped(_new_members(s, e), "kpmi_id"),
            per_month=lambda s, e: _monthly(_new_members(s, e), "joined_on"),
            records=lambda kpmi, s, e: _new_members(s, e).filter(kpmi=kpmi).order_by("joined_on", "full_name"),
            records_template="associations/records/members.html",
        ),
        Metric(
            code="new_trainers",
            association=Association.Code.COMMUNITIES,
            subject=KPMI,
            label=_("New trainers"),
            default_target=3,
            per_subject=lambda s, e: _grouped(_new_trainers(s, e), "member__kpmi_id"),
            per_month=lambda s, e: _monthly(_new_trainers(s, e), "effective_on"),
            records=lambda kpmi, s, e: (
                _new_trainers(s, e)
                .filter(member__kpmi=kpmi)
                .select_related("member", "recorded_by")
                .order_by("effective_on")
            ),
            records_template="associations/records/level_changes.html",
        ),
        Metric(
            code="new_kpmi",
            association=Association.Code.COMMUNITIES,
            subject=KPMI,
            label=_("New KPMI founded"),
            default_target=1,
            per_subject=lambda s, e: _grouped(_new_kpmi(s, e), "founded_from_id"),
            per_month=lambda s, e: _monthly(_new_kpmi(s, e), "founded_on"),
            records=lambda kpmi, s, e: (
                _new_kpmi(s, e)
                .filter(founded_from=kpmi)
                .select_related("kecamatan", "founded_by")
                .order_by("founded_on")
            ),
            records_template="associations/records/kpmi.html",
        ),
        Metric(
            code="publications",
            association=Association.Code.USERS,
            subject=MANAGER,
            label=_("Publications"),
            default_target=12,
            per_subject=_work_per_member(Kind.PUBLICATION),
            per_month=_work_per_month(Kind.PUBLICATION),
            records=_work_records(Kind.PUBLICATION),
            records_template="associations/records/activities.html",
        ),
        Metric(
            code="education",
            association=Association.Code.USERS,
            subject=MANAGER,
            label=_("ICT education sessions"),
            default_target=6,
            per_subject=_work_per_member(Kind.EDUCATION),
            per_month=_work_per_month(Kind.EDUCATION),
            records=_work_records(Kind.EDUCATION),
            records_template="associations/records/activities.html",
        ),
        Metric(
            code="deployments",
            association=Association.Code.PLATFORM,
            subject=MANAGER,
            label=_("ICT deployments"),
            default_target=2,
            per_subject=_work_per_member(Kind.DEPLOYMENT),
            per_month=_work_per_month(Kind.DEPLOYMENT),
            records=_work_records(Kind.DEPLOYMENT),
            records_template="associations/records/activities.html",
        ),
    ]
}


def metrics_of(association_code: str) -> list[Metric]:
    return [m for m in METRICS.values() if m.association == association_code]


def metric_choices(association_code: str | None = None) -> list[tuple[str, Promise]]:
    return [(m.code, m.label) for m in METRICS.values() if association_code in (None, m.association)]


def subjects(metric: Metric) -> QuerySet:
    """Who a metric is evaluated for: every group that is not dissolved, or every manager
    (pengelola) of such a group. Rows of (subject id, KPMI id, kecamatan id)."""
    if metric.subject == KPMI:
        return Kpmi.objects.exclude(status=Kpmi.Status.DISSOLVED).order_by("pk").values_list("pk", "pk", "kecamatan_id")
    return (
        Member.objects.filter(level=Level.MANAGER)
        .exclude(kpmi__status=Kpmi.Status.DISSOLVED)
        .order_by("pk")
        .values_list("pk", "kpmi_id", "kpmi__kecamatan_id")
    )
