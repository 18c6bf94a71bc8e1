"""Builders for the catalogue and order tests: the source text's two services in a KPMI, clients, and
orders recorded through the services, as a keeper would record them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from entrepreneurship.models import Client, ClientCategory, EligibilityRule, Order, Service, Unit, WorkKind
from entrepreneurship.services.orders import order_create
from members.models import Kpmi, Level
from tests import factories


@pytest.fixture
def indonesian():
    """Services' messages are lazy and read in the active language; a test that asserts them in
    Indonesian runs with Indonesian active, whatever a test before left active in this thread."""
    with translation.override("id"):
        yield


def today() -> dt.date:
    return timezone.localdate()


def training_service(kpmi: Kpmi, *, price: str = "150000", name: str = "Pelatihan dasar TIK") -> Service:
    """Basic ICT training, free for trainer candidates (the source text's first rule)."""
    service = Service.objects.create(
        kpmi=kpmi, name=name, unit=Unit.PARTICIPANT, work_kind=WorkKind.TRAINING, price=Decimal(price)
    )
    EligibilityRule.objects.create(service=service, client_level=Level.TRAINER_CANDIDATE)
    return service


def deployment_service(kpmi: Kpmi, *, price: str = "500000") -> Service:
    """ICT deployment, free for the target community (the source text's second rule)."""
    service = Service.objects.create(
        kpmi=kpmi, name="Pendayagunaan TIK", unit=Unit.SITE, work_kind=WorkKind.DEPLOYMENT, price=Decimal(price)
    )
    EligibilityRule.objects.create(service=service, client_category=ClientCategory.TARGET_COMMUNITY)
    return service


def client_of(kpmi: Kpmi, *, name: str = "SDN 2 Tarogong", category: str = ClientCategory.SCHOOL, **kwargs) -> Client:
    return Client.objects.create(
        kpmi=kpmi, name=name, category=category, kecamatan=kwargs.pop("kecamatan", kpmi.kecamatan), **kwargs
    )


def candidate_of(kpmi: Kpmi, name: str = "Dede Calon") -> Any:
    return factories.MemberFactory(kpmi=kpmi, level=Level.TRAINER_CANDIDATE, full_name=name)


def record_order(actor: Any, service: Service, *, quantity: int = 1, **kwargs: Any) -> Order:
    return order_create(
        actor=actor, kpmi=service.kpmi, service=service, quantity=quantity, date=kwargs.pop("date", today()), **kwargs
    )
