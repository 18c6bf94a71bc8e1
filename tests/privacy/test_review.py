"""After an anonymisation the admin reads each flagged text, then edits it or keeps it (audited)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kpmi_si.audit.models import AuditEntry
from kpmi_si.audit.services import audit_log
from kpmi_si.privacy import services
from kpmi_si.privacy.models import ReviewFlag
from programs.models import Activity

from .conftest import NAME

pytestmark = pytest.mark.django_db

LIST = reverse("privacy:review_list")


@pytest.fixture
def anonymised(euis, admin_user):
    services.member_anonymise(actor=admin_user, member=euis.member)
    return euis


def flag_of(record, field):
    return ReviewFlag.objects.get(object_id=str(record.pk), field=field, content_type__model=record._meta.model_name)


def test_the_list_shows_each_flagged_text(client_for, anonymised, admin_user, django_assert_max_num_queries):
    client = client_for(admin_user)
    with django_assert_max_num_queries(15):
        body = client.get(LIST).content.decode()
    assert f"Edukasi internet sehat bersama {NAME}" in body
    flag = flag_of(anonymised.work, "title")
    assert reverse("privacy:review_flag", args=[flag.pk]) in body
    assert anonymised.work.get_absolute_url() in body


def test_the_admin_edits_a_text(client_for, anonymised, admin_user):
    flag = flag_of(anonymised.work, "title")
    url = reverse("privacy:review_flag", args=[flag.pk])
    client = client_for(admin_user)
    assert NAME in client.get(url).content.decode()

    response = client.post(url, {"text": "Edukasi internet sehat bersama anggota KPMI Alfa"})

    assert response.status_code == 302 and response["Location"] == LIST
    assert Activity.objects.get(pk=anonymised.work.pk).title == "Edukasi internet sehat bersama anggota KPMI Alfa"
    flag.refresh_from_db()
    assert (flag.outcome, flag.reviewed_by) == (ReviewFlag.Outcome.EDITED, admin_user)
    entry = AuditEntry.objects.get(action="privacy.review")
    assert entry.actor == admin_user
    # The decision is audited, not the text: the trail must not become a copy of the name.
    assert NAME not in json.dumps([entry.target_repr, entry.changes, entry.note])
    assert f"Edukasi internet sehat bersama {NAME}" not in client.get(LIST).content.decode()


def test_saved_unchanged_the_text_is_kept(client_for, anonymised, admin_user):
    flag = flag_of(anonymised.award, "reason")
    url = reverse("privacy:review_flag", args=[flag.pk])
    client = client_for(admin_user)
    # As a browser sends a textarea back: line breaks as \r\n.
    client.post(url, {"text": anonymised.award.reason.replace("\n", "\r\n")})
    flag.refresh_from_db()
    assert flag.outcome == ReviewFlag.Outcome.KEPT
    anonymised.award.refresh_from_db()
    assert anonymised.award.reason.startswith(NAME)


def test_reviewing_twice_is_refused_gracefully(client_for, anonymised, admin_user):
    flag = flag_of(anonymised.work, "title")
    url = reverse("privacy:review_flag", args=[flag.pk])
    client = client_for(admin_user)
    client.post(url, {"text": "Judul baru"})
    response = client.post(url, {"text": "Judul lain"}, follow=True)
    assert response.status_code == 200
    assert Activity.objects.get(pk=anonymised.work.pk).title == "Judul baru"
    assert AuditEntry.objects.filter(action="privacy.review").count() == 1


def test_a_text_too_long_for_its_field_is_refused_on_the_form(client_for, anonymised, admin_user):
    flag = flag_of(anonymised.work, "title")
    response = client_for(admin_user).post(reverse("privacy:review_flag", args=[flag.pk]), {"text": "x" * 500})
    assert response.status_code == 200
    flag.refresh_from_db()
    assert flag.is_open


def test_recorded_changes_are_edited_as_json_and_bad_json_is_refused(client_for, euis, admin_user, manager_a, kpmi_a):
    entry = audit_log(
        actor=manager_a, action="kpmi.update", target=kpmi_a, changes={"founded_by": [None, {"id": 1, "text": NAME}]}
    )
    services.member_anonymise(actor=admin_user, member=euis.member)
    flag = flag_of(entry, "changes")
    url = reverse("privacy:review_flag", args=[flag.pk])
    client = client_for(admin_user)

    bad = client.post(url, {"text": "{not json"})

    assert bad.status_code == 200 and "JSON" in bad.content.decode()
    client.post(url, {"text": '{"founded_by": [null, {"id": 1, "text": "Anggota terhapus"}]}'})
    entry.refresh_from_db()
    assert entry.changes == {"founded_by": [None, {"id": 1, "text": "Anggota terhapus"}]}


@pytest.mark.parametrize(("who", "status"), [("manager_a", 403), ("officer_users", 403), (None, 302)])
def test_only_the_admin_reviews(request, client_for, anonymised, who, status):
    flag = flag_of(anonymised.work, "title")
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.get(LIST).status_code == status
    assert client.post(reverse("privacy:review_flag", args=[flag.pk]), {"text": "x"}).status_code == status
    assert ReviewFlag.objects.get(pk=flag.pk).is_open


def test_the_komtik_overview_shows_how_many_wait(client_for, anonymised, admin_user):
    body = client_for(admin_user).get(reverse("komtik_home")).content.decode()
    assert LIST in body and f">{ReviewFlag.objects.filter(reviewed_at__isnull=True).count()}<" in body
