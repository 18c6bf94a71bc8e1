"""What each association measures, in one registry.

A metric names its association, its subject (each KPMI, or each manager), a default yearly target,
and three database-side queries: the actual per subject over a date range (a queryset of
(subject id, count) rows, which the evaluation embeds in the SQL that writes the results), the
regency's actual per month, and the records behind one subject's number (the dashboard's drill-down). Work logged by
managers is counted by programs.metrics, the project's one definition of "how much work".

A new association's metrics are new entries here; nothing else changes. The Entrepreneurs
association's (services delivered, pioneers' businesses, money) read the entrepreneurship app's
tables, its money through entrepreneurship.metrics, the one definition of earned income, operating
costs and coverage; its content figures (articles published, content sales, revenue to pioneer
writers) read Garut Citizen Journalism's articles, sales and authors' earnings.

Every stored number is a whole number (TargetResult and MonthlyActual hold integers); a metric's
`unit` says how a page shows it: a count, whole thousands of Rupiah (a KPMI's yearly income in
Rupiah could pass the column's 2,147,483,647; in thousands it cannot before Rp 2 trillion, and the
regency's month stays far below that too), or a whole percent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Floor, Greatest, Least, TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from citizen_journalism.models import Article, Earning, EarningKind, Sale
from entrepreneurship import metrics as money_metrics
from entrepreneurship.models import (
    EARNED_CATEGORIES,
    OPERATING_CATEGORIES,
    Business,
    Category,
    Order,
    PaymentStatus,
    Posting,
)
from members.models import Kpmi, Level, LevelChange, Member
from programs import metrics as work_metrics
from programs.models import Activity, Kind
from programs.models import Status as WorkStatus

from .models import Association

KPMI = "kpmi"
MANAGER = "manager"

# Rows of (subject id, count): grouped in the database, never fetched one by one.
CountsQuery = QuerySet

# How a metric's whole numbers read on a page (see the module's docstring).
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


# --- Entrepreneurs association: per KPMI, from services, businesses and the ledger --------------------

# Several of these metrics' month series come from one scan of the same rows (the orders of the
# period; its postings). During an evaluation (`shared_scans`, opened by associations.services) each
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


def _active_businesses(start: dt.date, end: dt.date) -> QuerySet[Business]:
    """Businesses running at some time in [start, end]: started by its end, not closed before its start."""
    return Business.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start), started_on__lte=end)


def _pioneers_per_kpmi(start: dt.date, end: dt.date) -> CountsQuery:
    # A pioneer with two businesses is one pioneer running a business.
    return (
        _active_businesses(start, end)
        .order_by()
        .values_list("kpmi_id")
        .annotate(n=Count("owner_id", distinct=True))
        .values_list("kpmi_id", "n")
    )


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _pioneers_per_month(start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """Pioneers running a business in each month of the period. Businesses are few (a handful per
    group), so the months are counted here from one read of the period's businesses."""
    rows = list(_active_businesses(start, end).values_list("owner_id", "started_on", "closed_on"))
    out = {}
    for month in _month_starts(start, end):
        last = _month_end(month)
        owners = {o for o, began, closed in rows if began <= last and (closed is None or closed >= month)}
        if owners:
            out[month] = len(owners)
    return out


def _services(start: dt.date, end: dt.date, *, free: bool) -> QuerySet[Order]:
    """Orders dated in the period and not cancelled: paid ones (a price above zero) or free ones
    (free by an eligibility rule: a trainer candidate's training, the target community's deployment).
    A service a KPMI prices at zero is neither: nobody paid and no rule made it free."""
    orders = Order.objects.filter(date__gte=start, date__lte=end).exclude(payment_status=PaymentStatus.CANCELLED)
    return orders.filter(is_free=True) if free else orders.filter(total__gt=0)


def _orders_per_month(start: dt.date, end: dt.date) -> list[tuple[dt.date, int, int]]:
    """(month, paid services, free services): both series in one scan of the period's orders."""

    def scan() -> list[tuple[dt.date, int, int]]:
        orders = Order.objects.filter(date__gte=start, date__lte=end).exclude(payment_status=PaymentStatus.CANCELLED)
        rows = (
            orders.order_by()
            .annotate(m=TruncMonth("date"))
            .values("m")
            .annotate(paid=Count("pk", filter=Q(total__gt=0)), free=Count("pk", filter=Q(is_free=True)))
            .values_list("m", "paid", "free")
        )
        return [(_month(m), paid, free) for m, paid, free in rows]

    return _scanned(("orders", start, end), scan)


def _orders_per_kpmi(start: dt.date, end: dt.date) -> CountsQuery:
    """(KPMI, paid services, free services): both metrics' actuals in one scan of the period's orders,
    each counted as `_services` selects it. A group with orders of one kind only gets 0 for the other,
    which is what the evaluation gives a group without a row."""
    orders = Order.objects.filter(date__gte=start, date__lte=end).exclude(payment_status=PaymentStatus.CANCELLED)
    return (
        orders.order_by()
        .values_list("kpmi_id")
        .annotate(paid=Count("pk", filter=Q(total__gt=0)), free=Count("pk", filter=Q(is_free=True)))
        .values_list("kpmi_id", "paid", "free")
    )


def _services_per_month(*, free: bool) -> Callable[[dt.date, dt.date], dict[dt.date, int]]:
    def per_month(start: dt.date, end: dt.date) -> dict[dt.date, int]:
        rows = _orders_per_month(start, end)
        return {m: n for m, paid, gratis in rows if (n := gratis if free else paid)}

    return per_month


def _order_records(free: bool) -> Callable[[Any, dt.date, dt.date], QuerySet]:
    def records(kpmi: Kpmi, start: dt.date, end: dt.date) -> QuerySet[Order]:
        return (
            _services(start, end, free=free)
            .filter(kpmi=kpmi)
            .select_related("service", "member", "client")
            .order_by("date", "receipt_number")
        )

    return records


def _contributions(start: dt.date, end: dt.date) -> QuerySet[Posting]:
    # Reversals carry the category of what they reverse: the sum is net of corrections.
    return money_metrics.postings_between(start, end).filter(category=Category.BUSINESS_CONTRIBUTION)


def _thousands(total: Any) -> Any:
    """Whole thousands of Rupiah of a sum, rounded down, between 0 (a period whose reversals exceed its
    contributions) and the column's bound."""
    # Bounded before the cast to integer, so that no sum can overflow it.
    whole = DecimalField(max_digits=20, decimal_places=0)
    bounded = Least(
        Greatest(Floor(Coalesce(total, Value(0)) / 1000), Value(0), output_field=whole),
        Value(INT_MAX),
        output_field=whole,
    )
    return Cast(bounded, IntegerField())


def _contributions_per_kpmi(start: dt.date, end: dt.date) -> CountsQuery:
    return (
        _contributions(start, end)
        .order_by()
        .values_list("kpmi_id")
        .annotate(n=_thousands(Sum("amount")))
        .values_list("kpmi_id", "n")
    )


def _money_per_month(start: dt.date, end: dt.date) -> list[tuple[dt.date, Any, Any, Any]]:
    """(month, earned, operating costs, business contributions or None): the regency's money each
    month, for both money metrics' series, in one scan of the period's postings."""

    def scan() -> list[tuple[dt.date, Any, Any, Any]]:
        rows = (
            money_metrics.postings_between(start, end)
            .order_by()
            .annotate(m=TruncMonth("date"))
            .values("m")
            .annotate(
                earned=money_metrics._earned(),
                costs=money_metrics._costs(),
                contributions=Sum("amount", filter=Q(category=Category.BUSINESS_CONTRIBUTION)),
            )
            .values_list("m", "earned", "costs", "contributions")
        )
        return [(_month(m), earned, costs, contributions) for m, earned, costs, contributions in rows]

    return _scanned(("postings", start, end), scan)


def _money_per_kpmi(start: dt.date, end: dt.date) -> CountsQuery:
    """(KPMI, business contributions, operations coverage): both money metrics' actuals in one scan of
    the period's postings, each as `_contributions_per_kpmi` and `_coverage_per_kpmi` compute it. A
    group without contributions gets 0 (`_thousands` of nothing), one without operating costs no
    coverage (NULL), which the evaluation counts as 0, as it does a group without a row."""
    return (
        money_metrics.money_per_kpmi(start, end)
        .annotate(
            contributions=_thousands(Sum("amount", filter=Q(category=Category.BUSINESS_CONTRIBUTION))),
            coverage=Greatest(money_metrics.coverage_percent_expression(), Value(0)),
        )
        .values_list("kpmi_id", "contributions", "coverage")
    )


def _contributions_per_month(start: dt.date, end: dt.date) -> dict[dt.date, int]:
    # As `_thousands` does in SQL: whole thousands rounded down, between 0 and the column's bound.
    return {
        m: min(max(int(contributions // 1000), 0), INT_MAX)
        for m, _earned, _costs, contributions in _money_per_month(start, end)
        if contributions is not None
    }


def _posting_records(categories: list[str]) -> Callable[[Any, dt.date, dt.date], QuerySet]:
    def records(kpmi: Kpmi, start: dt.date, end: dt.date) -> QuerySet[Posting]:
        return (
            money_metrics.postings_between(start, end)
            .filter(kpmi=kpmi, category__in=categories)
            .select_related("order", "settlement__business", "reverses")
            .order_by("date", "pk")
        )

    return records


def _coverage_per_kpmi(start: dt.date, end: dt.date) -> CountsQuery:
    """Whole-percent operations coverage per KPMI. A group with no operating costs in the period has
    nothing covered: its row is left out and the evaluation gives it 0 — not met unless its target is
    0 — rather than the undefined 100 % that would count as met by accident."""
    # Earned income can be negative in a period (a reversal of income earned before it): 0 %, as the
    # result columns hold no negative number.
    return (
        money_metrics.money_per_kpmi(start, end)
        .filter(costs__gt=0)
        .annotate(n=Greatest(money_metrics.coverage_percent_expression(), Value(0)))
        .values_list("kpmi_id", "n")
    )


def _coverage_per_month(start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """The regency's coverage each month: all groups' earned income over all their operating costs."""
    out = {}
    for m, earned, costs, _contributions in _money_per_month(start, end):
        percent = money_metrics.coverage_percent(earned=earned, costs=costs)
        if percent is not None:
            out[m] = max(int(percent), 0)
    return out


# --- Entrepreneurs association: content sold through Garut Citizen Journalism (#13), per KPMI --------------


def _articles_published(start: dt.date, end: dt.date) -> QuerySet[Article]:
    # First publication, by Garut's calendar: a correction published again is not a new article.
    return Article.objects.filter(first_published_at__date__gte=start, first_published_at__date__lte=end)


def _content_sales(start: dt.date, end: dt.date) -> QuerySet[Sale]:
    # A sale is credited to the group it was split with (the author's KPMI when it was made), whose
    # ledger received the group's share.
    return Sale.objects.filter(date__gte=start, date__lte=end, cancelled_at__isnull=True)


def _pioneer_earnings(start: dt.date, end: dt.date) -> QuerySet[Earning]:
    """Pioneer authors' shares of sales in the period, net of cancellations: a cancelled sale's
    negative earning is dated when it was cancelled, as a ledger reversal is. Payouts are not revenue."""
    return Earning.objects.filter(
        date__gte=start,
        date__lte=end,
        kind__in=[EarningKind.SALE, EarningKind.SALE_CANCELLED],
        author__level=Level.PIONEER,
    )


def _revenue_to_pioneers_per_kpmi(start: dt.date, end: dt.date) -> CountsQuery:
    return (
        _pioneer_earnings(start, end)
        .order_by()
        .values_list("sale__kpmi_id")
        .annotate(n=_thousands(Sum("amount")))
        .values_list("sale__kpmi_id", "n")
    )


def _revenue_to_pioneers_per_month(start: dt.date, end: dt.date) -> dict[dt.date, int]:
    rows = (
        _pioneer_earnings(start, end)
        .order_by()
        .annotate(m=TruncMonth("date"))
        .values_list("m")
        .annotate(total=Sum("amount"))
        .values_list("m", "total")
    )
    # As `_thousands` does in SQL: whole thousands rounded down, between 0 and the column's bound.
    return {_month(m): min(max(int(total // 1000), 0), INT_MAX) for m, total in rows if total is not None}


# The scans several metrics' actuals share during a full evaluation (see `Metric.scan`): at Province
# scale a year's orders and postings are 100,000 and 230,000 rows, each read once instead of twice.
SUBJECT_SCANS: dict[str, Callable[[dt.date, dt.date], CountsQuery]] = {
    "orders": _orders_per_kpmi,
    "money": _money_per_kpmi,
}

EARNED_AND_COSTS = sorted(str(c) for c in (*EARNED_CATEGORIES, *OPERATING_CATEGORIES))


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
        Metric(
            code="active_businesses",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Pioneers running a business"),
            default_target=2,
            per_subject=_pioneers_per_kpmi,
            per_month=_pioneers_per_month,
            records=lambda kpmi, s, e: (
                _active_businesses(s, e).filter(kpmi=kpmi).select_related("owner").order_by("started_on", "name")
            ),
            records_template="associations/records/businesses.html",
        ),
        Metric(
            code="paid_services",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Paid services delivered"),
            default_target=12,
            per_subject=lambda s, e: _grouped(_services(s, e, free=False), "kpmi_id"),
            per_month=_services_per_month(free=False),
            records=_order_records(free=False),
            records_template="associations/records/orders.html",
            scan=("orders", 1),
        ),
        Metric(
            code="free_services",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Free services to eligible clients"),
            default_target=12,
            per_subject=lambda s, e: _grouped(_services(s, e, free=True), "kpmi_id"),
            per_month=_services_per_month(free=True),
            records=_order_records(free=True),
            records_template="associations/records/orders.html",
            scan=("orders", 2),
        ),
        Metric(
            code="business_income",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Business contributions"),
            default_target=1200,  # Rp 1.200.000 a year: Rp 100.000 a month
            per_subject=_contributions_per_kpmi,
            per_month=_contributions_per_month,
            records=_posting_records([Category.BUSINESS_CONTRIBUTION]),
            records_template="associations/records/postings.html",
            scan=("money", 1),
            unit=THOUSAND_RUPIAH,
        ),
        Metric(
            code="operations_coverage",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Operations coverage"),
            default_target=50,
            per_subject=_coverage_per_kpmi,
            per_month=_coverage_per_month,
            records=_posting_records(EARNED_AND_COSTS),
            records_template="associations/records/postings.html",
            scan=("money", 2),
            unit=PERCENT,
        ),
        Metric(
            code="articles_published",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Articles published"),
            default_target=6,
            per_subject=lambda s, e: _grouped(_articles_published(s, e), "author__kpmi_id"),
            per_month=lambda s, e: _monthly(_articles_published(s, e), "first_published_at"),
            records=lambda kpmi, s, e: (
                _articles_published(s, e)
                .filter(author__kpmi=kpmi)
                .select_related("author", "category")
                .order_by("first_published_at", "pk")
            ),
            records_template="associations/records/articles.html",
        ),
        Metric(
            code="content_sales",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Content sales"),
            default_target=2,
            per_subject=lambda s, e: _grouped(_content_sales(s, e), "kpmi_id"),
            per_month=lambda s, e: _monthly(_content_sales(s, e), "date"),
            records=lambda kpmi, s, e: (
                _content_sales(s, e)
                .filter(kpmi=kpmi)
                .select_related("article", "buyer", "author")
                .order_by("date", "pk")
            ),
            records_template="associations/records/sales.html",
        ),
        Metric(
            code="content_revenue_to_pioneers",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Content revenue to pioneers"),
            default_target=300,  # Rp 300.000 a year to the group's pioneer writers
            per_subject=_revenue_to_pioneers_per_kpmi,
            per_month=_revenue_to_pioneers_per_month,
            records=lambda kpmi, s, e: (
                _pioneer_earnings(s, e)
                .filter(sale__kpmi=kpmi)
                .select_related("author", "sale__article", "sale__buyer")
                .order_by("date", "pk")
            ),
            records_template="associations/records/earnings.html",
            unit=THOUSAND_RUPIAH,
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
