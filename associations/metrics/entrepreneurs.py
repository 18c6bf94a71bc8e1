"""The Entrepreneurs association's metrics: per KPMI, from services, businesses and the ledger, and the
content sold through Garut Citizen Journalism."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Floor, Greatest, Least, TruncMonth

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
from kpmi_si.money import RupiahSumField
from kpmi_si.months import month_end, month_starts
from members.models import Kpmi, Level

from .base import (
    INT_MAX,
    CountsQuery,
    _month,
    _scanned,
)

# --- Entrepreneurs association: per KPMI, from services, businesses and the ledger --------------------


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


def _pioneers_per_month(start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """Pioneers running a business in each month of the period. Businesses are few (a handful per
    group), so the months are counted here from one read of the period's businesses."""
    rows = list(_active_businesses(start, end).values_list("owner_id", "started_on", "closed_on"))
    out = {}
    for month in month_starts(start, end):
        last = month_end(month)
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
                # Exact to the cent on SQLite too (its sums are floats), before thousands are floored.
                contributions=Sum(
                    "amount", filter=Q(category=Category.BUSINESS_CONTRIBUTION), output_field=RupiahSumField()
                ),
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
        .annotate(total=Sum("amount", output_field=RupiahSumField()))  # exact to the cent on SQLite too
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
