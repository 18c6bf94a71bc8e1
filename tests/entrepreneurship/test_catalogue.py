"""The catalogue's services: a KPMI's services and prices, free-service rules as data (refused when they
contradict themselves, say nothing or repeat), KOMTIK's templates and their adoption. Every change is
audited, a price change with its old and new value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from entrepreneurship.models import ClientCategory, EligibilityRule, Service, ServiceTemplate, Unit, WorkKind
from entrepreneurship.services.catalogue import (
    rule_add,
    rule_remove,
    service_adopt,
    service_create,
    service_update,
    template_create,
    template_update,
)
from kpmi_si.audit.models import AuditEntry
from kpmi_si.concurrency import record_version
from members.models import Level
from tests import factories

from .orders_helpers import (
    indonesian,  # noqa: F401 - a fixture
    training_service,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indonesian")]


def _data(**changes):
    return {
        "name": "Servis komputer",
        "description": "",
        "unit": Unit.ITEM,
        "work_kind": WorkKind.NONE,
        "price": Decimal("75000"),
        "is_active": True,
        **changes,
    }


def test_a_keeper_adds_a_service_audited(manager_a, kpmi_a):
    service = service_create(actor=manager_a, kpmi=kpmi_a, data=_data())
    assert service.price == Decimal("75000.00") and service.created_by == manager_a
    entry = AuditEntry.objects.get(action="service_create")
    assert entry.actor == manager_a and entry.changes["price"] == [None, "75000.00"]


def test_a_price_change_is_audited_old_to_new(supervisor_a, kpmi_a):
    service = training_service(kpmi_a)
    service_update(
        actor=supervisor_a, service=service, data=_data(name=service.name, price=Decimal("175000")), version=None
    )
    entry = AuditEntry.objects.get(action="service_update")
    assert entry.changes["price"] == ["150000.00", "175000.00"]


def test_a_stale_edit_is_refused(manager_a, supervisor_a, kpmi_a):
    service = training_service(kpmi_a)
    version = record_version(service)
    service_update(actor=manager_a, service=service, data=_data(name=service.name, price=Decimal("1")), version=version)
    with pytest.raises(ValidationError):
        service_update(
            actor=supervisor_a, service=service, data=_data(name=service.name, price=Decimal("2")), version=version
        )
    assert Service.objects.get(pk=service.pk).price == Decimal("1.00")


def test_a_name_used_twice_in_one_kpmi_is_a_field_message(manager_a, kpmi_a):
    training_service(kpmi_a, name="Servis komputer")
    with pytest.raises(ValidationError) as exc:
        service_create(actor=manager_a, kpmi=kpmi_a, data=_data())
    assert "name" in exc.value.message_dict


def test_another_kpmis_manager_and_an_officer_cannot_keep_the_catalogue(manager_b, officer_entrepreneurs, kpmi_a):
    for actor in (manager_b, officer_entrepreneurs):
        with pytest.raises(PermissionDenied):
            service_create(actor=actor, kpmi=kpmi_a, data=_data())
    assert not Service.objects.exists()


class TestRules:
    def test_a_rule_from_building_blocks_is_added_and_audited(self, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        rule = rule_add(
            actor=manager_a, service=service, client_category=ClientCategory.SCHOOL, kecamatan=kpmi_a.kecamatan
        )
        assert rule.describe() == f"sekolah, {kpmi_a.kecamatan}"
        assert AuditEntry.objects.filter(action="rule_add").count() == 1

    def test_a_level_and_a_category_together_are_refused_in_indonesian(self, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        with pytest.raises(ValidationError) as exc:
            rule_add(
                actor=manager_a,
                service=service,
                client_level=Level.TRAINER_CANDIDATE,
                client_category=ClientCategory.TARGET_COMMUNITY,
            )
        assert "jenjang" in exc.value.message_dict["client_category"][0]
        assert service.rules.count() == 1

    def test_a_rule_with_no_condition_is_refused(self, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        with pytest.raises(ValidationError) as exc:
            rule_add(actor=manager_a, service=service)
        assert "client_level" in exc.value.message_dict
        assert service.rules.count() == 1

    def test_a_duplicate_rule_is_refused(self, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        with pytest.raises(ValidationError) as exc:
            rule_add(actor=manager_a, service=service, client_level=Level.TRAINER_CANDIDATE)
        assert "client_level" in exc.value.message_dict
        assert service.rules.count() == 1

    def test_removing_a_rule_is_audited_and_only_by_keepers(self, manager_a, manager_b, kpmi_a):
        service = training_service(kpmi_a)
        rule = service.rules.get()
        with pytest.raises(PermissionDenied):
            rule_remove(actor=manager_b, rule=rule)
        rule_remove(actor=manager_a, rule=rule)
        assert not service.rules.exists()
        assert AuditEntry.objects.get(action="rule_remove").changes["rule"][1] is None


class TestTemplates:
    def test_the_two_templates_of_the_source_text_are_seeded(self):
        training = ServiceTemplate.objects.get(name="Pelatihan dasar instalasi dan pemeliharaan TIK")
        deployment = ServiceTemplate.objects.get(name="Pendayagunaan TIK")
        assert training.rules.get().client_level == Level.TRAINER_CANDIDATE
        assert deployment.rules.get().client_category == ClientCategory.TARGET_COMMUNITY

    def test_officers_of_the_entrepreneurs_and_the_admin_keep_templates(
        self, officer_entrepreneurs, admin_user, officer_users, manager_a
    ):
        data = {"name": "Servis HP", "unit": Unit.ITEM, "suggested_price": Decimal("50000"), "is_active": True}
        template = template_create(actor=officer_entrepreneurs, data=data)
        template_update(actor=admin_user, template=template, data={**data, "suggested_price": Decimal("60000")})
        for actor in (officer_users, manager_a):
            with pytest.raises(PermissionDenied):
                template_create(actor=actor, data={**data, "name": "Lain"})
        entry = AuditEntry.objects.get(action="template_update")
        assert entry.changes["suggested_price"] == ["50000.00", "60000.00"]
        rule_add(actor=officer_entrepreneurs, template=template, client_category=ClientCategory.GOVERNMENT)
        assert template.rules.count() == 1

    def test_a_kpmi_adopts_a_template_at_its_own_price_with_its_rules_once(self, manager_a, kpmi_a, kpmi_b):
        template = ServiceTemplate.objects.get(name="Pelatihan dasar instalasi dan pemeliharaan TIK")
        data = {"name": template.name, "description": "", "unit": template.unit, "price": Decimal("125000")}
        service = service_adopt(actor=manager_a, kpmi=kpmi_a, template=template, data=data)
        assert service.price == Decimal("125000.00") and service.template == template
        assert service.work_kind == WorkKind.TRAINING
        assert [r.client_level for r in service.rules.all()] == [Level.TRAINER_CANDIDATE]
        with pytest.raises(ValidationError) as exc:
            service_adopt(actor=manager_a, kpmi=kpmi_a, template=template, data={**data, "name": "Lagi"})
        assert "sudah mengadopsi" in exc.value.messages[0]
        assert Service.objects.filter(kpmi=kpmi_a).count() == 1
        # Another KPMI adopts the same template for itself.
        keeper_b = factories.make_keeper(kpmi_b, username="pengelola_b")
        service_adopt(actor=keeper_b, kpmi=kpmi_b, template=template, data=data)
        assert EligibilityRule.objects.filter(service__template=template).count() == 2
