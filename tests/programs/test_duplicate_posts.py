"""A create form sent twice, or several times at once, creates once: logged work, a ToT, a volunteer
project, a competition, a collaboration programme, an association award."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib import messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from associations import services as association_services
from kpmi_si.audit.models import AuditEntry
from kpmi_si.idempotency.models import IdempotencyKey
from programs.models import (
    Activity,
    AssociationAward,
    CollaborationProgram,
    Competition,
    TotEvent,
    VolunteerProject,
)
from tests import factories
from tests.forms import form_data

from .test_log import publication_post

SAVED_ALREADY = "sudah tersimpan"


def _log_url(kpmi) -> str:
    return f"{reverse('programs:activity_create', args=['terbitan'])}?kpmi={kpmi.pk}"


def _publication_page(client, kpmi, credited) -> dict:
    """The publication form as a keeper opens it, filled in."""
    form = client.get(_log_url(kpmi)).context["form"]
    return form_data(form, **publication_post(kpmi, credited))


@pytest.mark.django_db(transaction=True)
def test_five_identical_posts_at_once_log_one_activity(client_for, manager_a, manager_member_a, kpmi_a):
    """Five requests with the same page, released together: PostgreSQL makes four wait on the
    key's unique index until the first commits, and they answer with its record."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server that runs requests at the same time (CI: PostgreSQL)")
    data = _publication_page(client_for(manager_a), kpmi_a, [manager_member_a])
    clients = [client_for(manager_a) for _ in range(5)]
    start = threading.Barrier(len(clients))
    answers: list[tuple[int, str] | BaseException] = [RuntimeError("not run")] * len(clients)

    def send(i: int) -> None:
        try:
            start.wait(timeout=30)
            response = clients[i].post(_log_url(kpmi_a), data)
            answers[i] = (response.status_code, response.get("Location", ""))
        except BaseException as exc:  # reported below, with the other answers
            answers[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    activity = Activity.objects.get()  # exactly one
    assert answers == [(302, activity.get_absolute_url())] * len(clients)
    assert AuditEntry.objects.filter(action="activity.log").count() == 1
    assert IdempotencyKey.objects.get().target == activity


@pytest.mark.django_db
class TestLoggingForm:
    def test_sent_twice_logs_once_and_says_so(self, client_for, manager_a, manager_member_a, kpmi_a):
        client = client_for(manager_a)
        data = _publication_page(client, kpmi_a, [manager_member_a])
        client.post(_log_url(kpmi_a), data, follow=True)
        second = client.post(_log_url(kpmi_a), data, follow=True)
        activity = Activity.objects.get()
        assert second.redirect_chain == [(activity.get_absolute_url(), 302)]
        (message,) = second.context["messages"]
        assert message.level == messages.INFO and SAVED_ALREADY in message.message

    @pytest.mark.parametrize("slug", ["terbitan", "edukasi", "penerapan", "pelatihan"])
    def test_every_logging_form_carries_a_fresh_key(self, client_for, manager_a, kpmi_a, slug):
        client = client_for(manager_a)
        url = f"{reverse('programs:activity_create', args=[slug])}?kpmi={kpmi_a.pk}"
        keys = {str(client.get(url).context["form"]["idempotency_key"].value()) for _ in range(2)}
        assert len(keys) == 2

    def test_a_members_key_sent_by_a_keeper_is_refused(self, client_for, member_user_a, member_a, manager_a, kpmi_a):
        data = _publication_page(client_for(member_user_a), kpmi_a, [member_a])
        assert client_for(member_user_a).post(_log_url(kpmi_a), data).status_code == 302
        response = client_for(manager_a).post(_log_url(kpmi_a), {**data, "title": "Catatan pengelola"})
        assert response.status_code == 200 and response.context["form"].non_field_errors()
        assert Activity.objects.count() == 1

    def test_a_page_without_a_key_still_logs(self, client_for, manager_a, manager_member_a, kpmi_a):
        data = _publication_page(client_for(manager_a), kpmi_a, [manager_member_a])
        del data["idempotency_key"]
        assert client_for(manager_a).post(_log_url(kpmi_a), data).status_code == 302
        assert Activity.objects.count() == 1

    def test_the_edit_form_carries_no_key(self, client_for, manager_a, manager_member_a, kpmi_a):
        from .factories import make_activity

        record = make_activity(kpmi=kpmi_a, credited=[manager_member_a])
        form = client_for(manager_a).get(reverse("programs:activity_edit", args=[record.pk])).context["form"]
        assert "idempotency_key" not in form.fields and "version" in form.fields


# --- the interventions' create forms --------------------------------------------------------------------


@pytest.fixture
def open_period(admin_user):
    return association_services.period_open_year(actor=admin_user, year=timezone.localdate().year)


def _in(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


CASES = {
    "tot": (
        "officer_communities",
        "interventions:tot_create",
        TotEvent,
        lambda request: {"name": "ToT Pusat 9", "date": _in(30), "capacity": 10},
    ),
    "project": (
        "officer_platform",
        "interventions:project_create",
        VolunteerProject,
        lambda request: {
            "title": "Jaringan SDN 2 Cibatu",
            "deployment_kind": "network",
            "site_type": "school",
            "site_name": "SDN 2 Cibatu",
            "kecamatan": factories.kecamatan("Cibatu").pk,
            "needs": "Kabel dan router",
            "start_date": _in(10),
            "end_date": _in(12),
            "team_size": 3,
        },
    ),
    "competition": (
        "officer_users",
        "interventions:competition_create",
        Competition,
        lambda request: {
            "title": "Terbitan terbanyak",
            "period": request.getfixturevalue("open_period").pk,
            "kind": "publication",
            "measure": "records",
            "entrants": "managers",
            "winners": 3,
        },
    ),
    "collaboration": (
        "officer_users",
        "interventions:collaboration_create",
        CollaborationProgram,
        lambda request: {
            "name": "Kolaborasi Konten",
            "theme": "Berita desa",
            "date": _in(5),
            "venue": "Aula",
            "period": request.getfixturevalue("open_period").pk,
            "threshold": 2,
        },
    ),
    "association award": (
        "officer_communities",
        "interventions:association_awards",
        AssociationAward,
        lambda request: {
            "member": request.getfixturevalue("manager_a").member.pk,
            "name": "Pengelola Teladan",
            "reason": "Membina tiga KPMI baru.",
            "awarded_on": timezone.localdate().isoformat(),
        },
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_a_create_form_sent_twice_creates_once(request, client_for, case):
    who, url_name, model, fill = CASES[case]
    client = client_for(request.getfixturevalue(who))
    url = reverse(url_name)
    data = form_data(client.get(url).context["form"], **fill(request))

    first = client.post(url, data, follow=True)
    assert first.status_code == 200 and len(first.redirect_chain) == 1, first.context.get("form").errors
    second = client.post(url, data, follow=True)

    assert model.objects.count() == 1
    assert second.redirect_chain == first.redirect_chain
    (message,) = second.context["messages"]
    assert message.level == messages.INFO and SAVED_ALREADY in message.message
