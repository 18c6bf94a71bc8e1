"""Changing a record: by whom, until when, and what the history keeps."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.urls import reverse

from kpmi_si.audit.models import AuditEntry
from programs import periods
from programs.models import Kind, Status
from tests.forms import opened_now

from .factories import make_activity, photo, recent
from .test_log import publication_post

pytestmark = pytest.mark.django_db


def _url(activity) -> str:
    return reverse("programs:activity_edit", args=[activity.pk])


@pytest.fixture
def record(kpmi_a, manager_a, manager_member_a):
    return make_activity(kpmi=kpmi_a, credited=[manager_member_a], created_by=manager_a, title="Judul lama")


def test_form_shows_the_stored_record(client_for, manager_a, manager_member_a, record):
    form = client_for(manager_a).get(_url(record)).context["form"]
    assert form["title"].value() == "Judul lama"
    assert form["credited"].value() == [manager_member_a.pk]


def test_manager_changes_and_the_history_keeps_old_and_new(client_for, manager_a, manager_member_a, kpmi_a, record):
    data = publication_post(kpmi_a, [manager_member_a], title="Judul baru", evidence_files=[photo()])
    response = client_for(manager_a).post(_url(record), opened_now(data, record))
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    record.refresh_from_db()
    assert record.title == "Judul baru" and record.evidence.count() == 1
    entry = AuditEntry.objects.get(action="activity.update", target_id=str(record.pk))
    assert entry.changes["title"] == ["Judul lama", "Judul baru"]
    assert entry.actor == manager_a


def test_supervisor_of_the_group_may_edit(client_for, supervisor_a, record):
    assert client_for(supervisor_a).get(_url(record)).status_code == 200


def test_removing_a_file(client_for, manager_a, manager_member_a, kpmi_a, record):
    from programs import services

    services.activity_update(
        actor=manager_a,
        activity=record,
        data={"title": "Judul lama", "date": recent(), "kecamatan": kpmi_a.kecamatan, "channel": "radio"},
        credited=[manager_member_a],
        files=[photo("a.jpg")],
    )
    item = record.evidence.get()
    data = publication_post(kpmi_a, [manager_member_a], remove_evidence=[item.pk])
    assert client_for(manager_a).post(_url(record), opened_now(data, record)).status_code == 302
    assert not record.evidence.exists()


def test_another_kpmi_is_refused(client_for, manager_b, member_b, kpmi_a, record):
    client = client_for(manager_b)
    assert client.get(_url(record)).status_code == 403
    assert client.post(_url(record), publication_post(kpmi_a, [member_b], title="Dibajak")).status_code == 403
    record.refresh_from_db()
    assert record.title == "Judul lama"


def test_credited_keeper_of_another_group_is_refused(client_for, manager_b, member_b, kpmi_a, manager_member_a):
    joint = make_activity(kpmi=kpmi_a, credited=[manager_member_a, member_b])
    assert client_for(manager_b).get(_url(joint)).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "officer_users", "member_user_a"])
def test_wrong_role(client_for, request, who, record):
    assert client_for(request.getfixturevalue(who)).get(_url(record)).status_code == 403


def test_wrong_method(client_for, manager_a, record):
    assert client_for(manager_a).delete(_url(record)).status_code == 405


def test_closed_period_is_refused_with_a_message(client_for, manager_a, manager_member_a, kpmi_a):
    old = make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=recent(100), title="Lama")
    response = client_for(manager_a).post(_url(old), publication_post(kpmi_a, [manager_member_a]), follow=True)
    assert response.redirect_chain[-1][0] == old.get_absolute_url()
    (message,) = response.context["messages"]
    assert message.level == messages.ERROR
    assert periods.open_since().strftime("%d-%m-%Y") in message.message  # says from when work is open
    old.refresh_from_db()
    assert old.title == "Lama"


def test_admin_corrects_a_closed_period(client_for, admin_user, manager_member_a, kpmi_a):
    old = make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=recent(100), title="Lama")
    data = publication_post(kpmi_a, [manager_member_a], title="Dikoreksi", date=recent(100).isoformat())
    assert client_for(admin_user).post(_url(old), opened_now(data, old)).status_code == 302
    old.refresh_from_db()
    assert old.title == "Dikoreksi"


def test_moving_a_record_into_a_closed_period_is_refused_on_the_date(
    client_for, manager_a, manager_member_a, kpmi_a, record
):
    data = publication_post(kpmi_a, [manager_member_a], date=recent(400).isoformat())
    response = client_for(manager_a).post(_url(record), opened_now(data, record))
    assert "date" in response.context["form"].errors


def test_member_edits_own_work_and_it_waits_again(client_for, member_user_a, member_a, kpmi_a):
    mine = make_activity(kpmi=kpmi_a, credited=[member_a], created_by=member_user_a, status=Status.REJECTED)
    data = opened_now(publication_post(kpmi_a, [member_a], title="Diperbaiki"), mine)
    response = client_for(member_user_a).post(_url(mine), data)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.title, mine.status) == ("Diperbaiki", Status.PENDING)


def test_training_form_keeps_lead_trainer_and_trainees(client_for, manager_a, trainer_a, candidate_a, kpmi_a):
    training = make_activity(kpmi=kpmi_a, credited=[trainer_a], kind=Kind.TRAINING, trainees=[candidate_a])
    form = client_for(manager_a).get(_url(training)).context["form"]
    assert form["lead_trainer"].value() == trainer_a.pk
    assert form["trainees"].value() == [candidate_a.pk]
    assert form["credited"].value() == []


def test_closing_a_target_period_freezes_its_work_inside_the_window(
    client_for, admin_user, manager_a, manager_member_a, kpmi_a
):
    """Results of a closed period are frozen, so the work they were computed from is too."""
    from associations import services as association_services

    record = make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=recent(20), title="Baru")
    assert periods.activity_is_editable(record)  # inside the 60-day window
    period = association_services.period_open(actor=admin_user, name="Triwulan uji", start=recent(50), end=recent(10))
    association_services.period_close(actor=admin_user, period=period)
    assert periods.open_since() == recent(9)
    assert not periods.activity_is_editable(record)
    response = client_for(manager_a).post(_url(record), publication_post(kpmi_a, [manager_member_a]), follow=True)
    (message,) = response.context["messages"]
    assert message.level == messages.ERROR and recent(9).strftime("%d-%m-%Y") in message.message
    record.refresh_from_db()
    assert record.title == "Baru"
    # Work after the closed period is logged as before.
    assert periods.date_is_open(recent(9))
