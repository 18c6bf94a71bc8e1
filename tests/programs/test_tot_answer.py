"""A keeper answers a ToT's invitations for their group on one page (#14): one submit, all or
nothing, one notice per group; and a decline taken back before the answer date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kpmi_si.audit.models import AuditEntry
from kpmi_si.notifications.models import Notification
from programs import services
from programs.models import Invitation

pytestmark = pytest.mark.django_db

S = Invitation.Status


@pytest.fixture
def sent(officer_communities, tot_event, candidates_a, candidates_b, trainer_evaluation) -> dict[str, Invitation]:
    services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
    services.invitations_send(
        actor=officer_communities,
        event=tot_event,
        invitation_ids=list(tot_event.invitations.values_list("pk", flat=True)),
    )
    return {inv.member.full_name: inv for inv in tot_event.invitations.select_related("member")}


def answer_url(event) -> str:
    return reverse("interventions:tot_answer", args=[event.pk])


def field(inv: Invitation) -> str:
    return f"answer_{inv.pk}"


class TestSending:
    def test_the_group_hears_once_per_event_not_once_per_candidate(self, manager_a, manager_b, sent, tot_event):
        notes = Notification.objects.filter(recipient=manager_a)
        assert notes.count() == 1
        assert "Calon A0" in notes.get().message and "Calon A2" in notes.get().message
        assert notes.get().link == answer_url(tot_event)
        assert Notification.objects.filter(recipient=manager_b).count() == 1


class TestAnswerPage:
    def test_the_keeper_sees_only_their_groups_rows(self, client_for, manager_a, sent, tot_event):
        response = client_for(manager_a).get(answer_url(tot_event))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Calon A0" in body and "Calon A1" in body and "Calon B0" not in body
        assert f'name="{field(sent["Calon A0"])}"' in body

    def test_one_submit_answers_every_row_and_tells_the_officers_once(
        self, client_for, manager_a, officer_communities, sent, tot_event
    ):
        before = Notification.objects.filter(recipient=officer_communities).count()
        response = client_for(manager_a).post(
            answer_url(tot_event),
            {field(sent["Calon A0"]): "accept", field(sent["Calon A1"]): "decline", field(sent["Calon A2"]): ""},
        )
        assert response.status_code == 302 and response["Location"] == answer_url(tot_event)
        statuses = {name: Invitation.objects.get(pk=inv.pk).status for name, inv in sent.items()}
        assert statuses == {
            "Calon A0": S.ACCEPTED,
            "Calon A1": S.DECLINED,
            "Calon A2": S.SENT,
            "Calon B0": S.SENT,
            "Calon B1": S.SENT,
        }
        assert Invitation.objects.get(pk=sent["Calon A0"].pk).answered_by == manager_a
        assert AuditEntry.objects.filter(action__in=["invitation.accept", "invitation.decline"]).count() == 2
        told = Notification.objects.filter(recipient=officer_communities).order_by("pk")[before:]
        assert len(told) == 1 and "1 diterima, 1 ditolak" in told[0].message

    def test_a_row_withdrawn_meanwhile_is_no_longer_asked(
        self, client_for, manager_a, officer_communities, sent, tot_event
    ):
        services.invitation_withdraw(actor=officer_communities, invitation=sent["Calon A1"])
        response = client_for(manager_a).post(
            answer_url(tot_event), {field(sent["Calon A0"]): "accept", field(sent["Calon A1"]): "accept"}
        )
        # The withdrawn row is no longer asked: its answer is ignored by the form, the rest is saved.
        assert response.status_code == 302
        assert Invitation.objects.get(pk=sent["Calon A1"].pk).status == S.WITHDRAWN

    def test_a_row_answered_meanwhile_refuses_the_whole_submit(
        self, client_for, manager_a, supervisor_a, sent, tot_event
    ):
        client = client_for(manager_a)
        client.get(answer_url(tot_event))
        # The supervisor answers one row in between; the manager's page still offers it.
        form_rows = [sent["Calon A0"], sent["Calon A1"]]
        services.invitation_decline(actor=supervisor_a, invitation=sent["Calon A1"])
        with pytest.raises(ValidationError) as exc_info:
            services.invitations_answer(
                actor=manager_a, event=tot_event, answers={form_rows[0].pk: "accept", form_rows[1].pk: "accept"}
            )
        assert field(sent["Calon A1"]) in exc_info.value.message_dict
        assert Invitation.objects.get(pk=sent["Calon A0"].pk).status == S.SENT

    def test_another_groups_invitation_is_a_field_error_and_nothing_is_saved(self, manager_a, sent, tot_event):
        with pytest.raises(ValidationError) as exc_info:
            services.invitations_answer(
                actor=manager_a,
                event=tot_event,
                answers={sent["Calon A0"].pk: "accept", sent["Calon B0"].pk: "decline"},
            )
        assert list(exc_info.value.message_dict) == [field(sent["Calon B0"])]
        assert set(Invitation.objects.filter(tot_event=tot_event).values_list("status", flat=True)) == {S.SENT}

    def test_a_tampered_answer_is_a_field_error(self, client_for, manager_a, sent, tot_event):
        response = client_for(manager_a).post(answer_url(tot_event), {field(sent["Calon A0"]): "maybe"})
        assert response.status_code == 200
        assert response.context["form"].errors[field(sent["Calon A0"])]
        assert Invitation.objects.get(pk=sent["Calon A0"].pk).status == S.SENT

    def test_nothing_chosen_says_so(self, client_for, manager_a, sent, tot_event):
        response = client_for(manager_a).post(answer_url(tot_event), {})
        assert response.status_code == 200 and response.context["form"].non_field_errors()

    def test_past_the_answer_date_every_row_is_refused(self, manager_a, sent, tot_event):
        late = tot_event.answer_deadline + dt.timedelta(days=1)
        with pytest.raises(ValidationError):
            services.invitations_answer(
                actor=manager_a, event=tot_event, answers={sent["Calon A0"].pk: "accept"}, today=late
            )

    @pytest.mark.parametrize("role", ["member_user_a", "officer_communities", "outsider"])
    def test_who_keeps_no_group_is_refused(self, request, client_for, role, sent, tot_event):
        user = request.getfixturevalue(role)
        assert client_for(user).get(answer_url(tot_event)).status_code == 403

    def test_a_missing_tot_is_404_and_get_only_or_post(self, client_for, manager_a, sent, tot_event):
        client = client_for(manager_a)
        assert client.get(reverse("interventions:tot_answer", args=[tot_event.pk + 999])).status_code == 404
        assert client.put(answer_url(tot_event)).status_code == 405

    def test_the_other_keeper_does_not_see_a_rows(self, client_for, manager_b, sent, tot_event):
        body = client_for(manager_b).get(answer_url(tot_event)).content.decode()
        assert "Calon B0" in body and "Calon A0" not in body


class TestUndoDecline:
    def test_a_decline_is_taken_back_before_the_answer_date(self, client_for, manager_a, sent):
        inv = sent["Calon A0"]
        services.invitation_decline(actor=manager_a, invitation=inv)
        client = client_for(manager_a)
        assert 'id="undo-decline"' in client.get(inv.get_absolute_url()).content.decode()
        response = client.post(reverse("interventions:invitation_undo_decline", args=[inv.pk]))
        assert response.status_code == 302
        inv.refresh_from_db()
        assert inv.status == S.SENT and inv.answered_by is None
        assert AuditEntry.objects.get(action="invitation.undo_decline").changes == {"status": ["declined", "sent"]}

    def test_not_after_the_answer_date(self, manager_a, sent):
        inv = sent["Calon A0"]
        services.invitation_decline(actor=manager_a, invitation=inv)
        with pytest.raises(ValidationError):
            services.invitation_undo_decline(
                actor=manager_a, invitation=inv, today=inv.tot_event.answer_deadline + dt.timedelta(days=1)
            )

    def test_not_when_the_seat_went_to_someone_else(self, manager_a, sent, tot_event):
        inv = sent["Calon A0"]
        services.invitation_decline(actor=manager_a, invitation=inv)
        tot_event.capacity = Invitation.objects.filter(tot_event=tot_event, status__in=Invitation.HOLDS_A_SEAT).count()
        tot_event.save()
        with pytest.raises(ValidationError):
            services.invitation_undo_decline(actor=manager_a, invitation=inv)
        assert Invitation.objects.get(pk=inv.pk).status == S.DECLINED

    def test_another_groups_keeper_is_refused_from_the_url(self, client_for, manager_a, manager_b, sent):
        inv = sent["Calon A0"]
        services.invitation_decline(actor=manager_a, invitation=inv)
        url = reverse("interventions:invitation_undo_decline", args=[inv.pk])
        assert client_for(manager_b).post(url).status_code == 403
        assert client_for(manager_a).get(url).status_code == 405
        assert Invitation.objects.get(pk=inv.pk).status == S.DECLINED


class TestTriagePage:
    """The officer's list of a ToT's proposals (#14): none chosen to begin with, grouped by KPMI in
    folding sections; the count is checked on the server whatever the page showed."""

    def test_nothing_is_ticked_and_groups_fold(
        self, client_for, officer_communities, tot_event, candidates_a, candidates_b, trainer_evaluation
    ):
        services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
        body = client_for(officer_communities).get(tot_event.get_absolute_url()).content.decode()
        assert body.count('name="invitations"') == 5 and " checked" not in body
        assert body.count("<details") == 2 and 'id="seats-left"' in body and "js/triage.js" in body

    def test_sending_more_than_the_seats_left_is_refused_on_the_server(
        self, client_for, officer_communities, tot_event, candidates_a, candidates_b, trainer_evaluation
    ):
        services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
        type(tot_event).objects.filter(pk=tot_event.pk).update(capacity=2)
        ids = list(tot_event.invitations.values_list("pk", flat=True))
        response = client_for(officer_communities).post(
            reverse("interventions:tot_send", args=[tot_event.pk]), {"invitations": ids}, follow=True
        )
        assert "kapasitas" in response.content.decode()
        assert set(tot_event.invitations.values_list("status", flat=True)) == {S.PROPOSED}
