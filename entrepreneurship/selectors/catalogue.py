"""Reading a KPMI's catalogue and KOMTIK's templates, with their rules in one query each."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from members.models import Kpmi

from ..models import EligibilityRule, Service, ServiceTemplate


def _rules() -> Prefetch:
    return Prefetch("rules", queryset=EligibilityRule.objects.select_related("kecamatan").order_by("pk"))


def service_list(*, kpmi: Kpmi) -> QuerySet[Service]:
    """The catalogue of a KPMI, offered services first, each with its rules and its order count."""
    return (
        Service.objects.filter(kpmi=kpmi)
        .select_related("template")
        .prefetch_related(_rules())
        .annotate(n_orders=Count("orders"))
        .order_by("-is_active", "name")
    )


def service_detail(*, kpmi: Kpmi, pk: int) -> Service:
    return Service.objects.select_related("kpmi", "template").prefetch_related(_rules()).get(kpmi=kpmi, pk=pk)


def template_list() -> QuerySet[ServiceTemplate]:
    return ServiceTemplate.objects.prefetch_related(_rules()).annotate(n_adopted=Count("services")).order_by("name")


def templates_to_adopt(*, kpmi: Kpmi) -> QuerySet[ServiceTemplate]:
    """Offered templates this KPMI has not adopted yet."""
    return (
        ServiceTemplate.objects.filter(is_active=True)
        .exclude(services__kpmi=kpmi)
        .prefetch_related(_rules())
        .order_by("name")
    )


def template_detail(*, pk: int) -> ServiceTemplate:
    return ServiceTemplate.objects.prefetch_related(_rules()).get(pk=pk)


def offered_services(*, kpmi: Kpmi) -> QuerySet[Service]:
    return Service.objects.filter(kpmi=kpmi, is_active=True).order_by("name")
