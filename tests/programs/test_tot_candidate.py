"""The officer adds a trainer candidate to a ToT by hand: who can be picked, the capacity rule (a
field-level refusal unless the capacity is raised in the same form), and who may do it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kpmi_si.audit.models import AuditEntry
from members.models import Level
from programs import services
from programs.models import Invitation, TotEvent
from tests import factories
from tests.forms import opened_now

pytestmark = pytest.mark.django_db

S = Invitation.Status


def u(name: str, *args) -> str:
    return reverse(f"interventions:{name}", args=args)


@pytest.fixture
def small_tot(officer_communities) -> TotEvent:
    return services.tot_event_create(
        actor=officer_communities,
        name="ToT Kecil",
        date=timezone.localdate() + dt.timedelta(days=20),
        capacity=2,
    )


@pytest.fixture
def dede(kpmi_a):
    return factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE, full_name="Dede Calon")


@pytest.fixture
def neng(kpmi_b):
    return factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER_CANDIDATE, full_name="Neng Calon")


def choices(response) -> set[str]:
    return {member.full_name for member in response.context["form"].fields["member"].queryset}


class TestTheAddPage:
    def test_the_tot_page_links_to_it_and_states_the_proposal_rule(self, client_for, officer_communities, small_tot):
        body = client_for(officer_communities).get(small_tot.get_absolute_url()).content.decode()
        assert u("tot_add_candidate", small_tot.pk) in body
        assert 'id="proposal-rule"' in body

    def test_only_candidates_free_for_this_tot_are_offered(
        self, client_for, officer_communities, small_tot, dede, neng, kpmi_a, manager_a
    ):
        factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER, full_name="Asep Pelatih")
        on_list = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE, full_name="Sudah Ada")
        services.invitation_propose(actor=officer_communities, event=small_tot, member=on_list)
        # Waiting for another upcoming ToT: left out.
        other = services.tot_event_create(
            actor=officer_communities, name="ToT Lain", date=timezone.localdate() + dt.timedelta(days=5), capacity=5
        )
        busy = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE, full_name="Sedang Diundang")
        invitation = services.invitation_propose(actor=officer_communities, event=other, member=busy)
        services.invitations_send(actor=officer_communities, event=other, invitation_ids=[invitation.pk])
        # Declined the other ToT: a candidate again (never twice for the same one).
        declined = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE, full_name="Pernah Menolak")
        invitation = services.invitation_propose(actor=officer_communities, event=other, member=declined)
        services.invitations_send(actor=officer_communities, event=other, invitation_ids=[invitation.pk])
        services.invitation_decline(actor=manager_a, invitation=invitation)

        response = client_for(officer_communities).get(u("tot_add_candidate", small_tot.pk))
        assert response.status_code == 200
        assert choices(response) == {"Dede Calon", "Neng Calon", "Pernah Menolak"}
        # Grouped by KPMI so a long list stays usable.
        assert "<optgroup" in response.content.decode()


class TestAdding:
    def test_the_officer_adds_a_candidate_who_then_shows_on_the_tot_page(
        self, client_for, officer_communities, small_tot, neng
    ):
        client = client_for(officer_communities)
        response = client.post(
            u("tot_add_candidate", small_tot.pk), opened_now({"member": neng.pk, "capacity": 2}, small_tot)
        )
        assert response["Location"] == small_tot.get_absolute_url()
        invitation = Invitation.objects.get(tot_event=small_tot, member=neng)
        assert invitation.status == S.PROPOSED and invitation.kpmi == neng.kpmi
        assert AuditEntry.objects.filter(action="invitation.propose", target_id=str(invitation.pk)).exists()
        page = client.get(small_tot.get_absolute_url()).content.decode()
        assert 'data-kpmi="KPMI Beta"' in page and "Neng Calon" in page

    def test_over_capacity_is_refused_on_the_field_until_the_capacity_is_raised(
        self, client_for, officer_communities, small_tot, dede, neng, kpmi_a
    ):
        # Two places: one invitation sent, one proposal waiting.
        first = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE)
        second = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE)
        sent = services.invitation_propose(actor=officer_communities, event=small_tot, member=first)
        services.invitations_send(actor=officer_communities, event=small_tot, invitation_ids=[sent.pk])
        services.invitation_propose(actor=officer_communities, event=small_tot, member=second)
        audits = AuditEntry.objects.count()

        client = client_for(officer_communities)
        response = client.post(
            u("tot_add_candidate", small_tot.pk), opened_now({"member": dede.pk, "capacity": 2}, small_tot)
        )
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["capacity"]
        assert not Invitation.objects.filter(member=dede).exists()
        assert TotEvent.objects.get(pk=small_tot.pk).capacity == 2
        assert AuditEntry.objects.count() == audits

        response = client.post(
            u("tot_add_candidate", small_tot.pk), opened_now({"member": dede.pk, "capacity": 3}, small_tot)
        )
        assert response.status_code == 302
        assert TotEvent.objects.get(pk=small_tot.pk).capacity == 3
        assert Invitation.objects.get(member=dede).status == S.PROPOSED
        assert list(AuditEntry.objects.order_by("-pk").values_list("action", flat=True)[:2]) == [
            "invitation.propose",
            "tot.update",
        ]

    def test_capacity_below_the_seats_taken_is_refused_and_nothing_changes(
        self, client_for, officer_communities, small_tot, dede, kpmi_a
    ):
        members = [factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE) for _ in range(2)]
        ids = [services.invitation_propose(actor=officer_communities, event=small_tot, member=m).pk for m in members]
        services.invitations_send(actor=officer_communities, event=small_tot, invitation_ids=ids)
        response = client_for(officer_communities).post(
            u("tot_add_candidate", small_tot.pk), opened_now({"member": dede.pk, "capacity": 1}, small_tot)
        )
        assert response.status_code == 200 and "capacity" in response.context["form"].errors
        assert TotEvent.objects.get(pk=small_tot.pk).capacity == 2
        assert not Invitation.objects.filter(member=dede).exists()

    @pytest.mark.parametrize("bad", [{"member": "", "capacity": 2}, {"member": "abc", "capacity": 2}, {"capacity": 0}])
    def test_bad_input_is_a_field_message(self, client_for, officer_communities, small_tot, dede, bad):
        response = client_for(officer_communities).post(u("tot_add_candidate", small_tot.pk), bad)
        assert response.status_code == 200 and response.context["form"].errors
        assert not Invitation.objects.exists()

    def test_a_trainer_or_someone_on_the_list_cannot_be_posted(
        self, client_for, officer_communities, small_tot, dede, kpmi_a
    ):
        trainer = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        client = client_for(officer_communities)
        response = client.post(
            u("tot_add_candidate", small_tot.pk), opened_now({"member": trainer.pk, "capacity": 5}, small_tot)
        )
        assert "member" in response.context["form"].errors
        client.post(u("tot_add_candidate", small_tot.pk), opened_now({"member": dede.pk, "capacity": 5}, small_tot))
        response = client.post(
            u("tot_add_candidate", small_tot.pk), opened_now({"member": dede.pk, "capacity": 5}, small_tot)
        )
        assert response.status_code == 200 and "member" in response.context["form"].errors
        assert Invitation.objects.filter(member=dede).count() == 1

    def test_the_service_says_why_on_the_field(self, officer_communities, small_tot, dede, kpmi_a):
        from django.core.exceptions import ValidationError
        from django.utils import translation

        trainer = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER, full_name="Asep")
        with translation.override("en"):
            with pytest.raises(ValidationError) as refused:
                services.invitation_propose(actor=officer_communities, event=small_tot, member=trainer)
            assert refused.value.message_dict == {"member": ["Asep is not a trainer candidate."]}
            TotEvent.objects.filter(pk=small_tot.pk).update(status=TotEvent.Status.CANCELLED)
            with pytest.raises(ValidationError, match="cancelled"):
                services.invitation_propose(actor=officer_communities, event=small_tot, member=dede)
        assert not Invitation.objects.exists()

    def test_a_past_tot_takes_no_more_candidates(self, officer_communities, small_tot, dede):
        from django.core.exceptions import ValidationError

        TotEvent.objects.filter(pk=small_tot.pk).update(date=timezone.localdate() - dt.timedelta(days=1))
        with pytest.raises(ValidationError):
            services.invitation_propose(actor=officer_communities, event=small_tot, member=dede)


class TestWhoMay:
    @pytest.mark.parametrize("who", ["officer_users", "officer_platform", "manager_a", "member_user_a", "outsider"])
    def test_other_roles_get_403_and_nothing_changes(self, request, client_for, who, small_tot, dede):
        client = client_for(request.getfixturevalue(who))
        assert client.get(u("tot_add_candidate", small_tot.pk)).status_code == 403
        response = client.post(
            u("tot_add_candidate", small_tot.pk), opened_now({"member": dede.pk, "capacity": 9}, small_tot)
        )
        assert response.status_code == 403
        assert not Invitation.objects.exists()
        assert TotEvent.objects.get(pk=small_tot.pk).capacity == 2

    def test_anonymous_is_sent_to_login(self, client_for, small_tot):
        assert client_for(None).get(u("tot_add_candidate", small_tot.pk)).status_code == 302

    def test_the_admin_may(self, client_for, admin_user, small_tot, dede):
        client_for(admin_user).post(
            u("tot_add_candidate", small_tot.pk), opened_now({"member": dede.pk, "capacity": 2}, small_tot)
        )
        assert Invitation.objects.filter(member=dede).exists()

    def test_wrong_method(self, client_for, officer_communities, small_tot):
        assert client_for(officer_communities).delete(u("tot_add_candidate", small_tot.pk)).status_code == 405

    def test_unknown_tot_is_404(self, client_for, officer_communities):
        assert client_for(officer_communities).get(u("tot_add_candidate", 9999)).status_code == 404
