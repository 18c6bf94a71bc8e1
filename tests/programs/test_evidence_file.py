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


def _assert_inert(response, filename: str) -> None:
    """Downloaded, never shown in the site's origin: a stored file that slipped past the upload
    checks still cannot run a script with the viewer's session."""
    assert response["Content-Disposition"].startswith("attachment;")
    assert filename in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_photo_is_served_as_an_inert_attachment(client_for, manager_a, item):
    response = client_for(manager_a).get(_url(item))
    assert response.status_code == 200
    _assert_inert(response, "foto.jpg")


def test_a_stored_pdf_is_served_as_an_inert_attachment(client_for, manager_a, item):
    """Even a PDF with a script (stored before the upload check knew about scripts) is inert."""
    from django.core.files.base import ContentFile

    from programs.models import Evidence

    hostile = b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n"
    stored = Evidence(
        activity=item.activity, file_kind=Evidence.FileKind.PDF, original_name="laporan.pdf", size=len(hostile)
    )
    stored.file.save("laporan.pdf", ContentFile(hostile), save=True)
    response = client_for(manager_a).get(_url(stored))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    _assert_inert(response, "laporan.pdf")
