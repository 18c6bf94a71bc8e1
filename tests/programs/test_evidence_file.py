"""Evidence files are served only to those who may see the record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs import services
from programs.models import Kind, Publication

from .factories import photo, recent

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(manager_a, manager_member_a, kpmi_a):
    activity = services.activity_log(
        actor=manager_a,
        kind=Kind.PUBLICATION,
        kpmi=kpmi_a,
        data={"title": "Foto kegiatan", "date": recent(), "kecamatan": kpmi_a.kecamatan, "channel": "radio"},
        credited=[manager_member_a],
        files=[photo()],
    )
    assert Publication.objects.filter(activity=activity).exists()
    return activity.evidence.get()


def _url(item) -> str:
    return reverse("programs:evidence_file", args=[item.activity_id, item.pk])


@pytest.mark.parametrize("who", ["manager_a", "officer_users"])
def test_served_to_those_who_see_the_record(client_for, request, who, item):
    response = client_for(request.getfixturevalue(who)).get(_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_another_kpmi_is_refused(client_for, manager_b, item):
    assert client_for(manager_b).get(_url(item)).status_code == 403


def test_wrong_role(client_for, outsider, item):
    assert client_for(outsider).get(_url(item)).status_code == 403


def test_anonymous(client_for, item):
    assert client_for(None).get(_url(item)).status_code == 302


def test_wrong_method(client_for, manager_a, item):
    assert client_for(manager_a).post(_url(item)).status_code == 405


def test_a_file_of_another_record(client_for, manager_a, item, kpmi_a, manager_member_a):
    from .factories import make_activity

    other = make_activity(kpmi=kpmi_a, credited=[manager_member_a])
    url = reverse("programs:evidence_file", args=[other.pk, item.pk])
    assert client_for(manager_a).get(url).status_code == 404
