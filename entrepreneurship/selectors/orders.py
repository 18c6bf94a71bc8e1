"""Reading a KPMI's orders: the filtered list (one query for a page, whatever its length), one
order with everything its page and receipt show, and the member search of the order form."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput, id_from
from members.models import Kpmi, Member

from ..models import Client, Order, PaymentStatus, Service

MEMBER_SEARCH_LIMIT = 20


class OrderFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte", widget=DateInput())
    date_to = django_filters.DateFilter(label=_("Until"), field_name="date", lookup_expr="lte", widget=DateInput())
    status = django_filters.ChoiceFilter(
        label=_("Payment"), field_name="payment_status", choices=PaymentStatus.choices, empty_label=_("All")
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Service"), queryset=Service.objects.none(), empty_label=_("All services")
    )

    class Meta:
        model = Order
        fields = ["date_from", "date_to", "status", "service"]

    def __init__(self, *args: Any, kpmi: Kpmi, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["service"].queryset = Service.objects.filter(kpmi=kpmi).order_by("name")


def order_list(*, kpmi: Kpmi, filters: dict[str, Any] | None = None) -> QuerySet[Order]:
    """A KPMI's orders, newest first, with what a row shows (service, client, member, KPMI for the
    receipt label) joined in: a page is one query."""
    qs = Order.objects.filter(kpmi=kpmi).select_related("service", "member", "client", "kpmi").order_by("-date", "-pk")
    return OrderFilter(filters, queryset=qs, kpmi=kpmi).qs


def order_detail(*, kpmi: Kpmi, pk: int) -> Order:
    """One order of this KPMI (another KPMI's order is DoesNotExist: the view answers 404)."""
    return Order.objects.select_related(
        "kpmi__kecamatan",
        "service",
        "member__kpmi",
        "client__kecamatan",
        "client__desa",
        "free_rule",
        "activity",
        "created_by",
    ).get(kpmi=kpmi, pk=pk)


def member_search(*, query: str) -> list[Member]:
    """Members of any KPMI whose name contains `query`, or whose member number is `query`: at most
    MEMBER_SEARCH_LIMIT, so the order form never lists thousands of people."""
    query = query.strip()
    if not query:
        return []
    number = id_from(query)
    condition = Q(full_name__icontains=query)
    if number is not None:
        condition |= Q(pk=number)
    return list(
        Member.objects.filter(condition, anonymised_at__isnull=True)
        .select_related("kpmi")
        .order_by("full_name", "pk")[:MEMBER_SEARCH_LIMIT]
    )


def clients_of(*, kpmi: Kpmi) -> QuerySet[Client]:
    return Client.objects.filter(kpmi=kpmi).select_related("kecamatan").order_by("name")
