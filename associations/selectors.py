"""Reads for associations: dashboards come from stored evaluation results (TargetResult and
MonthlyActual), so their cost does not grow with the number of logged activities."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection, connections, router
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.query import get_related_populators
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kpmi_si.kept import Kept
from kpmi_si.prepared import prepared_cursor
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


class _CompiledPeriods:
    """periods()' statement, compiled by the ORM once per process and database: it has no parameter, and
    compiling its joins and ordering took more of a dashboard's time than PostgreSQL took to answer it
    (README, Benchmark, issue #16). Only the SQL text is kept, never a row: every call reads the periods
    afresh. The rows become instances as the ORM's own iterator builds them (ModelIterable), the parent
    period included, as members.permissions does for the session's user."""

    def __init__(self, alias: str) -> None:
        compiler = periods().using(alias).query.get_compiler(using=alias)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        self.alias = alias
        self.compiler = compiler
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.model_slice = slice(start, end)
        self.init_list = [column[0].target.attname for column in select[start:end]]
        self.related_populators = get_related_populators(klass_info, select, alias)
        self.converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])

    def fetch(self) -> list[Period]:
        with prepared_cursor(self.alias) as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        found = []
        for row in rows:
            period = self.model.from_db(self.alias, self.init_list, row[self.model_slice])
            for populator in self.related_populators:
                populator.populate(row, period)
            found.append(period)
        return found


_compiled_periods: dict[tuple[str, str], _CompiledPeriods] = {}


def period_list() -> list[Period]:
    """periods(), read into a list by a statement compiled once per process (_CompiledPeriods)."""
    alias = router.db_for_read(Period)
    key = (alias, connections[alias].vendor)
    plan = _compiled_periods.get(key)
    if plan is None:
        plan = _compiled_periods[key] = _CompiledPeriods(alias)
    return plan.fetch()


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
    # A filter with no value filters nothing: without one, the FilterSet (a form built and validated)
    # is skipped, as it would return the queryset as given.
    if filters and any(filters.get(name) for name in ResultFilter.base_filters):
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


# The columns of the latest evaluation a dashboard shows (its status, progress, end and error).
EVALUATION_FIELDS = (
    "id",
    "period_id",
    "status",
    "requested_by_id",
    "created_at",
    "started_at",
    "finished_at",
    "steps_done",
    "steps_total",
    "error",
    "results_changed",
)


@dataclass
class DashboardNumbers:
    """What a dashboard shows of the stored results, read in one statement (dashboard_numbers)."""

    totals: Totals
    by_kecamatan: list[dict[str, Any]]
    rows: list[dict[str, Any]]  # the page's rows, as `.values(*fields)` gives them
    page_number: int  # the page shown, as Paginator.get_page chooses it
    trend: list[tuple[date, int]]
    evaluation: Evaluation | None
    succeeded_at: datetime | None  # the end of the period's last successful evaluation
    kecamatan_choices: list[tuple[str, str]] = field(default_factory=list)


def _sql(qs: QuerySet, columns: int) -> tuple[str, list[Any]]:
    """A queryset's compiled SQL and parameters; a queryset that cannot match anything (Django raises
    EmptyResultSet rather than compile it) becomes a statement of no rows with as many columns."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return "SELECT " + ", ".join(["NULL"] * columns) + " WHERE false", []
    return sql, list(params)


def page_number(raw: Any) -> int:
    """The page asked for, as Paginator.validate_number reads it (anything not a whole number is page 1),
    kept within a SQL integer: a number past the last page shows the last page either way."""
    try:
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return max(0, min(number, 2**31 - 1))


def _dashboard_rows(
    *, period: Period, metric: Metric, filters: dict[str, Any], sort: str
) -> tuple[QuerySet[TargetResult], QuerySet[TargetResult], bool]:
    """The filtered results, the results the district chart counts (all districts) and whether a
    district filter is on."""
    rows = results(period=period, metric=metric, filters=filters, sort=sort)
    district = bool(filters.get("kecamatan"))
    if not district:
        return rows, rows, False
    others = {k: v for k, v in filters.items() if k != "kecamatan"}
    return rows, results(period=period, metric=metric, filters=others), True


def _chart(groups: list[dict[str, Any]], *, average: bool) -> list[dict[str, Any]]:
    """The district chart from the groups' sums: a percentage metric shows the average of the groups."""
    chart = []
    for group in groups:
        target, actual = group["target"] or 0, group["actual"] or 0
        if average:
            target, actual = round(target / group["subjects"]), round(actual / group["subjects"])
        chart.append({"kecamatan__name": group["kecamatan__name"], "target": target, "actual": actual})
    return chart


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


def _dashboard_numbers_orm(
    *,
    rows: QuerySet[TargetResult],
    chart: QuerySet[TargetResult],
    district: bool,
    period: Period,
    metric: Metric,
    page: Any,
    per_page: int,
    fields: tuple[str, ...],
    kecamatan_choices: QuerySet | None,
) -> DashboardNumbers:
    """dashboard_numbers through the ORM, for a database other than PostgreSQL (the SQLite demo)."""
    groups = list(chart.order_by().values("kecamatan__name").annotate(**_counts()).order_by("kecamatan__name"))
    if district:
        counted = rows.order_by().aggregate(**_counts())
    else:
        counted = {name: sum(g[name] or 0 for g in groups) for name in _counts() if name != "last_written"}
        counted["last_written"] = max((g["last_written"] for g in groups if g["last_written"]), default=None)
    last_written = counted.pop("last_written")
    totals = Totals(**{name: value or 0 for name, value in counted.items()}, last_written=last_written)
    paginator = Paginator(rows.values(*fields), per_page)
    paginator.count = totals.subjects
    shown = paginator.get_page(page)
    evaluations = Evaluation.objects.filter(period=period)
    return DashboardNumbers(
        totals=totals,
        by_kecamatan=_chart(groups, average=metric.is_average),
        rows=list(shown.object_list),
        page_number=shown.number,
        trend=list(
            MonthlyActual.objects.filter(period=period, metric=metric.code)
            .order_by("month")
            .values_list("month", "actual")
        ),
        evaluation=evaluations.order_by("-created_at", "-pk").first(),
        succeeded_at=evaluations.filter(status=Evaluation.Status.SUCCEEDED).aggregate(at=Max("finished_at"))["at"],
        kecamatan_choices=list(kecamatan_choices.values_list("pk", "name")) if kecamatan_choices is not None else [],
    )


def dashboard_numbers(
    *,
    period: Period,
    metric: Metric,
    filters: dict[str, Any],
    sort: str,
    page: Any,
    per_page: int,
    fields: tuple[str, ...],
    kecamatan_choices: QuerySet | None = None,
) -> DashboardNumbers:
    """A dashboard's stored numbers in one statement: the totals of the filtered results, the district
    chart (every district: it ignores the district filter; a percentage metric's districts averaged),
    the page of rows (the page Paginator.get_page would choose), the month series, the latest
    evaluation, the end of the last successful one and (optionally) the district filter's choices.
    Read apart, they were six round trips and as many ORM compilations, most of the page's own time
    (README, Benchmark, issue #16). The rows are results()'s queryset, compiled and wrapped here, so
    its filters and sort stay defined once. PostgreSQL only: elsewhere (the SQLite demo) the same numbers
    come from the ORM, a statement each (_dashboard_numbers_orm)."""
    if connection.vendor != "postgresql":
        rows, chart, district = _dashboard_rows(period=period, metric=metric, filters=filters, sort=sort)
        return _dashboard_numbers_orm(
            rows=rows,
            chart=chart,
            district=district,
            period=period,
            metric=metric,
            page=page,
            per_page=per_page,
            fields=fields,
            kecamatan_choices=kecamatan_choices,
        )
    sql, params = _dashboard_statement(
        period=period,
        metric=metric,
        filters=filters,
        sort=sort,
        number=page_number(page),
        per_page=per_page,
        fields=fields,
        kecamatan_choices=kecamatan_choices,
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return _parsed_numbers(row, metric=metric)


# dashboard_numbers' statements, compiled: the SQL text and its parameters only, never a result. Compiling
# results()'s querysets (a FilterSet validated when a filter is on) and wrapping them was a third of the
# page's own time (README, Benchmark, issue #16). The key holds every value the statement is made of, so
# a hit is the very statement a compilation would give; a district filter is not kept, as whether its
# code exists is read from the database when the filter validates it. Bounded, renewed when full (page
# numbers come and go), forgotten at a settings change (kpmi_si.kept).
_STATEMENTS: Kept[tuple[str, tuple[Any, ...]]] = Kept(1024, renew_when_full=True)


def _dashboard_statement(
    *,
    period: Period,
    metric: Metric,
    filters: dict[str, Any],
    sort: str,
    number: int,
    per_page: int,
    fields: tuple[str, ...],
    kecamatan_choices: QuerySet | None,
) -> tuple[str, list[Any]]:
    from .filters import ResultFilter

    values = tuple(filters.get(name) or "" for name in ResultFilter.base_filters) if filters else ()

    def compiled() -> tuple[str, tuple[Any, ...]]:
        sql, params = _compile_dashboard_statement(
            period=period,
            metric=metric,
            filters=filters,
            sort=sort,
            number=number,
            per_page=per_page,
            fields=fields,
            kecamatan_choices=kecamatan_choices,
        )
        return sql, tuple(params)

    if filters and filters.get("kecamatan"):
        sql, params = compiled()
    else:
        # The choices' queryset is the district filter's, the same SQL on every call: whether there is one.
        key = (period.pk, metric.code, values, sort, number, per_page, fields, kecamatan_choices is not None)
        sql, params = _STATEMENTS.get(key, compiled)
    return sql, list(params)


# The figures a dashboard counts over result rows (target, actual, status, evaluated_at), for the
# district groups and the filtered totals alike; the four %s are the statuses, in this order.
_COUNTED = (
    "sum(target)::bigint AS target, sum(actual)::bigint AS actual, count(*) AS subjects,"
    " count(*) FILTER (WHERE status = %s) AS achieved, count(*) FILTER (WHERE status = %s) AS on_track,"
    " count(*) FILTER (WHERE status = %s) AS behind, count(*) FILTER (WHERE status = %s) AS not_started,"
    " max(evaluated_at) AS last_written"
)


def _compile_dashboard_statement(
    *,
    period: Period,
    metric: Metric,
    filters: dict[str, Any],
    sort: str,
    number: int,
    per_page: int,
    fields: tuple[str, ...],
    kecamatan_choices: QuerySet | None,
) -> tuple[str, list[Any]]:
    """dashboard_numbers' one statement and its parameters (see there)."""
    rows, chart, district = _dashboard_rows(period=period, metric=metric, filters=filters, sort=sort)
    counted_columns = ("target", "actual", "status", "evaluated_at")
    chart_sql, chart_params = _sql(chart.order_by().values("kecamatan__name", *counted_columns), 5)
    statuses = [
        TargetResult.Status.ACHIEVED,
        TargetResult.Status.ON_TRACK,
        TargetResult.Status.BEHIND,
        TargetResult.Status.NOT_STARTED,
    ]
    ctes = [
        f"chart(kecamatan__name, target, actual, status, evaluated_at) AS ({chart_sql})",
        f"groups AS (SELECT kecamatan__name, {_COUNTED} FROM chart GROUP BY 1)",  # noqa: S608  # nosec B608  # a constant of this module
    ]
    params: list[Any] = [*chart_params, *statuses]
    if district:
        # The totals count the filtered rows, the chart every district's.
        rows_sql, rows_params = _sql(rows.order_by().values(*counted_columns), 4)
        ctes += [
            f"filtered(target, actual, status, evaluated_at) AS ({rows_sql})",
            f"counted AS (SELECT {_COUNTED} FROM filtered)",  # noqa: S608  # nosec B608  # a constant of this module
        ]
        params += [*rows_params, *statuses]
    else:
        # Without a district filter the totals are the sum of the chart's groups.
        ctes.append(
            "counted AS (SELECT sum(target)::bigint AS target, sum(actual)::bigint AS actual,"
            " sum(subjects)::bigint AS subjects, sum(achieved)::bigint AS achieved,"
            " sum(on_track)::bigint AS on_track, sum(behind)::bigint AS behind,"
            " sum(not_started)::bigint AS not_started, max(last_written) AS last_written FROM groups)"
        )
    # Paginator.get_page: a number outside 1..num_pages shows the last page (num_pages is 1 when empty).
    ctes.append(
        "pg AS (SELECT CASE WHEN %s BETWEEN 1 AND n THEN %s ELSE n END AS number"
        " FROM (SELECT ceil(greatest(coalesce(subjects, 0), 1)::numeric / %s)::int AS n FROM counted) x)"
    )
    params += [number, number, per_page]
    page_sql, page_params = _sql(rows.values(*fields), len(fields))
    columns = ", ".join(connection.ops.quote_name(f) for f in fields)
    params += [
        *page_params,
        per_page,
        per_page,
        period.pk,
        metric.code,
        period.pk,
        period.pk,
        Evaluation.Status.SUCCEEDED,
    ]
    choices_sql = "NULL"
    if kecamatan_choices is not None:
        choices_sql, choices_params = _sql(kecamatan_choices.values_list("pk", "name"), 2)
        choices_sql = f"SELECT json_agg(json_build_array(k, n))::text FROM ({choices_sql}) AS ch(k, n)"  # noqa: S608  # nosec B608 - a compiled queryset
        params += choices_params
    # An aggregate reads an ordered subquery in its order (PostgreSQL, "Aggregate Expressions"): the page.
    sql = f"""
        WITH {", ".join(ctes)}
        SELECT c.target, c.actual, c.subjects, c.achieved, c.on_track, c.behind, c.not_started, c.last_written,
               pg.number,
               (SELECT json_agg(p)::text
                FROM ({page_sql} LIMIT %s OFFSET (SELECT (number - 1) * %s FROM pg)) AS p({columns})),
               (SELECT json_agg(g ORDER BY g.kecamatan__name)::text FROM groups g),
               (SELECT json_agg(json_build_array(month, actual) ORDER BY month)::text
                FROM {MonthlyActual._meta.db_table} WHERE period_id = %s AND metric = %s),
               (SELECT row_to_json(e)::text FROM (
                   SELECT {", ".join(EVALUATION_FIELDS)} FROM {Evaluation._meta.db_table} WHERE period_id = %s
                   ORDER BY created_at DESC, id DESC LIMIT 1) e),
               (SELECT max(finished_at) FROM {Evaluation._meta.db_table} WHERE period_id = %s AND status = %s),
               ({choices_sql})
        FROM counted c, pg
    """  # noqa: S608  # nosec B608 - compiled querysets and this function's SQL; every value is a parameter
    return sql, params


def _parsed_numbers(row: tuple[Any, ...], *, metric: Metric) -> DashboardNumbers:
    """DashboardNumbers from the row of dashboard_numbers' statement."""

    def parsed(text: str | None) -> Any:
        # Decimal, as the ORM gives the ratio column; the integers stay int.
        return json.loads(text, parse_float=Decimal) if text is not None else None

    target, actual, subjects, achieved, on_track, behind, not_started, last_written, shown = row[:9]
    page_rows, groups, trend, evaluation = parsed(row[9]), parsed(row[10]) or [], parsed(row[11]) or [], parsed(row[12])
    succeeded_at = row[13]
    totals = Totals(
        target=target or 0,
        actual=actual or 0,
        subjects=subjects or 0,
        achieved=achieved or 0,
        on_track=on_track or 0,
        behind=behind or 0,
        not_started=not_started or 0,
        last_written=last_written,
    )
    if evaluation is not None:
        for name in ("created_at", "started_at", "finished_at"):
            evaluation[name] = parse_datetime(evaluation[name]) if evaluation[name] else None
        evaluation = Evaluation(**evaluation)
    return DashboardNumbers(
        totals=totals,
        by_kecamatan=_chart(groups, average=metric.is_average),
        rows=page_rows or [],
        page_number=shown,
        trend=[(date.fromisoformat(month), n) for month, n in trend],
        evaluation=evaluation,
        succeeded_at=succeeded_at,
        kecamatan_choices=[(code, name) for code, name in parsed(row[14]) or []],
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
