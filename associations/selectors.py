"""Reads for associations: dashboards come from stored evaluation results (TargetResult and
MonthlyActual), so their cost does not grow with the number of logged activities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from members.models import Kpmi

from .metrics import METRICS, Metric, metrics_of
from .models import PERIOD_ORDER, Association, Evaluation, MonthlyActual, Period, Target, TargetResult

# Ties break on the primary key, so a page of 25 reads 25 rows through an index, whatever the scale.
SORTS = {
    "name": ("kpmi__name", "member__full_name"),
    "-name": ("-kpmi__name", "-member__full_name"),
    "kecamatan": ("kecamatan__name", "kpmi__name"),
    "-kecamatan": ("-kecamatan__name", "kpmi__name"),
    "target": ("target",),
    "-target": ("-target",),
    "actual": ("actual",),
    "-actual": ("-actual",),
    "ratio": ("ratio",),
    "-ratio": ("-ratio",),
}
DEFAULT_SORT = "ratio"
RESULT_COLUMNS = (
    "period_id",
    "association_id",
    "metric",
    "target",
    "actual",
    "ratio",
    "status",
    "kpmi__id",
    "kpmi__name",
    "member__id",
    "member__full_name",
    "kecamatan__code",
    "kecamatan__name",
)


def association_by_code(*, code: str) -> Association:
    return Association.objects.get(code=code)


def periods() -> QuerySet[Period]:
    return Period.objects.select_related("parent").order_by(*PERIOD_ORDER)


def current_period() -> Period | None:
    """The period a dashboard opens on: the open year running today, else the latest one."""
    today = timezone.localdate()
    top = Period.objects.filter(parent__isnull=True)
    return top.filter(start__lte=today, end__gte=today).order_by("-start").first() or top.order_by("-start").first()


def current_period_among(periods: list[Period]) -> Period | None:
    """current_period, chosen from the periods a page lists already (one query fewer)."""
    today = timezone.localdate()
    top = [p for p in periods if p.parent_id is None]
    running = [p for p in top if p.start <= today <= p.end]
    return max(running or top, key=lambda p: p.start, default=None)


def latest_evaluation(*, period: Period) -> Evaluation | None:
    return (
        Evaluation.objects.filter(period=period).select_related("requested_by").order_by("-created_at", "-pk").first()
    )


def results_computed_at(*, period: Period, rows: Any = None) -> Any:
    """When the stored numbers were last computed: the last successful evaluation of the period
    (which rewrites only the rows that changed, so a row's own stamp can be older), or a later
    rewrite of a row shown (`rows`, already loaded). One query: dashboards count theirs."""
    finished = Evaluation.objects.filter(period=period, status=Evaluation.Status.SUCCEEDED).aggregate(
        at=Max("finished_at")
    )["at"]
    written = max((row.evaluated_at for row in rows), default=None) if rows is not None else None
    return max((at for at in (finished, written) if at is not None), default=None)


def results(
    *, period: Period, metric: Metric, filters: dict[str, Any] | None = None, sort: str = DEFAULT_SORT
) -> QuerySet[TargetResult]:
    from .filters import ResultFilter

    # Only the columns a page or export shows: a page of 25 results built the full KPMI and member
    # rows (addresses, phones, coordinates) for nothing.
    qs = (
        TargetResult.objects.filter(period=period, metric=metric.code)
        .select_related("kpmi", "member", "kecamatan")
        .only(*RESULT_COLUMNS)
    )
    qs = ResultFilter(filters, queryset=qs).qs
    order = SORTS.get(sort, SORTS[DEFAULT_SORT])
    return qs.order_by(*order, "-pk" if order[0].startswith("-") else "pk")


@dataclass
class Totals:
    target: int
    actual: int
    subjects: int
    achieved: int
    on_track: int
    behind: int
    not_started: int
    # The newest stamp of the rows counted: an incremental refresh (associations/refresh.py) rewrites
    # rows after the last evaluation, so "computed at" is the later of the two.
    last_written: Any = None

    @property
    def percent(self) -> int:
        return round(100 * self.actual / self.target) if self.target else 100

    # A percentage metric (operations coverage) reads as the groups' average, not their sum.
    @property
    def average_actual(self) -> int:
        return round(self.actual / self.subjects) if self.subjects else 0

    @property
    def average_target(self) -> int:
        return round(self.target / self.subjects) if self.subjects else 0


def totals(qs: QuerySet[TargetResult]) -> Totals:
    row = qs.order_by().aggregate(
        target=Sum("target"),
        actual=Sum("actual"),
        subjects=Count("pk"),
        achieved=Count("pk", filter=Q(status=TargetResult.Status.ACHIEVED)),
        on_track=Count("pk", filter=Q(status=TargetResult.Status.ON_TRACK)),
        behind=Count("pk", filter=Q(status=TargetResult.Status.BEHIND)),
        not_started=Count("pk", filter=Q(status=TargetResult.Status.NOT_STARTED)),
        last_written=Max("evaluated_at"),
    )
    last_written = row.pop("last_written")
    return Totals(**{key: value or 0 for key, value in row.items()}, last_written=last_written)


def _counts() -> dict[str, Any]:
    return {
        "target": Sum("target"),
        "actual": Sum("actual"),
        "subjects": Count("pk"),
        "achieved": Count("pk", filter=Q(status=TargetResult.Status.ACHIEVED)),
        "on_track": Count("pk", filter=Q(status=TargetResult.Status.ON_TRACK)),
        "behind": Count("pk", filter=Q(status=TargetResult.Status.BEHIND)),
        "not_started": Count("pk", filter=Q(status=TargetResult.Status.NOT_STARTED)),
        "last_written": Max("evaluated_at"),
    }


def totals_and_by_kecamatan(
    qs: QuerySet[TargetResult], *, average: bool = False
) -> tuple[Totals, list[dict[str, Any]]]:
    """totals(qs) and by_kecamatan(qs) from one statement: every figure per district, added up here.
    For a page whose district chart and totals read the same rows (no district filter)."""
    groups = list(qs.order_by().values("kecamatan__name").annotate(**_counts()).order_by("kecamatan__name"))
    fields = ("target", "actual", "subjects", "achieved", "on_track", "behind", "not_started")
    totals = Totals(
        **{field: sum(group[field] or 0 for group in groups) for field in fields},
        last_written=max((g["last_written"] for g in groups if g["last_written"] is not None), default=None),
    )
    chart = []
    for group in groups:
        target, actual = group["target"], group["actual"]
        if average:  # Avg over the district's rows, as by_kecamatan's
            target, actual = round(target / group["subjects"]), round(actual / group["subjects"])
        chart.append({"kecamatan__name": group["kecamatan__name"], "target": target, "actual": actual})
    return totals, chart


def by_kecamatan(qs: QuerySet[TargetResult], *, average: bool = False) -> list[dict[str, Any]]:
    """Target and actual per district: summed, or (a percentage metric) averaged over its groups."""
    total = Avg if average else Sum
    rows = list(
        qs.order_by()
        .values("kecamatan__name")
        .annotate(target=total("target"), actual=total("actual"))
        .order_by("kecamatan__name")
    )
    if average:
        for row in rows:
            row["target"], row["actual"] = round(row["target"] or 0), round(row["actual"] or 0)
    return rows


def monthly_trend(*, period: Period, metric: Metric) -> list[tuple[Any, int]]:
    return list(
        MonthlyActual.objects.filter(period=period, metric=metric.code).order_by("month").values_list("month", "actual")
    )


def targets_of(*, period: Period, association: Association) -> QuerySet[Target]:
    return (
        Target.objects.filter(period=period, association=association)
        .select_related("kpmi", "member", "member__kpmi")
        .order_by("metric", "kpmi__name", "member__full_name")
    )


def kpmi_progress(*, kpmi: Kpmi, period: Period | None = None) -> tuple[Period | None, list[TargetResult]]:
    """A group's own targets and its managers' targets in the current period, behind first."""
    period = period or current_period()
    if period is None:
        return None, []
    rows = list(
        TargetResult.objects.filter(period=period, kpmi=kpmi)
        .select_related("member")
        .order_by("ratio", "metric", "member__full_name")
    )
    for row in rows:
        row.metric_def = METRICS.get(row.metric)
    return period, rows


__all__ = ["metrics_of"]
