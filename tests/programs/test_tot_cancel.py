"""A ToT called off, and invitations that arrive too late: what the officer and the member side see.

Cancelling withdraws every open invitation (so nobody accepts a ToT that will not happen, and the
candidates are free for the next one) and tells the member side; a cancelled ToT stays cancelled.
Pages are read in English (Accept-Language) so the assertions name the messages' msgids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kpmi_si.audit.models import AuditEntry
from kpmi_si.notifications.models import Notification
from members.models import Level
from programs import services
from programs.models import CollaborationProgram, Invitation, TotEvent
from tests.forms import opened_now

pytestmark = pytest.mark.django_db

S = Invitation.Status
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def u(name: str, *args) -> str:
    return reverse(f"interventions:{name}", args=args)


def today() -> dt.date:
    return timezone.localdate()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def edit_data(event: TotEvent, **changes) -> dict:
    data = {
        "name": event.name,
        "date": event.date.isoformat(),
        "venue": event.venue,
        "capacity": event.capacity,
        "respond_by": "",
    }
    return opened_now({**data, **changes}, event)


@pytest.fixture
def proposed(tot_event, candidates_a, candidates_b, trainer_evaluation) -> list[Invitation]:
    services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
    return list(tot_event.invitations.order_by("kpmi__name", "member__full_name"))


@pytest.fixture
def sent(officer_communities, tot_event, proposed) -> list[Invitation]:
    """A0 and A1 sent (A0 then accepted by the manager), A2 and the B candidates still proposed."""
    services.invitations_send(actor=officer_communities, event=tot_event, invitation_ids=[i.pk for i in proposed[:2]])
    return [Invitation.objects.get(pk=i.pk) for i in proposed]


@pytest.fixture
def accepted(sent, manager_a) -> Invitation:
    return services.invitation_accept(actor=manager_a, invitation=sent[0])


CONFIRM = {"confirm": "yes"}


class TestCancellingAToT:
    def test_the_page_says_what_will_happen_and_changes_nothing(
        self, client_for, officer_communities, tot_event, sent, accepted
    ):
        client = client_for(officer_communities)
        assert u("tot_cancel", tot_event.pk) in client.get(u("tot_detail", tot_event.pk)).content.decode()
        Notification.objects.all().delete()
        response = client.get(u("tot_cancel", tot_event.pk), **EN)
        assert response.status_code == 200
        page = response.content.decode()
        # Five open invitations (A0 accepted, A1 sent, three proposed); two of them reached the member side.
        assert "5 open invitations are withdrawn" in page
        assert "2 of them were sent already" in page
        assert TotEvent.objects.get(pk=tot_event.pk).status == "scheduled"
        assert not tot_event.invitations.filter(status=S.WITHDRAWN).exists()
        assert not Notification.objects.exists()

    def test_a_post_without_the_confirmation_changes_nothing(self, client_for, officer_communities, tot_event, sent):
        response = client_for(officer_communities).post(u("tot_cancel", tot_event.pk), {}, **EN)
        assert response.status_code == 200
        assert "Nothing was done: confirm on this page to go on." in response.content.decode()
        # The page answering that POST can still confirm: its hidden field carries the confirmation.
        assert 'name="confirm" value="yes"' in response.content.decode()
        assert TotEvent.objects.get(pk=tot_event.pk).status == "scheduled"
        assert not AuditEntry.objects.filter(action__in=["tot.cancel", "invitation.withdraw"]).exists()

    def test_every_open_invitation_is_withdrawn_and_the_member_side_is_told(
        self, client_for, officer_communities, manager_a, tot_event, sent, accepted
    ):
        Notification.objects.all().delete()
        response = client_for(officer_communities).post(u("tot_cancel", tot_event.pk), CONFIRM, **EN)
        assert response.status_code == 302 and response["Location"] == tot_event.get_absolute_url()
        assert TotEvent.objects.get(pk=tot_event.pk).status == "cancelled"
        assert AuditEntry.objects.get(action="tot.cancel").changes == {"status": ["scheduled", "cancelled"]}
        assert set(tot_event.invitations.values_list("status", flat=True)) == {S.WITHDRAWN}
        # Audited one by one, old -> new.
        changes = sorted(tuple(e.changes["status"]) for e in AuditEntry.objects.filter(action="invitation.withdraw"))
        assert changes == [("accepted", "withdrawn"), *[("proposed", "withdrawn")] * 3, ("sent", "withdrawn")]
        # Only those who had been told of the invitation are told it is off (A0 accepted, A1 sent).
        told = list(Notification.objects.filter(recipient=manager_a).values_list("message", flat=True))
        assert len(told) == 2 and all("ToT Pusat 1" in text for text in told)

    @pytest.mark.parametrize("who", ["manager_a", "officer_users", "outsider"])
    def test_only_the_tot_officers_may_cancel(self, request, client_for, tot_event, sent, who):
        client = client_for(request.getfixturevalue(who))
        assert client.get(u("tot_cancel", tot_event.pk)).status_code == 403
        assert client.post(u("tot_cancel", tot_event.pk), CONFIRM).status_code == 403
        assert TotEvent.objects.get(pk=tot_event.pk).status == "scheduled"
        assert not tot_event.invitations.filter(status=S.WITHDRAWN).exists()

    def test_an_unknown_tot_is_404(self, client_for, officer_communities):
        assert client_for(officer_communities).get(u("tot_cancel", 999999)).status_code == 404

    def test_the_edit_form_no_longer_offers_cancelling(self, client_for, officer_communities, tot_event, sent):
        client = client_for(officer_communities)
        assert 'name="status"' not in client.get(u("tot_edit", tot_event.pk)).content.decode()
        # An old form that still posts a status saves the rest and leaves the status alone.
        response = client.post(
            u("tot_edit", tot_event.pk), {**edit_data(tot_event, capacity=12), "status": "cancelled"}
        )
        assert response.status_code == 302
        tot_event.refresh_from_db()
        assert tot_event.status == "scheduled" and tot_event.capacity == 12
        assert not tot_event.invitations.filter(status=S.WITHDRAWN).exists()

    def test_the_member_side_cannot_accept_afterwards(
        self, client_for, officer_communities, manager_a, tot_event, sent
    ):
        services.tot_event_cancel(actor=officer_communities, event=tot_event)
        response = client_for(manager_a).post(u("invitation_accept", sent[1].pk), follow=True, **EN)
        assert messages_of(response) == ["ToT Pusat 1 was cancelled; the invitation can no longer be answered."]
        assert Invitation.objects.get(pk=sent[1].pk).status == S.WITHDRAWN

    def test_its_candidates_are_proposed_for_the_next_tot(
        self, officer_communities, tot_event, sent, accepted, trainer_evaluation
    ):
        services.tot_event_cancel(actor=officer_communities, event=tot_event)
        later = services.tot_event_create(
            actor=officer_communities, name="ToT Pusat 2", date=today() + dt.timedelta(days=40), capacity=10
        )
        services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
        assert set(later.invitations.values_list("member__full_name", flat=True)) == {
            "Calon A0",
            "Calon A1",
            "Calon A2",
            "Calon B0",
            "Calon B1",
        }

    def test_a_cancelled_tot_stays_cancelled(self, client_for, officer_communities, tot_event, sent):
        services.tot_event_cancel(actor=officer_communities, event=tot_event)
        client = client_for(officer_communities)
        detail = client.get(u("tot_detail", tot_event.pk)).content.decode()
        assert 'id="edit-tot"' not in detail and 'id="cancel-tot"' not in detail
        response = client.post(u("tot_edit", tot_event.pk), edit_data(tot_event, capacity=20), **EN)
        assert response.status_code == 200
        assert "This ToT was cancelled; schedule a new one instead." in response.content.decode()
        tot_event.refresh_from_db()
        assert tot_event.status == "cancelled" and tot_event.capacity == 10

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_cancelling_again_says_so_and_changes_nothing(
        self, client_for, officer_communities, tot_event, sent, method
    ):
        services.tot_event_cancel(actor=officer_communities, event=tot_event)
        before = AuditEntry.objects.count()
        client = client_for(officer_communities)
        response = getattr(client, method)(u("tot_cancel", tot_event.pk), CONFIRM, follow=True, **EN)
        assert response.status_code == 200
        assert messages_of(response) == ["This ToT was cancelled already."]
        assert AuditEntry.objects.count() == before

    def test_once_attendance_is_recorded_it_cannot_be_cancelled(
        self, client_for, officer_communities, tot_event, accepted
    ):
        TotEvent.objects.filter(pk=tot_event.pk).update(date=today())
        tot_event.refresh_from_db()
        services.invitation_record_attendance(actor=officer_communities, invitation=accepted, attended=True)
        client = client_for(officer_communities)
        assert 'id="cancel-tot"' not in client.get(u("tot_detail", tot_event.pk)).content.decode()
        response = client.post(u("tot_cancel", tot_event.pk), CONFIRM, follow=True, **EN)
        assert messages_of(response) == ["Attendance is already recorded for this ToT; it can no longer be cancelled."]
        tot_event.refresh_from_db()
        assert tot_event.status == "scheduled"
        assert Invitation.objects.get(pk=accepted.pk).status == S.ATTENDED


class TestTooLate:
    def test_sending_after_the_answers_closed_is_refused_with_a_message(
        self, client_for, officer_communities, tot_event, proposed
    ):
        TotEvent.objects.filter(pk=tot_event.pk).update(respond_by=today() - dt.timedelta(days=1))
        response = client_for(officer_communities).post(
            u("tot_send", tot_event.pk), {"invitations": [proposed[0].pk]}, follow=True, **EN
        )
        assert messages_of(response) == [
            f"Answers to ToT Pusat 1 closed on {today() - dt.timedelta(days=1):%d-%m-%Y}: "
            "move the answer date or the event before sending."
        ]
        assert Invitation.objects.get(pk=proposed[0].pk).status == S.PROPOSED
        assert not Notification.objects.exists()

    def test_accepting_after_the_answer_date_shows_why_and_changes_nothing(
        self, client_for, manager_a, tot_event, sent
    ):
        TotEvent.objects.filter(pk=tot_event.pk).update(respond_by=today() - dt.timedelta(days=1))
        response = client_for(manager_a).post(u("invitation_accept", sent[1].pk), follow=True, **EN)
        assert messages_of(response) == [f"This invitation expired on {today() - dt.timedelta(days=1):%d-%m-%Y}."]
        assert Invitation.objects.get(pk=sent[1].pk).status == S.SENT
        assert not AuditEntry.objects.filter(action="invitation.accept").exists()

    def test_a_new_tot_cannot_close_its_answers_in_the_past(self, client_for, officer_communities):
        response = client_for(officer_communities).post(
            u("tot_create"),
            {
                "name": "ToT Garut",
                "date": (today() + dt.timedelta(days=20)).isoformat(),
                "respond_by": (today() - dt.timedelta(days=1)).isoformat(),
                "venue": "KOMTIK Garut",
                "capacity": 20,
            },
            **EN,
        )
        assert response.status_code == 200
        assert "The answer date cannot be in the past." in response.content.decode()
        assert not TotEvent.objects.exists()

    def test_moving_the_answer_date_lets_the_officer_send(self, officer_communities, tot_event, proposed):
        TotEvent.objects.filter(pk=tot_event.pk).update(respond_by=today() - dt.timedelta(days=1))
        services.tot_event_update(actor=officer_communities, event=tot_event, data={"respond_by": today()})
        assert services.invitations_send(actor=officer_communities, event=tot_event, invitation_ids=[proposed[0].pk])

    def test_an_invitation_to_a_cancelled_programme_cannot_be_answered(
        self, client_for, officer_users, manager_a, kpmi_a, admin_user
    ):
        from associations import services as association_services
        from tests import factories

        period = association_services.period_open_year(actor=admin_user, year=2025)
        program = services.collaboration_create(
            actor=officer_users,
            name="Kolaborasi",
            theme="Berita desa",
            date=today() + dt.timedelta(days=10),
            venue="Aula",
            period=period,
            threshold=2,
        )
        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Asep")
        invitation = Invitation.objects.create(program=program, member=member, kpmi=kpmi_a)
        services.invitations_send(actor=officer_users, event=program, invitation_ids=[invitation.pk])
        CollaborationProgram.objects.filter(pk=program.pk).update(status=CollaborationProgram.Status.CANCELLED)
        response = client_for(manager_a).post(u("invitation_accept", invitation.pk), follow=True, **EN)
        assert messages_of(response) == ["Kolaborasi was cancelled; the invitation can no longer be answered."]
        assert Invitation.objects.get(pk=invitation.pk).status == S.SENT


def test_an_answer_never_sends_the_browser_to_another_site(client_for, manager_a, sent):
    response = client_for(manager_a).post(u("invitation_accept", sent[0].pk), {"next": "https://evil.example/x"})
    assert response.status_code == 302 and response["Location"] == sent[0].get_absolute_url()
    assert Invitation.objects.get(pk=sent[0].pk).status == S.ACCEPTED


def test_an_answer_goes_back_to_the_page_it_came_from(client_for, officer_communities, tot_event, sent):
    response = client_for(officer_communities).post(
        u("invitation_withdraw", sent[0].pk), {"next": tot_event.get_absolute_url()}
    )
    assert response["Location"] == tot_event.get_absolute_url()
