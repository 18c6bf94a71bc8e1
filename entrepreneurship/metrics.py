"""The project's one definition of a KPMI's earned income, operating costs and operations coverage.

Operations coverage is the share of a group's operating costs paid by what it earns by its own work
(service income and business contributions; donations do not count): 100 × earned / costs. Reversals
carry their category, so every sum here is net of corrections. With no operating costs there is
nothing to cover: coverage is undefined (None on pages, not counted as a met target on dashboards).

The KPMI page, the ledger, the association's metrics and the benchmark all read these, so a number
on one page equals the number on another.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from django.db.models import Case, DecimalField, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Floor, Least

from kpmi_si.money import RupiahSumField

from .models import EARNED_CATEGORIES, OPERATING_CATEGORIES, Posting

ZERO = Value(Decimal("0.00"), output_field=RupiahSumField())
# Above this a percentage says nothing more (a group whose income is ten times its costs).
COVERAGE_CAP = 999


def _earned() -> Coalesce:
    return Coalesce(
        Sum("amount", filter=Q(category__in=sorted(EARNED_CATEGORIES))), ZERO, output_field=RupiahSumField()
    )


def _costs() -> Coalesce:
    # Operating costs are negative postings; a cost is shown and divided as a positive amount.
    return Coalesce(
        -Sum("amount", filter=Q(category__in=sorted(OPERATING_CATEGORIES))), ZERO, output_field=RupiahSumField()
    )


def postings_between(start: dt.date, end: dt.date) -> QuerySet[Posting]:
    return Posting.objects.filter(date__gte=start, date__lte=end)


def money_per_kpmi(start: dt.date, end: dt.date) -> QuerySet:
    """Rows of {kpmi_id, earned, costs}, grouped in the database."""
    return postings_between(start, end).order_by().values("kpmi_id").annotate(earned=_earned(), costs=_costs())


def coverage_percent_expression() -> Case:
    """The whole-percent coverage of an annotated row (`earned`, `costs`), for counting in SQL;
    NULL when there are no costs."""
    return Case(
        # Capped before the cast, so that a tiny cost under a large income cannot overflow the integer.
        When(
            costs__gt=0,
            then=Cast(
                Least(
                    Floor(F("earned") * 100 / F("costs")),
                    Value(COVERAGE_CAP),
                    output_field=DecimalField(max_digits=30, decimal_places=0),
                ),
                IntegerField(),
            ),
        ),
        default=None,
        output_field=IntegerField(),
    )


def coverage_percent(*, earned: Decimal, costs: Decimal) -> Decimal | None:
    """The same figure in Python (one decimal, rounded down so that 99.96 % never shows as 100 %)."""
    if costs <= 0:
        return None
    return min(Decimal(COVERAGE_CAP), (earned * 100 / costs).quantize(Decimal("0.1"), rounding=ROUND_DOWN))
