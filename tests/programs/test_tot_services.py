"""The central ToT through its services: proposals after an evaluation, sending within capacity,
answers, attendance and the result that promotes a candidate to trainer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from associations.models import TargetResult
from kpmi_si.audit.models import AuditEntry
from kpmi_si.notifications.models import Notification
from members import services as member_services
from members.models import Level, LevelChange
from programs import services
from programs.models import Invitation, TotEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The assertions below read the services' messages in English, whatever the catalogue says."""
    with translation.override("en"):
        yield


S = Invitation.Status


def today() -> dt.date:
    return timezone.localdate()


def proposals(event: TotEvent) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for inv in event.invitations.select_related("kpmi", "member"):
        out.setdefault(inv.kpmi.name, set()).add(inv.member.full_name)
    return out


class TestProposals:
    def test_every_remaining_candidate_of_a_group_behind_is_proposed(
        self, tot_event, candidates_a, candidates_b, trainer_evaluation, trainer_a
    ):
        assert TargetResult.objects.filter(metric="new_trainers", status__in=["behind", "not_started"]).count() == 2
        written = services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
        assert written == 5
        assert proposals(tot_event) == {
            "KPMI Alfa": {"Calon A0", "Calon A1", "Calon A2"},
            "KPMI Beta": {"Calon B0", "Calon B1"},
        }
        assert set(tot_event.invitations.values_list("status", flat=True)) == {S.PROPOSED}
        assert AuditEntry.objects.filter(action="invitation.propose").count() == 5

    def test_running_twice_changes_nothing(self, tot_event, candidates_a, candidates_b, trainer_evaluation):
        services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
        before = list(Invitation.objects.order_by("pk").values())
        audits = AuditEntry.objects.count()
        assert services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk) == 0
        assert list(Invitation.objects.order_by("pk").values()) == before
        assert AuditEntry.objects.count() == audits

    def test_the_database_refuses_a_second_invitation_for_the_same_member_and_event(self, tot_event, candidates_a):
        Invitation.objects.create(tot_event=tot_event, member=candidates_a[0], kpmi=candidates_a[0].kpmi)
        with pytest.raises(IntegrityError), transaction.atomic():
            Invitation.objects.create(tot_event=tot_event, member=candidates_a[0], kpmi=candidates_a[0].kpmi)

    def test_a_group_on_target_gets_no_proposals(
        self, tot_event, candidates_a, kpmi_b, officer_communities, trainer_evaluation
    ):
        TargetResult.objects.filter(kpmi=kpmi_b).update(status=TargetResult.Status.ACHIEVED)
        services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
        assert set(proposals(tot_event)) == {"KPMI Alfa"}

    def test_candidates_waiting_for_another_tot_are_left_out(
        self, tot_event, candidates_a, officer_communities, trainer_evaluation
    ):
        earlier = services.tot_event_create(
            actor=officer_communities, name="ToT 0", date=today() + dt.timedelta(days=10), capacity=5
        )
        waiting = services.invitation_propose(actor=officer_communities, event=earlier, member=candidates_a[0])
        services.invitations_send(actor=officer_communities, event=earlier, invitation_ids=[waiting.pk])
        # The proposals go to the next ToT whose answers are open: `earlier`; close its answers to aim
        # at the other (A0 still waits for `earlier`).
        services.tot_event_update(
            actor=officer_communities, event=earlier, data={"respond_by": today() - dt.timedelta(days=1)}
        )
        services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
        assert proposals(tot_event)["KPMI Alfa"] == {"Calon A1", "Calon A2"}

    def test_no_upcoming_tot_means_no_proposals(self, candidates_a, trainer_evaluation):
        assert services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk) == 0
        assert not Invitation.objects.exists()

    def test_the_evaluation_task_queues_the_proposals(
        self, tot_event, candidates_a, admin_user, officer_communities, django_capture_on_commit_callbacks
    ):
        from associations import services as association_services
        from associations.models import Association

        period = association_services.period_open_year(actor=admin_user, year=2025)
        association_services.target_set(
            actor=officer_communities,
            period=period,
            association=Association.objects.get(code="communities"),
            metric="new_trainers",
            value=1,
        )
        with django_capture_on_commit_callbacks(execute=True):
            association_services.evaluation_request(actor=admin_user, period=period)
        assert proposals(tot_event)["KPMI Alfa"] == {"Calon A0", "Calon A1", "Calon A2"}


@pytest.fixture
def proposed(tot_event, candidates_a, candidates_b, trainer_evaluation) -> list[Invitation]:
    services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
    return list(tot_event.invitations.order_by("kpmi__name", "member__full_name"))


def send(officer, event, invitations) -> int:
    return services.invitations_send(actor=officer, event=event, invitation_ids=[i.pk for i in invitations])


class TestSending:
    def test_send_within_capacity(self, officer_communities, tot_event, proposed):
        assert send(officer_communities, tot_event, proposed) == 5
        assert set(tot_event.invitations.values_list("status", flat=True)) == {S.SENT}
        assert AuditEntry.objects.filter(action="invitation.send").count() == 5

    def test_over_capacity_is_refused_until_the_capacity_is_raised(self, officer_communities, tot_event, proposed):
        services.tot_event_update(actor=officer_communities, event=tot_event, data={"capacity": 4})
        with pytest.raises(ValidationError, match="exceed the capacity of 4"):
            send(officer_communities, tot_event, proposed)
        assert set(tot_event.invitations.values_list("status", flat=True)) == {S.PROPOSED}
        services.tot_event_update(actor=officer_communities, event=tot_event, data={"capacity": 5})
        assert send(officer_communities, tot_event, proposed) == 5

    def test_capacity_cannot_drop_below_the_seats_taken(self, officer_communities, tot_event, proposed):
        send(officer_communities, tot_event, proposed)
        with pytest.raises(ValidationError):
            services.tot_event_update(actor=officer_communities, event=tot_event, data={"capacity": 4})
        tot_event.refresh_from_db()
        assert tot_event.capacity == 10

    def test_only_the_communities_officer_or_admin_sends(self, officer_users, manager_a, tot_event, proposed):
        for user in (officer_users, manager_a):
            with pytest.raises(PermissionDenied):
                send(user, tot_event, proposed)

    def test_sending_notifies_the_member_side_in_their_language(
        self, officer_communities, tot_event, proposed, manager_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        manager_a.language = "en"
        manager_a.email = "manager@example.id"
        manager_a.save()
        with django_capture_on_commit_callbacks(execute=True):
            send(officer_communities, tot_event, proposed[:1])
        note = Notification.objects.get(recipient=manager_a)
        assert note.message.startswith("Calon A0 is invited to ToT Pusat 1")
        assert note.link == proposed[0].get_absolute_url()
        assert len(mailoutbox) == 1 and "is invited" in mailoutbox[0].body

    def test_sending_speaks_indonesian_to_an_indonesian_user(
        self, officer_communities, tot_event, proposed, manager_a, mailoutbox, django_capture_on_commit_callbacks
    ):
        manager_a.language = "id"
        manager_a.email = "manager@example.id"
        manager_a.save()
        # The officer works in English (this module's autouse override); the manager reads Indonesian.
        with django_capture_on_commit_callbacks(execute=True):
            send(officer_communities, tot_event, proposed[:1])
        note = Notification.objects.get(recipient=manager_a)
        assert note.message.startswith("Calon A0 diundang ke ToT Pusat 1")
        assert len(mailoutbox) == 1
        assert mailoutbox[0].subject == "Notifikasi SI KPMI"
        assert mailoutbox[0].body.startswith("Calon A0 diundang ke ToT Pusat 1")
        assert mailoutbox[0].body.endswith(proposed[0].get_absolute_url())


@pytest.fixture
def sent(officer_communities, tot_event, proposed) -> list[Invitation]:
    send(officer_communities, tot_event, proposed)
    return [Invitation.objects.get(pk=i.pk) for i in proposed]


class TestAnswers:
    def test_the_member_accepts(self, tot_event, sent, officer_communities):
        candidate = sent[0].member
        candidate.user = factories.UserFactory(username="calon")
        candidate.save()
        invitation = services.invitation_accept(actor=candidate.user, invitation=sent[0])
        assert invitation.status == S.ACCEPTED and invitation.answered_by == candidate.user
        entry = AuditEntry.objects.get(action="invitation.accept")
        assert entry.changes == {"status": ["sent", "accepted"]}
        assert Notification.objects.filter(recipient=officer_communities).exists()

    def test_the_manager_answers_for_their_member(self, sent, manager_a):
        assert services.invitation_decline(actor=manager_a, invitation=sent[0]).status == S.DECLINED

    def test_another_groups_manager_may_not(self, sent, manager_b):
        with pytest.raises(PermissionDenied):
            services.invitation_accept(actor=manager_b, invitation=sent[0])
        assert Invitation.objects.get(pk=sent[0].pk).status == S.SENT

    def test_an_expired_invitation_cannot_be_accepted(self, sent, manager_a, tot_event):
        late = tot_event.date
        with pytest.raises(ValidationError, match="expired"):
            services.invitation_accept(actor=manager_a, invitation=sent[0], today=late)
        assert Invitation.objects.get(pk=sent[0].pk).status == S.SENT

    def test_a_withdrawn_invitation_cannot_be_accepted(self, sent, manager_a, officer_communities):
        services.invitation_withdraw(actor=officer_communities, invitation=sent[0])
        with pytest.raises(ValidationError, match="withdrawn"):
            services.invitation_accept(actor=manager_a, invitation=sent[0])
        assert Invitation.objects.get(pk=sent[0].pk).status == S.WITHDRAWN

    def test_answering_twice_is_refused(self, sent, manager_a):
        services.invitation_accept(actor=manager_a, invitation=sent[0])
        with pytest.raises(ValidationError):
            services.invitation_decline(actor=manager_a, invitation=sent[0])

    def test_a_proposal_cannot_be_answered(self, proposed, manager_a):
        with pytest.raises(ValidationError):
            services.invitation_accept(actor=manager_a, invitation=proposed[0])


class TestAttendanceAndResult:
    @pytest.fixture
    def accepted(self, sent, manager_a) -> Invitation:
        return services.invitation_accept(actor=manager_a, invitation=sent[0])

    def test_attendance_before_the_event_is_refused(self, accepted, officer_communities, tot_event):
        with pytest.raises(ValidationError, match="from the day of the ToT"):
            services.invitation_record_attendance(
                actor=officer_communities, invitation=accepted, attended=True, today=tot_event.date - dt.timedelta(1)
            )
        assert Invitation.objects.get(pk=accepted.pk).status == S.ACCEPTED

    def test_a_member_promoted_by_hand_meanwhile_still_passes(self, accepted, officer_communities, tot_event):
        TotEvent.objects.filter(pk=tot_event.pk).update(date=today() - dt.timedelta(days=1))
        services.invitation_record_attendance(actor=officer_communities, invitation=accepted, attended=True)
        member_services.member_change_level(
            actor=officer_communities, member=accepted.member, to_level=Level.TRAINER, reason="Lulus ToT daerah"
        )
        services.invitation_record_result(actor=officer_communities, invitation=accepted, passed=True)
        assert Invitation.objects.get(pk=accepted.pk).status == S.PASSED
        # One promotion in the history, the one by hand.
        assert LevelChange.objects.filter(member=accepted.member, to_level=Level.TRAINER).count() == 1

    def test_passing_promotes_to_trainer_with_the_tot_as_evidence(self, accepted, officer_communities, tot_event):
        # The ToT happened yesterday.
        TotEvent.objects.filter(pk=tot_event.pk).update(date=today() - dt.timedelta(days=1))
        services.invitation_record_attendance(actor=officer_communities, invitation=accepted, attended=True)
        services.invitation_record_result(actor=officer_communities, invitation=accepted, passed=True)
        member = accepted.member
        member.refresh_from_db()
        assert member.level == Level.TRAINER
        change = LevelChange.objects.get(member=member, to_level=Level.TRAINER)
        assert change.from_level == Level.TRAINER_CANDIDATE
        assert change.effective_on == today() - dt.timedelta(days=1)
        assert "ToT Pusat 1" in change.reason
        # A path, not an address: the evidence must not point at the host it was recorded on.
        assert change.evidence == accepted.get_absolute_url()
        assert Invitation.objects.get(pk=accepted.pk).status == S.PASSED

    def test_the_member_side_is_told_the_result(self, accepted, sent, manager_a, officer_communities, tot_event):
        manager_a.language = "en"
        manager_a.save()
        other = services.invitation_accept(actor=manager_a, invitation=sent[1])
        TotEvent.objects.filter(pk=tot_event.pk).update(date=today())
        for invitation in (accepted, other):
            services.invitation_record_attendance(actor=officer_communities, invitation=invitation, attended=True)
        Notification.objects.all().delete()
        services.invitation_record_result(actor=officer_communities, invitation=accepted, passed=True)
        services.invitation_record_result(actor=officer_communities, invitation=other, passed=False)
        assert list(Notification.objects.filter(recipient=manager_a).order_by("pk").values_list("message", "link")) == [
            ("Calon A0 passed ToT Pusat 1 and is now a trainer.", accepted.get_absolute_url()),
            ("Calon A1 did not pass ToT Pusat 1.", other.get_absolute_url()),
        ]

    def test_a_result_needs_attendance_first(self, accepted, officer_communities):
        with pytest.raises(ValidationError):
            services.invitation_record_result(actor=officer_communities, invitation=accepted, passed=True)
        accepted.member.refresh_from_db()
        assert accepted.member.level == Level.TRAINER_CANDIDATE

    def test_absent_and_failed_leave_the_level(self, accepted, sent, manager_a, officer_communities, tot_event):
        other = services.invitation_accept(actor=manager_a, invitation=sent[1])
        TotEvent.objects.filter(pk=tot_event.pk).update(date=today())
        services.invitation_record_attendance(actor=officer_communities, invitation=accepted, attended=False)
        services.invitation_record_attendance(actor=officer_communities, invitation=other, attended=True)
        services.invitation_record_result(actor=officer_communities, invitation=other, passed=False)
        assert Invitation.objects.get(pk=accepted.pk).status == S.ABSENT
        assert Invitation.objects.get(pk=other.pk).status == S.FAILED
        assert not LevelChange.objects.filter(to_level=Level.TRAINER).exists()


def test_every_state_has_its_edges_declared():
    assert set(Invitation.TRANSITIONS) == set(S.values)
    for targets in Invitation.TRANSITIONS.values():
        assert set(targets) <= set(S.values)


def test_a_tot_cannot_be_scheduled_in_the_past(officer_communities):
    with pytest.raises(ValidationError):
        services.tot_event_create(actor=officer_communities, name="x", date=today() - dt.timedelta(1), capacity=3)
    assert not TotEvent.objects.exists()


def test_a_redelivered_evaluation_task_still_proposes_and_only_once(
    trainer_evaluation, tot_event, candidates_a, django_capture_on_commit_callbacks
):
    """A worker killed after the evaluation committed but before it queued the proposals leaves its
    task unacknowledged; the redelivered task finds the evaluation finished and queues them anyway."""
    from associations.services import evaluate_period_task

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert evaluate_period_task(trainer_evaluation.pk) == "succeeded"
        assert Invitation.objects.filter(tot_event=tot_event).count() == 3
