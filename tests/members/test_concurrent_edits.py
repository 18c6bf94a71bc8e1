"""Two keepers with the same member (or group) open: the second, stale form must not silently undo
the first one's change. It is refused, says what is saved now, and saves nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpmi_si.audit.models import AuditEntry
from members.models import Kpmi, Member
from tests import factories
from tests.forms import form_data

pytestmark = pytest.mark.django_db

STALE = "Data ini sudah diubah oleh orang lain sejak Anda membukanya"


def _edit(member: Member) -> str:
    return reverse("members:member_edit", args=[member.pk])


@pytest.fixture
def ujang(kpmi_a) -> Member:
    return factories.MemberFactory(kpmi=kpmi_a, full_name="Ujang Permana", phone="0812 0000 0001")


def test_the_second_keepers_stale_form_is_refused_and_the_first_change_stays(
    client_for, manager_a, supervisor_a, ujang
):
    first, second = client_for(manager_a), client_for(supervisor_a)
    form_1 = first.get(_edit(ujang)).context["form"]
    form_2 = second.get(_edit(ujang)).context["form"]

    assert first.post(_edit(ujang), form_data(form_1, phone="0857 1111 2222")).status_code == 302
    response = second.post(_edit(ujang), form_data(form_2, full_name="Ujang Permana Putra"))

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert STALE in error
    assert "0857 1111 2222" in error  # what is saved now, so the keeper sees what they would undo
    assert str(manager_a) in error  # who changed it
    assert f'href="{_edit(ujang)}">Buka data terbaru</a>' in response.content.decode()
    ujang.refresh_from_db()
    assert (ujang.full_name, ujang.phone) == ("Ujang Permana", "0857 1111 2222")
    assert AuditEntry.objects.filter(action="member.update", target_id=str(ujang.pk)).count() == 1


def test_after_reloading_the_second_keeper_saves(client_for, manager_a, supervisor_a, ujang):
    first, second = client_for(manager_a), client_for(supervisor_a)
    stale = second.get(_edit(ujang)).context["form"]
    first.post(_edit(ujang), form_data(first.get(_edit(ujang)).context["form"], phone="0857 1111 2222"))
    assert second.post(_edit(ujang), form_data(stale, full_name="Ujang P.")).status_code == 200

    fresh = second.get(_edit(ujang)).context["form"]
    assert second.post(_edit(ujang), form_data(fresh, full_name="Ujang P.")).status_code == 302
    ujang.refresh_from_db()
    assert (ujang.full_name, ujang.phone) == ("Ujang P.", "0857 1111 2222")


def test_sending_the_same_change_twice_is_no_conflict(client_for, manager_a, ujang):
    """The back button and a second Save: nothing the form says differs from what is stored."""
    client = client_for(manager_a)
    data = form_data(client.get(_edit(ujang)).context["form"], phone="0857 1111 2222")
    assert client.post(_edit(ujang), data).status_code == 302
    assert client.post(_edit(ujang), data).status_code == 302
    assert AuditEntry.objects.filter(action="member.update", target_id=str(ujang.pk)).count() == 1


@pytest.mark.parametrize("version", ["", "bukan-tanggal"])
def test_a_form_without_a_valid_version_saves_nothing(client_for, manager_a, ujang, version):
    client = client_for(manager_a)
    data = form_data(client.get(_edit(ujang)).context["form"], full_name="Tanpa Versi", version=version)
    response = client.post(_edit(ujang), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    ujang.refresh_from_db()
    assert ujang.full_name == "Ujang Permana"


def test_kpmi_edit_stale_form_is_refused(client_for, manager_a, officer_communities, kpmi_a):
    url = reverse("members:kpmi_edit", args=[kpmi_a.pk])
    first, second = client_for(officer_communities), client_for(manager_a)
    form_1 = first.get(url).context["form"]
    form_2 = second.get(url).context["form"]

    assert first.post(url, form_data(form_1, address="Jl. Pembangunan 1")).status_code == 302
    response = second.post(url, form_data(form_2, description="Kelompok sekolah"))

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert STALE in error and "Jl. Pembangunan 1" in error
    kpmi = Kpmi.objects.get(pk=kpmi_a.pk)
    assert (kpmi.address, kpmi.description) == ("Jl. Pembangunan 1", "")
