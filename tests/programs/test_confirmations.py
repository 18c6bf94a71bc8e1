"""Steps that cannot be undone ask first (#14): GET shows what will happen and changes nothing; a
POST without the page's confirmation shows the page again, with the reason, and changes nothing;
with it, the step is carried out. Permissions stay those of the step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from associations import services as association_services
from members.models import Level
from programs import services
from programs.models import CollaborationProgram, Competition, Invitation, Kind, TotEvent

pytestmark = pytest.mark.django_db

S = Invitation.Status


@pytest.fixture
def period(admin_user):
    """2025, over by now."""
    return association_services.period_open_year(actor=admin_user, year=2025)


def u(name: str, *args) -> str:
    return reverse(f"interventions:{name}", args=args)


def _competition(officer_users, period) -> Competition:
    return services.competition_create(
        actor=officer_users,
        title="Terbitan terbanyak",
        period=period,
        kind=Kind.PUBLICATION,
        entrants="managers",
        winners=2,
    )


class TestCompetitionClose:
    def test_the_page_says_what_happens_and_that_the_period_still_runs(self, client_for, admin_user, officer_users):
        this_year = association_services.period_open_year(actor=admin_user, year=timezone.localdate().year)
        competition = _competition(officer_users, this_year)
        response = client_for(officer_users).get(u("competition_close", competition.pk))
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="confirm-consequences"' in body and "confirm-warning" in body
        assert this_year.end.strftime("%d-%m-%Y") in body
        assert Competition.objects.get().status == Competition.Status.OPEN

    def test_after_its_period_no_early_warning(self, client_for, officer_users, period):
        competition = _competition(officer_users, period)  # 2025, over
        body = client_for(officer_users).get(u("competition_close", competition.pk)).content.decode()
        assert "confirm-warning" not in body

    def test_a_post_without_the_confirmation_changes_nothing_and_says_why(self, client_for, officer_users, period):
        competition = _competition(officer_users, period)
        response = client_for(officer_users).post(u("competition_close", competition.pk))
        assert response.status_code == 200 and 'id="confirm-errors"' in response.content.decode()
        response = client_for(officer_users).post(u("competition_close", competition.pk), {"confirm": "maybe"})
        assert response.status_code == 200
        assert Competition.objects.get().status == Competition.Status.OPEN

    def test_confirmed_it_closes(self, client_for, officer_users, period):
        competition = _competition(officer_users, period)
        response = client_for(officer_users).post(u("competition_close", competition.pk), {"confirm": "yes"})
        assert response.status_code == 302
        assert Competition.objects.get().status == Competition.Status.CLOSED

    def test_the_wrong_role_is_refused_even_the_page(
        self, client_for, manager_a, officer_platform, officer_users, period
    ):
        competition = _competition(officer_users, period)
        for user in (manager_a, officer_platform):
            assert client_for(user).get(u("competition_close", competition.pk)).status_code == 403
            assert client_for(user).post(u("competition_close", competition.pk), {"confirm": "yes"}).status_code == 403
        assert client_for(officer_users).get(u("competition_close", competition.pk + 999)).status_code == 404


@pytest.fixture
def sent(officer_communities, tot_event, candidates_a, candidates_b, trainer_evaluation) -> list[Invitation]:
    services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
    ids = list(tot_event.invitations.order_by("kpmi__name", "member__full_name").values_list("pk", flat=True))
    services.invitations_send(actor=officer_communities, event=tot_event, invitation_ids=ids)
    return [Invitation.objects.get(pk=pk) for pk in ids]


class TestInvitationDecline:
    def test_the_detail_page_links_to_the_confirmation(self, client_for, manager_a, sent):
        body = client_for(manager_a).get(sent[0].get_absolute_url()).content.decode()
        assert f'href="{u("invitation_decline", sent[0].pk)}"' in body

    def test_get_asks_and_says_it_can_be_taken_back(self, client_for, manager_a, sent):
        response = client_for(manager_a).get(u("invitation_decline", sent[0].pk))
        assert response.status_code == 200
        assert sent[0].tot_event.answer_deadline.strftime("%d-%m-%Y") in response.content.decode()
        assert Invitation.objects.get(pk=sent[0].pk).status == S.SENT

    def test_confirmed_it_declines(self, client_for, manager_a, sent):
        assert client_for(manager_a).post(u("invitation_decline", sent[0].pk)).status_code == 200
        assert Invitation.objects.get(pk=sent[0].pk).status == S.SENT
        assert client_for(manager_a).post(u("invitation_decline", sent[0].pk), {"confirm": "yes"}).status_code == 302
        assert Invitation.objects.get(pk=sent[0].pk).status == S.DECLINED

    def test_another_groups_keeper_cannot_even_see_the_page(self, client_for, manager_b, sent):
        assert client_for(manager_b).get(u("invitation_decline", sent[0].pk)).status_code == 403


class TestPassPromotes:
    @pytest.fixture
    def attended(self, officer_communities, manager_a, sent, tot_event):
        services.invitation_accept(actor=manager_a, invitation=sent[0])
        TotEvent.objects.filter(pk=tot_event.pk).update(date=timezone.localdate())
        services.invitation_record_attendance(
            actor=officer_communities, invitation=Invitation.objects.get(pk=sent[0].pk), attended=True
        )
        return Invitation.objects.get(pk=sent[0].pk)

    def test_passed_asks_first_and_keeps_where_to_go_back(self, client_for, officer_communities, attended, tot_event):
        client = client_for(officer_communities)
        response = client.get(u("invitation_result", attended.pk) + f"?next={tot_event.get_absolute_url()}")
        assert response.status_code == 200
        body = response.content.decode()
        assert 'name="passed" value="yes"' in body and f'name="next" value="{tot_event.get_absolute_url()}"' in body
        client.post(u("invitation_result", attended.pk), {"passed": "yes"})
        attended.member.refresh_from_db()
        assert attended.member.level == Level.TRAINER_CANDIDATE
        response = client.post(
            u("invitation_result", attended.pk),
            {"passed": "yes", "confirm": "yes", "next": tot_event.get_absolute_url()},
        )
        assert response["Location"] == tot_event.get_absolute_url()
        attended.member.refresh_from_db()
        assert attended.member.level == Level.TRAINER

    def test_did_not_pass_needs_no_page(self, client_for, officer_communities, attended):
        client_for(officer_communities).post(u("invitation_result", attended.pk), {"passed": "no"})
        assert Invitation.objects.get(pk=attended.pk).status == S.FAILED

    def test_a_keeper_cannot_record_a_pass(self, client_for, manager_a, attended):
        assert client_for(manager_a).get(u("invitation_result", attended.pk)).status_code == 403
        assert (
            client_for(manager_a)
            .post(u("invitation_result", attended.pk), {"passed": "yes", "confirm": "yes"})
            .status_code
            == 403
        )


class TestCollaborationCancel:
    def test_asks_then_cancels(self, client_for, officer_users, period):
        program = services.collaboration_create(
            actor=officer_users,
            name="Kolaborasi Konten",
            theme="Berita desa",
            date=timezone.localdate() + dt.timedelta(days=10),
            venue="Aula KOMTIK",
            period=period,
            threshold=2,
        )
        client = client_for(officer_users)
        assert client.get(u("collaboration_cancel", program.pk)).status_code == 200
        assert client.post(u("collaboration_cancel", program.pk)).status_code == 200
        assert CollaborationProgram.objects.get().status == CollaborationProgram.Status.SCHEDULED
        assert client.post(u("collaboration_cancel", program.pk), {"confirm": "yes"}).status_code == 302
        assert CollaborationProgram.objects.get().status == CollaborationProgram.Status.CANCELLED
