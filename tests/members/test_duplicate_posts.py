"""A create form sent twice (a double tap, a reload, a phone resending on a bad connection) creates
once: the second answer shows the first record and says it is saved already."""

from __future__ import annotations

import uuid

import pytest
from django.contrib import messages
from django.urls import reverse

from kpmi_si.audit.models import AuditEntry
from members.models import Kpmi, LevelChange, Member
from tests import factories
from tests.forms import form_data

pytestmark = pytest.mark.django_db

SAVED_ALREADY = "sudah tersimpan"


def _add_url(kpmi: Kpmi) -> str:
    return reverse("members:member_create", args=[kpmi.pk])


def _ujang(client, kpmi: Kpmi, **changes) -> dict:
    form = client.get(_add_url(kpmi)).context["form"]
    data = {"full_name": "Ujang Permana", "gender": "male", "birth_year": "2006", "joined_on": "2024-08-17"}
    return form_data(form, **{**data, **changes})


def test_add_member_sent_twice_adds_one_member(client_for, manager_a, kpmi_a):
    client = client_for(manager_a)
    data = _ujang(client, kpmi_a)

    first = client.post(_add_url(kpmi_a), data, follow=True)
    second = client.post(_add_url(kpmi_a), data, follow=True)

    member = Member.objects.get(full_name="Ujang Permana")  # exactly one
    assert first.redirect_chain == [(member.get_absolute_url(), 302)]
    assert second.redirect_chain == [(member.get_absolute_url(), 302)]
    (message,) = second.context["messages"]
    assert message.level == messages.INFO and SAVED_ALREADY in message.message
    assert LevelChange.objects.filter(member=member).count() == 1
    assert AuditEntry.objects.filter(action="member.register").count() == 1


def test_each_opened_page_adds_its_own_member(client_for, manager_a, kpmi_a):
    """Two pages opened one after the other are two registrations (namesakes exist)."""
    client = client_for(manager_a)
    first, second = _ujang(client, kpmi_a), _ujang(client, kpmi_a)
    assert first["idempotency_key"] != second["idempotency_key"]
    assert client.post(_add_url(kpmi_a), first).status_code == 302
    assert client.post(_add_url(kpmi_a), second).status_code == 302
    assert Member.objects.filter(full_name="Ujang Permana").count() == 2


def test_a_refused_page_keeps_its_key_and_adds_once_corrected(client_for, manager_a, kpmi_a):
    client = client_for(manager_a)
    data = _ujang(client, kpmi_a, phone="bukan nomor")
    refused = client.post(_add_url(kpmi_a), data)
    assert refused.status_code == 200 and "phone" in refused.context["form"].errors
    corrected = form_data(refused.context["form"], phone="0812 3456 7890")
    assert corrected["idempotency_key"] == data["idempotency_key"]
    assert client.post(_add_url(kpmi_a), corrected).status_code == 302
    assert client.post(_add_url(kpmi_a), corrected).status_code == 302
    assert Member.objects.filter(full_name="Ujang Permana").count() == 1


def test_another_users_key_is_refused_and_nothing_is_saved(client_for, manager_a, supervisor_a, kpmi_a):
    data = _ujang(client_for(manager_a), kpmi_a)
    assert client_for(manager_a).post(_add_url(kpmi_a), data).status_code == 302

    response = client_for(supervisor_a).post(_add_url(kpmi_a), {**data, "full_name": "Orang Lain"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Ujang" not in str(response.context["form"].non_field_errors())  # nothing of the first record
    assert list(Member.objects.values_list("full_name", flat=True).order_by("pk"))[-1] == "Ujang Permana"
    assert not Member.objects.filter(full_name="Orang Lain").exists()


def test_a_page_without_a_key_still_adds(client_for, manager_a, kpmi_a):
    """A page opened before keys existed (cached by a phone) keeps working."""
    client = client_for(manager_a)
    data = _ujang(client, kpmi_a)
    del data["idempotency_key"]
    assert client.post(_add_url(kpmi_a), data).status_code == 302
    assert Member.objects.filter(full_name="Ujang Permana").count() == 1


def test_a_mangled_key_is_refused_without_an_error_page(client_for, manager_a, kpmi_a):
    client = client_for(manager_a)
    response = client.post(_add_url(kpmi_a), _ujang(client, kpmi_a, idempotency_key="bukan-kunci"))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Member.objects.filter(full_name="Ujang Permana").exists()


def test_the_same_key_on_another_form_is_refused(client_for, admin_user, kpmi_a):
    """A key is good for one kind of form: replayed on another, it must not answer with a member."""
    client = client_for(admin_user)
    data = _ujang(client, kpmi_a)
    assert client.post(_add_url(kpmi_a), data).status_code == 302
    kec = factories.kecamatan("Leles")
    kpmi_form = form_data(
        client.get(reverse("members:kpmi_create")).context["form"],
        name="KPMI Baru",
        kecamatan=kec.pk,
        desa=factories.desa_of(kec).pk,
        founded_on="2024-01-10",
        idempotency_key=data["idempotency_key"],
    )
    response = client.post(reverse("members:kpmi_create"), kpmi_form)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Kpmi.objects.filter(name="KPMI Baru").exists()


def test_register_kpmi_sent_twice_registers_one(client_for, officer_communities):
    client = client_for(officer_communities)
    kec = factories.kecamatan("Leles")
    data = form_data(
        client.get(reverse("members:kpmi_create")).context["form"],
        name="KPMI Baru",
        kecamatan=kec.pk,
        desa=factories.desa_of(kec).pk,
        founded_on="2024-01-10",
    )
    assert client.post(reverse("members:kpmi_create"), data).status_code == 302
    second = client.post(reverse("members:kpmi_create"), data)
    kpmi = Kpmi.objects.get(name="KPMI Baru")
    assert second.status_code == 302 and second.url == kpmi.get_absolute_url()
    assert uuid.UUID(data["idempotency_key"])  # the page carried a real key
