"""Deleting a record: confirmed first, by those who may, while its period is open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpmi_si.audit.models import AuditEntry
from programs.models import Activity

from .factories import make_activity, recent

pytestmark = pytest.mark.django_db


def _url(activity) -> str:
    return reverse("programs:activity_delete", args=[activity.pk])


@pytest.fixture
def record(kpmi_a, manager_a, manager_member_a):
    return make_activity(kpmi=kpmi_a, credited=[manager_member_a], created_by=manager_a, title="Dihapus")


def test_get_asks_and_post_deletes(client_for, manager_a, record):
    client = client_for(manager_a)
    assert client.get(_url(record)).status_code == 200
    assert Activity.objects.exists()
    response = client.post(_url(record))
    assert response.url == reverse("programs:work_list")
    assert not Activity.objects.exists()
    assert AuditEntry.objects.get(action="activity.delete").changes["title"] == ["Dihapus", None]


def test_member_deletes_own_record_and_returns_to_their_work(client_for, member_user_a, member_a, kpmi_a):
    mine = make_activity(kpmi=kpmi_a, credited=[member_a], created_by=member_user_a)
    assert client_for(member_user_a).post(_url(mine)).url == reverse("programs:my_work")


def test_another_kpmi_is_refused(client_for, manager_b, record):
    assert client_for(manager_b).post(_url(record)).status_code == 403
    assert Activity.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "officer_communities", "member_user_a"])
def test_wrong_role(client_for, request, who, record):
    assert client_for(request.getfixturevalue(who)).post(_url(record)).status_code == 403
    assert Activity.objects.exists()


def test_wrong_method(client_for, manager_a, record):
    assert client_for(manager_a).put(_url(record)).status_code == 405


def test_closed_period(client_for, manager_a, manager_member_a, kpmi_a):
    old = make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=recent(61))
    response = client_for(manager_a).post(_url(old))
    assert response.url == old.get_absolute_url()
    assert Activity.objects.filter(pk=old.pk).exists()
