"""Stored evidence links never send people to the host they were recorded on (a seeded demo's
development server): pages link to the path, exports to the site's address of today."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpmi_si.links import site_absolute, site_relative
from programs import exports, selectors
from programs.models import Activity

from .factories import make_activity

pytestmark = pytest.mark.django_db

RECORDED_ON_DEV = "http://127.0.0.1:8000/berita/7/panen-kopi/"


@pytest.fixture
def production(settings):
    settings.SITE_URL = "https://si.komtikgarut.or.id"
    settings.ALLOWED_HOSTS = ["si.komtikgarut.or.id", "testserver"]


def test_links_to_this_site_become_paths_and_others_stay(production):
    assert site_relative(RECORDED_ON_DEV) == "/berita/7/panen-kopi/"
    assert site_relative("https://si.komtikgarut.or.id/berita/7/x/?a=1#f") == "/berita/7/x/?a=1#f"
    assert site_relative("https://drive.google.com/drive/folders/abc") == "https://drive.google.com/drive/folders/abc"
    assert site_relative("/undangan/3/") == "/undangan/3/"
    assert site_relative("Sertifikat ToT") == "Sertifikat ToT"
    assert site_absolute(RECORDED_ON_DEV) == "https://si.komtikgarut.or.id/berita/7/panen-kopi/"
    assert site_absolute("/undangan/3/") == "https://si.komtikgarut.or.id/undangan/3/"
    assert site_absolute("https://example.org/a") == "https://example.org/a"


def test_the_activity_page_links_the_path_of_evidence_recorded_on_another_host(
    production, client_for, officer_users, kpmi_a, manager_member_a
):
    activity = make_activity(kpmi=kpmi_a, credited=[manager_member_a], link=RECORDED_ON_DEV)
    Activity.objects.filter(pk=activity.pk).update(evidence_url=RECORDED_ON_DEV)
    body = client_for(officer_users).get(reverse("programs:activity_detail", args=[activity.pk])).content.decode()
    assert 'href="/berita/7/panen-kopi/"' in body
    assert "127.0.0.1" not in body


def test_the_export_gives_todays_address(production, kpmi_a, manager_member_a):
    activity = make_activity(kpmi=kpmi_a, credited=[manager_member_a], link=RECORDED_ON_DEV)
    Activity.objects.filter(pk=activity.pk).update(evidence_url=RECORDED_ON_DEV)
    (row,) = [exports._row(a) for a in selectors.export_batch([activity.pk])]
    assert "https://si.komtikgarut.or.id/berita/7/panen-kopi/" in row
    assert not any("127.0.0.1" in str(cell) for cell in row)
