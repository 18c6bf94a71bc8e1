"""A group already named "KPMI …" is never called "KPMI KPMI …" in running text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from members import services
from members.models import Level, kpmi_display_name
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, shown",
    [
        ("KPMI SMKN 1 Garut", "KPMI SMKN 1 Garut"),
        ("kpmi cikajang", "kpmi cikajang"),
        ("Cikajang Digital", "KPMI Cikajang Digital"),
        ("KPMIndo", "KPMI KPMIndo"),
    ],
)
def test_the_word_kpmi_comes_once(name, shown):
    assert kpmi_display_name(name) == shown


def test_founding_kpmi_x_reads_once_on_the_founders_page(client_for, admin_user, kpmi_a):
    founder = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER)
    services.kpmi_create(
        actor=admin_user,
        data={
            "name": "KPMI Sukamaju",
            "kecamatan": factories.kecamatan("Leles"),
            "founded_on": dt.date(2024, 2, 1),
            "founded_by": founder,
        },
    )
    body = client_for(admin_user).get(founder.get_absolute_url()).content.decode()
    assert "Merintis KPMI Sukamaju." in body
    assert "KPMI KPMI" not in body


def test_registering_kpmi_x_says_its_name_once(client_for, officer_communities):
    kec = factories.kecamatan("Leles")
    data = {
        "name": "KPMI Mekarwangi",
        "kecamatan": kec.pk,
        "desa": factories.desa_of(kec).pk,
        "founded_on": "2024-03-01",
        "status": "active",
    }
    response = client_for(officer_communities).post(reverse("members:kpmi_create"), data, follow=True)
    body = response.content.decode()
    assert "KPMI Mekarwangi telah didaftarkan." in body
    assert "KPMI KPMI" not in body
    kpmi = response.context["kpmi"]
    assert "KPMI KPMI" not in client_for(None).get(kpmi.get_absolute_url()).content.decode()
