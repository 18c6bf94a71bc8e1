"""One record: who sees it, and who sees its history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs import services
from programs.models import Kind, Publication

from .factories import make_activity, photo, recent

pytestmark = pytest.mark.django_db


def _url(activity) -> str:
    return reverse("programs:activity_detail", args=[activity.pk])


@pytest.fixture
def joint(manager_a, kpmi_a, manager_member_a, member_b):
    """Logged by A's manager through the service (so it has history), crediting B's member too."""
    return services.activity_log(
        actor=manager_a,
        kind=Kind.PUBLICATION,
        kpmi=kpmi_a,
        data={
            "title": "Profil UMKM kopi Cikajang",
            "date": recent(),
            "kecamatan": kpmi_a.kecamatan,
            "channel": Publication.Channel.WEBSITE,
            "link": "https://kpmi.example.id/kopi",
        },
        credited=[manager_member_a, member_b],
        files=[photo()],
    )


@pytest.mark.parametrize("who", ["manager_a", "supervisor_a", "manager_b", "officer_users", "admin_user"])
def test_seen_by_the_groups_involved_officers_and_admin(client_for, request, who, joint):
    response = client_for(request.getfixturevalue(who)).get(_url(joint))
    assert response.status_code == 200
    assert "Profil UMKM kopi Cikajang" in response.content.decode()


def test_seen_by_a_credited_member(client_for, member_user_a, member_a, kpmi_b, member_b):
    activity = make_activity(kpmi=kpmi_b, credited=[member_b, member_a])
    assert client_for(member_user_a).get(_url(activity)).status_code == 200


def test_another_kpmi_is_refused(client_for, manager_b, kpmi_a, manager_member_a):
    activity = make_activity(kpmi=kpmi_a, credited=[manager_member_a])
    assert client_for(manager_b).get(_url(activity)).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "member_user_a"])
def test_wrong_role(client_for, request, who, joint):
    assert client_for(request.getfixturevalue(who)).get(_url(joint)).status_code == 403


def test_wrong_method(client_for, manager_a, joint):
    assert client_for(manager_a).post(_url(joint)).status_code == 405


def test_missing_record(client_for, manager_a):
    assert client_for(manager_a).get(reverse("programs:activity_detail", args=[999])).status_code == 404


@pytest.mark.parametrize("who, sees", [("officer_users", True), ("admin_user", True), ("manager_a", False)])
def test_history_for_officers_and_admin(client_for, request, who, sees, joint):
    history = client_for(request.getfixturevalue(who)).get(_url(joint)).context["history"]
    if sees:
        (entry,) = history
        assert entry.entry.action == "activity.log"
        changed = {label.lower(): (old, new) for label, old, new in entry.changes}
        assert ("—", "Profil UMKM kopi Cikajang") in changed.values()
        assert not any(old == new for old, new in changed.values())
    else:
        assert history is None


def test_edit_buttons_only_for_those_who_may(client_for, manager_a, manager_b, joint):
    assert client_for(manager_a).get(_url(joint)).context["can_change"] is True
    assert client_for(manager_b).get(_url(joint)).context["can_change"] is False


def test_bounded_queries(django_assert_max_num_queries, client_for, officer_users, kpmi_a, manager_member_a, kpmi_b):
    from tests import factories

    many = [manager_member_a, *[factories.MemberFactory(kpmi=kpmi_b) for _ in range(8)]]
    activity = make_activity(kpmi=kpmi_a, credited=many)
    client = client_for(officer_users)
    with django_assert_max_num_queries(14):
        client.get(_url(activity))
