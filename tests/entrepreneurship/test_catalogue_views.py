"""The catalogue's pages from the URL: who reads and keeps a KPMI's services, prices typed the
Indonesian way or refused with a message, free-service rules added and refused, KOMTIK's templates
and their adoption."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from entrepreneurship.models import EligibilityRule, Service, ServiceTemplate
from kpmi_si.audit.models import AuditEntry
from tests.forms import opened_now

from .orders_helpers import deployment_service, training_service

pytestmark = pytest.mark.django_db


def _service_post(**changes):
    return {
        "name": "Servis komputer",
        "description": "",
        "unit": "item",
        "price": "150.000",
        "work_kind": "",
        "is_active": "on",
        **changes,
    }


class TestServiceList:
    def test_keepers_and_officers_read_the_catalogue_with_bounded_queries(
        self, django_assert_max_num_queries, client_for, supervisor_a, officer_platform, kpmi_a
    ):
        for n in range(8):
            training_service(kpmi_a, name=f"Pelatihan {n}")
        deployment_service(kpmi_a)
        for user in (supervisor_a, officer_platform):
            client = client_for(user)
            with django_assert_max_num_queries(14):
                response = client.get(reverse("entrepreneurship:service_list", args=[kpmi_a.pk]))
            assert response.status_code == 200
            body = response.content.decode()
            assert "Rp 150.000" in body and "calon pelatih" in body and "masyarakat sasaran" in body

    def test_a_member_and_another_kpmis_manager_are_refused(self, client_for, member_user_a, manager_b, kpmi_a):
        url = reverse("entrepreneurship:service_list", args=[kpmi_a.pk])
        assert client_for(member_user_a).get(url).status_code == 403
        assert client_for(manager_b).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302

    def test_an_officer_reads_but_does_not_add(self, client_for, officer_entrepreneurs, kpmi_a):
        url = reverse("entrepreneurship:service_create", args=[kpmi_a.pk])
        assert client_for(officer_entrepreneurs).post(url, _service_post()).status_code == 403
        assert not Service.objects.exists()


class TestServiceForm:
    def test_a_price_typed_with_dots_is_saved_in_rupiah(self, client_for, manager_a, kpmi_a):
        response = client_for(manager_a).post(
            reverse("entrepreneurship:service_create", args=[kpmi_a.pk]), _service_post()
        )
        service = Service.objects.get()
        assert response.status_code == 302 and service.price == Decimal("150000.00")

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("seratus ribu", "Masukkan jumlah dalam Rupiah"),
            ("150000,555", "paling banyak dua angka desimal"),
            ("-5000", "Masukkan jumlah dalam Rupiah"),
            ("1000000000000", "terlalu besar"),
        ],
    )
    def test_bad_prices_get_an_indonesian_field_message_and_nothing_is_saved(
        self, client_for, manager_a, kpmi_a, typed, message
    ):
        response = client_for(manager_a).post(
            reverse("entrepreneurship:service_create", args=[kpmi_a.pk]), _service_post(price=typed)
        )
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["price"])
        assert not Service.objects.exists()

    def test_editing_the_price_is_audited(self, client_for, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        url = reverse("entrepreneurship:service_edit", args=[kpmi_a.pk, service.pk])
        data = opened_now(
            _service_post(name=service.name, unit="participant", work_kind="training", price="175.000"), service
        )
        assert client_for(manager_a).post(url, data).status_code == 302
        assert AuditEntry.objects.get(action="service_update").changes["price"] == ["150000.00", "175000.00"]

    def test_another_kpmis_service_under_this_address_is_not_found(self, client_for, manager_a, kpmi_a, kpmi_b):
        service_b = training_service(kpmi_b)
        url = reverse("entrepreneurship:service_edit", args=[kpmi_a.pk, service_b.pk])
        assert client_for(manager_a).get(url).status_code == 404


class TestRules:
    def test_a_contradictory_rule_is_refused_on_its_field(self, client_for, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        response = client_for(manager_a).post(
            reverse("entrepreneurship:rule_add", args=[kpmi_a.pk, service.pk]),
            {"client_level": "1", "client_category": "target_community", "kecamatan": ""},
        )
        assert response.status_code == 200
        errors = response.context["rule_form"].errors["client_category"]
        assert "jenjang" in errors[0] and errors[0] in response.content.decode()
        assert service.rules.count() == 1

    def test_empty_and_duplicate_rules_are_refused(self, client_for, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        url = reverse("entrepreneurship:rule_add", args=[kpmi_a.pk, service.pk])
        empty = client_for(manager_a).post(url, {"client_level": "", "client_category": "", "kecamatan": ""})
        duplicate = client_for(manager_a).post(url, {"client_level": "1", "client_category": "", "kecamatan": ""})
        assert empty.context["rule_form"].errors["client_level"]
        assert duplicate.context["rule_form"].errors["client_level"]
        assert service.rules.count() == 1

    def test_a_district_rule_is_added_and_removed(self, client_for, manager_a, kpmi_a):
        service = deployment_service(kpmi_a)
        client = client_for(manager_a)
        response = client.post(
            reverse("entrepreneurship:rule_add", args=[kpmi_a.pk, service.pk]),
            {"client_level": "", "client_category": "school", "kecamatan": kpmi_a.kecamatan_id},
        )
        assert response.status_code == 302
        rule = service.rules.get(kecamatan=kpmi_a.kecamatan)
        client.post(reverse("entrepreneurship:rule_remove", args=[kpmi_a.pk, service.pk, rule.pk]))
        assert not EligibilityRule.objects.filter(pk=rule.pk).exists()


class TestTemplates:
    def test_the_entrepreneurs_officer_keeps_templates_others_do_not(
        self, client_for, officer_entrepreneurs, officer_users, manager_a
    ):
        url = reverse("entrepreneurship:template_list")
        assert client_for(officer_entrepreneurs).get(url).status_code == 200
        assert client_for(officer_users).get(url).status_code == 403
        assert client_for(manager_a).get(url).status_code == 403
        response = client_for(officer_entrepreneurs).post(
            reverse("entrepreneurship:template_create"),
            {"name": "Servis ponsel", "unit": "item", "suggested_price": "50.000", "work_kind": "", "is_active": "on"},
        )
        assert response.status_code == 302
        assert ServiceTemplate.objects.get(name="Servis ponsel").suggested_price == Decimal("50000.00")

    def test_adopting_is_prefilled_priced_by_the_kpmi_and_refused_twice(self, client_for, manager_a, kpmi_a):
        template = ServiceTemplate.objects.get(name="Pendayagunaan TIK")
        url = reverse("entrepreneurship:service_adopt", args=[kpmi_a.pk, template.pk])
        client = client_for(manager_a)
        form = client.get(url).context["form"]
        assert form["name"].value() == "Pendayagunaan TIK" and form["price"].value() == "500000"
        data = {"name": template.name, "description": "", "unit": "site", "price": "350.000"}
        assert client.post(url, data).status_code == 302
        service = Service.objects.get(kpmi=kpmi_a)
        assert service.price == Decimal("350000.00") and service.rules.get().client_category == "target_community"
        again = client.post(url, {**data, "name": "Pendayagunaan TIK 2"})
        assert again.status_code == 200 and "sudah mengadopsi" in again.content.decode()
        assert Service.objects.filter(kpmi=kpmi_a).count() == 1
