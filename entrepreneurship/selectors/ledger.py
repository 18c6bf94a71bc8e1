"""Reading a KPMI's ledger: its postings with a running balance, the totals of a period, and the year's
income against operations month by month. Every sum is done by the database over `Posting.amount`
(signed), so each number shown is the plain sum of the postings behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Coalesce, ExtractMonth

from kpmi_si.money import RupiahSumField
from members.models import Kpmi

from .. import metrics
from ..models import EARNED_CATEGORIES, OPERATING_CATEGORIES, Category, Order, Posting

ZERO = Decimal("0.00")
_MONEY = RupiahSumField()  # exact on SQLite too


def _sum(condition: Q | None = None, *, negated: bool = False) -> Coalesce:
    total = Sum("amount", filter=condition)
    return Coalesce(-total if negated else total, Value(ZERO, output_field=_MONEY), output_field=_MONEY)


def postings_of(*, kpmi: Kpmi, start: dt.date | None, end: dt.date | None, category: str = "") -> QuerySet[Posting]:
    rows = Posting.objects.filter(kpmi=kpmi)
    if start is not None:
        rows = rows.filter(date__gte=start)
    if end is not None:
        rows = rows.filter(date__lte=end)
    if category:
        rows = rows.filter(category=category)
    return rows


def ledger_rows(
    *, kpmi: Kpmi, start: dt.date | None, end: dt.date | None, category: str = "", newest_first: bool = True
) -> QuerySet[Posting]:
    """The period's postings with their source and reversal loaded, and `running` = the sum of the
    period's postings up to and including this one (add the opening balance for the balance). The
    window is computed before a page is cut, so every page's running figures are right."""
    order = ["-date", "-pk"] if newest_first else ["date", "pk"]
    return (
        postings_of(kpmi=kpmi, start=start, end=end, category=category)
        .select_related("order", "settlement__business", "reverses", "reversed_by", "created_by")
        .annotate(running=Window(Sum("amount"), order_by=[F("date").asc(), F("pk").asc()], output_field=_MONEY))
        .order_by(*order)
    )


@dataclass
class Totals:
    opening: Decimal = ZERO
    money_in: Decimal = ZERO
    money_out: Decimal = ZERO  # negative: a sum of negative postings
    per_category: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (code, label, net)

    @property
    def net(self) -> Decimal:
        return self.money_in + self.money_out

    @property
    def closing(self) -> Decimal:
        return self.opening + self.net


def ledger_totals(*, kpmi: Kpmi, start: dt.date | None, end: dt.date | None, category: str = "") -> Totals:
    """Opening balance, money in and out, the net per category and the closing balance: two queries."""
    rows = postings_of(kpmi=kpmi, start=start, end=end, category=category)
    sums = rows.aggregate(
        money_in=_sum(Q(amount__gt=0)),
        money_out=_sum(Q(amount__lt=0)),
        **{f"c_{code}": _sum(Q(category=code)) for code in Category.values},
    )
    if start is not None:
        before = Posting.objects.filter(kpmi=kpmi, date__lt=start)
        if category:
            before = before.filter(category=category)
        opening = before.aggregate(total=_sum())["total"]
    else:
        opening = ZERO
    per_category = [(code, label, sums[f"c_{code}"]) for code, label in Category.choices]
    return Totals(opening=opening, money_in=sums["money_in"], money_out=sums["money_out"], per_category=per_category)


@dataclass
class MonthRow:
    month: dt.date
    earned: Decimal
    donations: Decimal
    costs: Decimal  # positive: what operations cost

    @property
    def net(self) -> Decimal:
        return self.earned + self.donations - self.costs


@dataclass
class MoneyYear:
    year: int
    months: list[MonthRow]
    earned: Decimal
    donations: Decimal
    costs: Decimal
    coverage: Decimal | None

    @property
    def net(self) -> Decimal:
        return self.earned + self.donations - self.costs


def money_year(*, kpmi: Kpmi, year: int) -> MoneyYear:
    """Earned income, donations and operating costs per month of `year`, and the year's operations
    coverage (`metrics`, the project's one definition). The year's figures are the sums of its
    months, computed by the same query."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (
        metrics.postings_between(start, end)
        .filter(kpmi=kpmi)
        .order_by()
        .values(month=ExtractMonth("date"))
        .annotate(
            earned=_sum(Q(category__in=sorted(EARNED_CATEGORIES))),
            donations=_sum(Q(category=Category.DONATION)),
            costs=_sum(Q(category__in=sorted(OPERATING_CATEGORIES)), negated=True),
        )
    )
    by_month = {row["month"]: row for row in rows}
    months = []
    for number in range(1, 13):
        row = by_month.get(number, {})
        months.append(
            MonthRow(
                month=dt.date(year, number, 1),
                earned=row.get("earned", ZERO) or ZERO,
                donations=row.get("donations", ZERO) or ZERO,
                costs=row.get("costs", ZERO) or ZERO,
            )
        )
    earned = sum((m.earned for m in months), ZERO)
    costs = sum((m.costs for m in months), ZERO)
    donations = sum((m.donations for m in months), ZERO)
    return MoneyYear(
        year=year,
        months=months,
        earned=earned,
        donations=donations,
        costs=costs,
        coverage=metrics.coverage_percent(earned=earned, costs=costs),
    )


def posting_years(*, kpmi: Kpmi) -> list[int]:
    """The years the group has postings in (for the year selector), newest first."""
    return sorted(
        {d.year for d in Posting.objects.filter(kpmi=kpmi).dates("date", "year")},
        reverse=True,
    )


def posting_of(*, kpmi: Kpmi, pk: int) -> Posting:
    """A posting of this KPMI (another group's posting does not exist here: DoesNotExist)."""
    return Posting.objects.select_related("kpmi", "reverses", "reversed_by").get(kpmi=kpmi, pk=pk)


def orders_between(*, kpmi: Kpmi, start: dt.date | None, end: dt.date | None) -> QuerySet[Order]:
    rows = Order.objects.filter(kpmi=kpmi)
    if start is not None:
        rows = rows.filter(date__gte=start)
    if end is not None:
        rows = rows.filter(date__lte=end)
    return rows.select_related("kpmi", "service", "member", "client").order_by("date", "receipt_number")
