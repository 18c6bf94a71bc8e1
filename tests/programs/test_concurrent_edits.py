"""Two people with the same record open (a piece of work, a ToT): the second, stale form is refused
and the first one's change stays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kpmi_si.audit.models import AuditEntry
from programs.models import Invitation, TotEvent
from tests.forms import form_data

from .factories import make_activity

pytestmark = pytest.mark.django_db

STALE = "Data ini sudah diubah oleh orang lain sejak Anda membukanya"


@pytest.fixture
def record(kpmi_a, manager_a, manager_member_a):
    return make_activity(kpmi=kpmi_a, credited=[manager_member_a], created_by=manager_a, title="Judul lama")


def test_activity_second_keepers_stale_form_is_refused(client_for, manager_a, supervisor_a, record):
    url = reverse("programs:activity_edit", args=[record.pk])
    first, second = client_for(manager_a), client_for(supervisor_a)
    form_1 = first.get(url).context["form"]
    form_2 = second.get(url).context["form"]

    assert first.post(url, form_data(form_1, title="Judul baru")).status_code == 302
    response = second.post(url, form_data(form_2, summary="Ringkasan dari pembina"))

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert STALE in error and "Judul baru" in error
    record.refresh_from_db()
    assert (record.title, record.summary) == ("Judul baru", "")
    assert AuditEntry.objects.filter(action="activity.update", target_id=str(record.pk)).count() == 1


def test_activity_credits_changed_in_between_are_a_conflict(
    client_for, manager_a, supervisor_a, trainer_a, manager_member_a, record
):
    url = reverse("programs:activity_edit", args=[record.pk])
    first, second = client_for(manager_a), client_for(supervisor_a)
    form_1 = first.get(url).context["form"]
    form_2 = second.get(url).context["form"]
    credited = [manager_member_a.pk, trainer_a.pk]
    assert first.post(url, form_data(form_1, credited=credited)).status_code == 302

    response = second.post(url, form_data(form_2, title="Judul pembina"))
    assert response.status_code == 200 and STALE in response.context["form"].non_field_errors()[0]
    assert set(record.credits.values_list("member_id", flat=True)) == set(credited)


def _tot(name: str = "ToT Pusat 1", capacity: int = 10) -> TotEvent:
    return TotEvent.objects.create(
        name=name, date=timezone.localdate() + dt.timedelta(days=30), capacity=capacity, venue="KOMTIK Garut"
    )


def test_tot_edit_stale_form_is_refused(client_for, officer_communities, admin_user):
    event = _tot()
    url = reverse("interventions:tot_edit", args=[event.pk])
    first, second = client_for(officer_communities), client_for(admin_user)
    form_1 = first.get(url).context["form"]
    form_2 = second.get(url).context["form"]

    assert first.post(url, form_data(form_1, capacity=20)).status_code == 302
    response = second.post(url, form_data(form_2, venue="Aula Kabupaten"))

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert STALE in error and "20" in error
    event.refresh_from_db()
    assert (event.capacity, event.venue) == (20, "KOMTIK Garut")


def test_adding_a_candidate_from_a_stale_page_does_not_lower_the_capacity(
    client_for, officer_communities, admin_user, candidates_a
):
    """The candidate form carries the ToT's capacity; raised by someone else meanwhile, it must not
    be lowered back by the older page."""
    event = _tot()
    add_url = reverse("interventions:tot_add_candidate", args=[event.pk])
    edit_url = reverse("interventions:tot_edit", args=[event.pk])
    officer, admin = client_for(officer_communities), client_for(admin_user)
    stale = officer.get(add_url).context["form"]
    assert admin.post(edit_url, form_data(admin.get(edit_url).context["form"], capacity=15)).status_code == 302

    response = officer.post(add_url, form_data(stale, member=candidates_a[0].pk))
    assert response.status_code == 200 and STALE in response.context["form"].non_field_errors()[0]
    event.refresh_from_db()
    assert event.capacity == 15
    assert not Invitation.objects.filter(tot_event=event).exists()

    fresh = officer.get(add_url).context["form"]
    assert officer.post(add_url, form_data(fresh, member=candidates_a[0].pk)).status_code == 302
    assert Invitation.objects.filter(tot_event=event, member=candidates_a[0]).exists()
