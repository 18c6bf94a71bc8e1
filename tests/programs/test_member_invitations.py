"""A member's page lists their invitations to a ToT or a collaboration programme: event, date,
answer and result, in one query however many there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from associations import services as association_services
from members.permissions import managed_kpmi_ids, officer_association_code
from programs import selectors, services
from programs.models import Invitation, TotEvent
from tests import factories

pytestmark = pytest.mark.django_db

S = Invitation.Status


def member_url(member) -> str:
    return reverse("members:member_detail", args=[member.pk])


@pytest.fixture
def history(officer_communities, officer_users, admin_user, manager_a, candidate_a):
    """Dede: failed ToT 1 (past), declined ToT 2, invited to ToT 3 (no answer yet), proposed for
    ToT 4 (not sent: not shown), took part in a collaboration programme with one logged work."""
    today = timezone.localdate()

    def tot(name: str, days: int) -> TotEvent:
        return services.tot_event_create(
            actor=officer_communities, name=name, date=today + dt.timedelta(days=days), capacity=5
        )

    def invite(event) -> Invitation:
        invitation = services.invitation_propose(actor=officer_communities, event=event, member=candidate_a)
        services.invitations_send(actor=officer_communities, event=event, invitation_ids=[invitation.pk])
        return invitation

    failed_tot = tot("ToT Satu", 2)
    failed = invite(failed_tot)
    services.invitation_accept(actor=manager_a, invitation=failed)
    TotEvent.objects.filter(pk=failed_tot.pk).update(date=today - dt.timedelta(days=60))
    services.invitation_record_attendance(actor=officer_communities, invitation=failed, attended=True)
    services.invitation_record_result(actor=officer_communities, invitation=failed, passed=False)

    declined = invite(tot("ToT Dua", 20))
    services.invitation_decline(actor=manager_a, invitation=declined)
    TotEvent.objects.filter(pk=declined.tot_event_id).update(date=today - dt.timedelta(days=30))
    services.invitation_propose(actor=officer_communities, event=tot("ToT Empat", 50), member=candidate_a)
    invite(tot("ToT Tiga", 40))

    period = association_services.period_open_year(actor=admin_user, year=2025)
    program = services.collaboration_create(
        actor=officer_users,
        name="Kolaborasi Berita",
        theme="Berita desa",
        date=today + dt.timedelta(days=5),
        venue="Aula",
        period=period,
        threshold=1,
    )
    invitation = Invitation.objects.create(program=program, member=candidate_a, kpmi=candidate_a.kpmi)
    services.invitations_send(actor=officer_users, event=program, invitation_ids=[invitation.pk])
    services.invitation_accept(actor=manager_a, invitation=invitation)
    services.collaboration_log_work(
        actor=officer_users,
        program=program,
        kind="education",
        data={
            "title": "Edukasi bersama",
            "date": today,
            "kecamatan": factories.kecamatan("Cibatu"),
            "desa": None,
            "summary": "",
            "evidence_url": "",
            "venue": "Aula",
            "participants": 12,
            "audience": "youth",
        },
    )
    return candidate_a


def rows_of(page: str) -> list[str]:
    section = page.split('id="member-invitations"')[1].split("</section>")[0]
    return [row.split("</tr>")[0] for row in section.split("<tr data-invitation=")[1:]]


def test_the_member_page_lists_invitations_newest_event_first(client_for, manager_a, history):
    page = client_for(manager_a).get(member_url(history)).content.decode()
    rows = rows_of(page)
    assert [next(n for n in ("Tiga", "Berita", "Dua", "Satu") if n in row) for row in rows] == [
        "Tiga",
        "Berita",
        "Dua",
        "Satu",
    ]
    assert "ToT Empat" not in page  # a proposal nobody sent is no invitation


def test_each_line_says_the_answer_and_the_result(history):
    from django.utils import translation

    with translation.override("en"):
        lines = {row.invitation.event.name: (row.answer, row.result) for row in selectors.member_invitations(history)}
    assert lines == {
        "ToT Tiga": ("Awaiting answer", ""),
        "Kolaborasi Berita": ("Accepted", "1 piece of work credited"),
        "ToT Dua": ("Declined", ""),
        "ToT Satu": ("Accepted", "Did not pass"),
    }


def test_the_tag_costs_one_query_however_many_invitations(
    django_assert_num_queries, history, manager_a, officer_communities
):
    template = Template("{% load interventions %}{% member_invitations member %}")
    request = RequestFactory().get("/")
    request.user = manager_a
    member = type(history).objects.select_related("kpmi").get(pk=history.pk)
    # The page has already asked who the user is (cached on the user): the tag adds one query.
    managed_kpmi_ids(manager_a)
    officer_association_code(manager_a)
    with django_assert_num_queries(1):
        html = template.render(Context({"member": member, "request": request}))
    assert html.count("<tr data-invitation=") == 4
    for n in range(5):
        event = services.tot_event_create(
            actor=officer_communities,
            name=f"ToT Ekstra {n}",
            date=timezone.localdate() + dt.timedelta(days=60 + n),
            capacity=5,
        )
        invitation = Invitation.objects.create(tot_event=event, member=member, kpmi=member.kpmi)
        Invitation.objects.filter(pk=invitation.pk).update(status=S.WITHDRAWN)
    with django_assert_num_queries(1):
        html = template.render(Context({"member": member, "request": request}))
    assert html.count("<tr data-invitation=") == 9


def test_the_member_page_stays_within_a_bounded_number_of_queries(
    django_assert_max_num_queries, client_for, manager_a, history, officer_communities
):
    client = client_for(manager_a)
    with django_assert_max_num_queries(25) as few:
        client.get(member_url(history))
    for n in range(5):
        event = services.tot_event_create(
            actor=officer_communities,
            name=f"ToT Ekstra {n}",
            date=timezone.localdate() + dt.timedelta(days=60 + n),
            capacity=5,
        )
        Invitation.objects.create(tot_event=event, member=history, kpmi=history.kpmi, status=S.WITHDRAWN)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(member_url(history))


def test_events_link_to_the_invitation_only_for_who_may_open_it(client_for, manager_a, officer_users, history):
    tot_three = history.invitations.get(tot_event__name="ToT Tiga")
    programme = history.invitations.get(program__name="Kolaborasi Berita")
    keeper_page = client_for(manager_a).get(member_url(history)).content.decode()
    assert tot_three.get_absolute_url() in keeper_page and programme.get_absolute_url() in keeper_page
    # An officer of the Users association sees the member's page, but not the ToT's invitations.
    officer_page = client_for(officer_users).get(member_url(history)).content.decode()
    assert "ToT Tiga" in officer_page and tot_three.get_absolute_url() not in officer_page
    assert programme.get_absolute_url() in officer_page


def test_another_kpmi_manager_does_not_see_the_page(client_for, manager_b, history):
    # The members app hides another group's member altogether (404, not 403): no invitation leaks.
    response = client_for(manager_b).get(member_url(history))
    assert response.status_code == 404 and "ToT Tiga" not in response.content.decode()


def test_no_invitations_no_section(client_for, manager_a, candidate_a):
    assert 'id="member-invitations"' not in client_for(manager_a).get(member_url(candidate_a)).content.decode()
