"""Reads of the content market: buyers, sales, shares and an author's earnings statement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from kpmi_si.money import ZERO, rupiah_sum
from members.models import Member

from ..models import Buyer, Earning, EarningKind, RevenueShare, Sale


def buyers() -> QuerySet[Buyer]:
    return Buyer.objects.annotate(
        sale_count=Count("sales", filter=Q(sales__cancelled_at__isnull=True)),
        revenue=rupiah_sum("sales__amount", filter=Q(sales__cancelled_at__isnull=True)),
    ).order_by("-active", "name")


def sales() -> QuerySet[Sale]:
    return Sale.objects.select_related("article", "buyer", "author", "kpmi").order_by("-date", "-pk")


def revenue_shares() -> QuerySet[RevenueShare]:
    return RevenueShare.objects.select_related("kpmi", "author").order_by("scope", "kpmi__name", "author__full_name")


@dataclass
class StatementMonth:
    month: dt.date
    sale_count: int = 0
    earned: Decimal = ZERO  # the author's share of the month's sales
    taken_back: Decimal = ZERO  # shares of sales cancelled this month (≤ 0)
    paid: Decimal = ZERO  # payouts, as a positive amount
    opening: Decimal = ZERO
    closing: Decimal = ZERO


@dataclass
class Statement:
    author: Member
    year: int
    opening: Decimal
    months: list[StatementMonth]
    lines: list[Earning] = field(default_factory=list)

    @property
    def closing(self) -> Decimal:
        return self.months[-1].closing if self.months else self.opening

    @property
    def earned(self) -> Decimal:
        return sum((m.earned + m.taken_back for m in self.months), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((m.paid for m in self.months), ZERO)


def statement_years(author: Member, today: dt.date) -> list[int]:
    first = Earning.objects.filter(author=author).order_by("date").values_list("date", flat=True).first()
    return list(range(today.year, (first.year if first else today.year) - 1, -1))


def earnings_statement(*, author: Member, year: int, today: dt.date) -> Statement:
    """One year of an author's earnings, month by month: the balance carried in, the share of the
    month's sales, shares taken back by cancelled sales, payouts, the balance carried out. Three
    queries whatever the number of sales."""
    start = dt.date(year, 1, 1)
    end = dt.date(year + 1, 1, 1)
    mine = Earning.objects.filter(author=author)
    opening = mine.filter(date__lt=start).aggregate(s=rupiah_sum("amount"))["s"]
    rows = (
        mine.filter(date__gte=start, date__lt=end)
        .annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(
            sale_count=Count("pk", filter=Q(kind=EarningKind.SALE)),
            earned=rupiah_sum("amount", filter=Q(kind=EarningKind.SALE)),
            taken_back=rupiah_sum("amount", filter=Q(kind=EarningKind.SALE_CANCELLED)),
            paid=rupiah_sum("amount", filter=Q(kind=EarningKind.PAYOUT)),
        )
        .order_by("m")
    )
    by_month = {(r["m"].date() if isinstance(r["m"], dt.datetime) else r["m"]): r for r in rows}
    last_month = 12 if year < today.year else today.month
    months: list[StatementMonth] = []
    carried = opening
    for number in range(1, last_month + 1):
        first_day = dt.date(year, number, 1)
        row = by_month.get(first_day)
        month = StatementMonth(month=first_day, opening=carried)
        if row is not None:
            month.sale_count = row["sale_count"]
            month.earned = row["earned"]
            month.taken_back = row["taken_back"]
            month.paid = -row["paid"]
        month.closing = carried + month.earned + month.taken_back - month.paid
        carried = month.closing
        months.append(month)
    lines = list(
        mine.filter(date__gte=start, date__lt=end)
        .select_related("sale__article", "sale__buyer", "payout")
        .order_by("date", "pk")
    )
    return Statement(author=author, year=year, opening=opening, months=months, lines=lines)
