""" "My work": a member's credited work, whatever its status."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from programs.models import Kind, Status

from .factories import make_activity, recent

pytestmark = pytest.mark.django_db

URL = reverse("programs:my_work")


@pytest.fixture
def records(kpmi_a, kpmi_b, member_a, manager_member_a, member_b):
    make_activity(kpmi=kpmi_a, credited=[member_a], title="Punyaku, menunggu", status=Status.PENDING)
    make_activity(kpmi=kpmi_b, credited=[member_b, member_a], kind=Kind.DEPLOYMENT, title="Bersama Beta")
    make_activity(kpmi=kpmi_a, credited=[manager_member_a], title="Bukan punyaku")


def test_member_sees_their_credited_work_pending_included(client_for, member_user_a, records):
    response = client_for(member_user_a).get(URL)
    assert response.status_code == 200
    assert {a.title for a in response.context["page"]} == {"Punyaku, menunggu", "Bersama Beta"}


def test_filter_and_export(client_for, member_user_a, records):
    client = client_for(member_user_a)
    assert {a.title for a in client.get(URL, {"kind": Kind.DEPLOYMENT}).context["page"]} == {"Bersama Beta"}
    text = b"".join(client.get(URL, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 3


def test_a_manager_who_is_a_member_has_their_own_work_too(client_for, manager_a, records):
    assert {a.title for a in client_for(manager_a).get(URL).context["page"]} == {"Bukan punyaku"}


@pytest.mark.parametrize("who", ["outsider", "supervisor_a", "officer_users"])
def test_wrong_role_without_a_member_record(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_wrong_method(client_for, member_user_a):
    assert client_for(member_user_a).post(URL).status_code == 405


def test_bounded_queries(django_assert_max_num_queries, client_for, member_user_a, member_a, kpmi_a):
    client = client_for(member_user_a)
    client.get(URL)
    make_activity(kpmi=kpmi_a, credited=[member_a])
    with django_assert_max_num_queries(14) as few:
        client.get(URL)
    for day in range(30):
        make_activity(kpmi=kpmi_a, credited=[member_a], date=recent(day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
