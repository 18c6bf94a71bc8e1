"""Reading pioneers' businesses: a KPMI's list with each business's totals, one business with its
entries and settled months, and the pioneers a business may be registered for."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from kpmi_si.money import RupiahSumField
from members.models import Kpmi, Level, Member

from ..models import Business, BusinessEntry, BusinessSettlement, EntryKind

_MONEY = RupiahSumField()  # exact on SQLite too
_ZERO = Value(Decimal("0.00"), output_field=_MONEY)


def businesses_of(*, kpmi: Kpmi) -> QuerySet[Business]:
    """The group's businesses, open ones first, with what each has contributed so far."""
    return (
        Business.objects.filter(kpmi=kpmi)
        .select_related("owner")
        .annotate(
            contributed=Coalesce(Sum("settlements__contribution"), _ZERO, output_field=_MONEY),
        )
        .order_by("closed_on", "name")
    )


def business_of(*, kpmi: Kpmi, pk: int) -> Business:
    """A business of this KPMI (another group's does not exist here: DoesNotExist)."""
    return Business.objects.select_related("kpmi", "owner").get(kpmi=kpmi, pk=pk)


def business_entries(*, business: Business) -> QuerySet[BusinessEntry]:
    return BusinessEntry.objects.filter(business=business).select_related("created_by").order_by("-date", "-pk")


def business_settlements(*, business: Business) -> QuerySet[BusinessSettlement]:
    return BusinessSettlement.objects.filter(business=business).select_related("settled_by").order_by("-month")


def business_totals(*, business: Business) -> dict[str, Decimal]:
    sums = BusinessEntry.objects.filter(business=business).aggregate(
        income=Coalesce(Sum("amount", filter=Q(kind=EntryKind.INCOME)), _ZERO, output_field=_MONEY),
        costs=Coalesce(Sum("amount", filter=Q(kind=EntryKind.COST)), _ZERO, output_field=_MONEY),
    )
    sums["contributed"] = BusinessSettlement.objects.filter(business=business).aggregate(
        total=Coalesce(Sum("contribution"), _ZERO, output_field=_MONEY)
    )["total"]
    return sums


def pioneers_of(*, kpmi: Kpmi) -> QuerySet[Member]:
    return Member.objects.filter(kpmi=kpmi, level=Level.PIONEER).order_by("full_name")
