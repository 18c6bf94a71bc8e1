"""Volunteer projects: the officer cancels one (everyone signed up is told), and a manager takes
back a sign-up before the team is confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from kpmi_si.audit.models import AuditEntry
from kpmi_si.notifications.models import Notification
from members.models import Level
from programs import services
from programs.models import ProjectSignup, VolunteerProject
from tests import factories

pytestmark = pytest.mark.django_db

P = VolunteerProject.Status
SU = ProjectSignup.Status


def u(name: str, *args) -> str:
    return reverse(f"interventions:{name}", args=args)


@pytest.fixture
def project(officer_platform) -> VolunteerProject:
    today = timezone.localdate()
    return services.project_publish(
        actor=officer_platform,
        data={
            "title": "Situs desa Cibatu",
            "deployment_kind": "website",
            "site_type": "village_office",
            "site_name": "Kantor Desa Cibatu",
            "kecamatan": factories.kecamatan("Cibatu"),
            "desa": None,
            "needs": "Hosting dan pelatihan admin",
            "start_date": today,
            "end_date": today + dt.timedelta(days=5),
            "team_size": 2,
        },
    )


@pytest.fixture
def signups(project, manager_a, manager_b) -> dict[str, ProjectSignup]:
    """Both cast managers signed themselves up."""
    return {
        "a": services.project_sign_up(actor=manager_a, project=project, member=manager_a.member),
        "b": services.project_sign_up(actor=manager_b, project=project, member=manager_b.member),
    }


def status_of(signup: ProjectSignup) -> str:
    return ProjectSignup.objects.get(pk=signup.pk).status


class TestCancel:
    def test_the_officer_cancels_from_the_project_page_and_the_managers_are_told(
        self, client_for, officer_platform, project, signups, manager_a, manager_b
    ):
        client = client_for(officer_platform)
        page = client.get(project.get_absolute_url()).content.decode()
        assert u("project_cancel", project.pk) in page
        confirm = client.get(u("project_cancel", project.pk))
        assert confirm.status_code == 200 and "Pengelola KPMI Alfa" in confirm.content.decode()
        Notification.objects.all().delete()
        response = client.post(u("project_cancel", project.pk), {"reason": "Sekolah direnovasi."})
        assert response["Location"] == project.get_absolute_url()
        assert VolunteerProject.objects.get(pk=project.pk).status == P.CANCELLED
        entry = AuditEntry.objects.get(action="project.cancel")
        assert entry.changes == {"status": [P.OPEN, P.CANCELLED]} and entry.note == "Sekolah direnovasi."
        for keeper in (manager_a, manager_b):
            note = Notification.objects.get(recipient=keeper)
            assert "Situs desa Cibatu" in note.message and "Sekolah direnovasi." in note.message
            assert note.link == project.get_absolute_url()
        # No more sign-ups, no cancel button, nothing to cancel twice.
        page = client.get(project.get_absolute_url()).content.decode()
        assert 'id="cancel-project"' not in page
        assert client_for(manager_a).get(project.get_absolute_url()).context["candidates"] == []

    def test_a_confirmed_team_is_told_too(self, officer_platform, project, signups, manager_a):
        services.project_confirm_team(actor=officer_platform, project=project, signup_ids=[signups["a"].pk])
        Notification.objects.all().delete()
        services.project_cancel(actor=officer_platform, project=project)
        # The team member's keeper is told; the manager not selected has nothing to lose.
        assert Notification.objects.filter(recipient=manager_a).count() == 1
        assert Notification.objects.count() == 1

    def test_a_completed_project_cannot_be_cancelled(self, client_for, officer_platform, project, signups):
        services.project_confirm_team(actor=officer_platform, project=project, signup_ids=[signups["a"].pk])
        services.project_complete(actor=officer_platform, project=project, date=timezone.localdate(), beneficiaries=9)
        with translation.override("en"), pytest.raises(ValidationError, match="cannot become"):
            services.project_cancel(actor=officer_platform, project=project)
        response = client_for(officer_platform).post(u("project_cancel", project.pk), {}, follow=True)
        assert response.status_code == 200 and b"alert" in response.content
        assert VolunteerProject.objects.get(pk=project.pk).status == P.COMPLETED

    def test_a_too_long_reason_is_a_field_message(self, client_for, officer_platform, project):
        response = client_for(officer_platform).post(u("project_cancel", project.pk), {"reason": "x" * 501})
        assert response.status_code == 200 and "reason" in response.context["form"].errors
        assert VolunteerProject.objects.get(pk=project.pk).status == P.OPEN
        with pytest.raises(ValidationError) as refused:
            services.project_cancel(actor=officer_platform, project=project, reason="x" * 501)
        assert "reason" in refused.value.message_dict

    @pytest.mark.parametrize("who", ["officer_users", "officer_communities", "manager_a", "outsider"])
    def test_wrong_role_gets_403_and_nothing_changes(self, request, client_for, who, project, signups):
        user = request.getfixturevalue(who)
        client = client_for(user)
        assert client.get(u("project_cancel", project.pk)).status_code == 403
        assert client.post(u("project_cancel", project.pk), {}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.project_cancel(actor=user, project=project)
        assert VolunteerProject.objects.get(pk=project.pk).status == P.OPEN

    def test_wrong_method(self, client_for, officer_platform, project):
        assert client_for(officer_platform).delete(u("project_cancel", project.pk)).status_code == 405


class TestWithdraw:
    def test_a_manager_withdraws_their_own_sign_up_and_the_place_is_free_again(
        self, client_for, officer_platform, project, signups, manager_a, kpmi_a
    ):
        client = client_for(manager_a)
        page = client.get(project.get_absolute_url()).content.decode()
        assert u("project_signup_withdraw", project.pk, signups["a"].pk) in page
        # Only their own sign-up has the button.
        assert u("project_signup_withdraw", project.pk, signups["b"].pk) not in page
        response = client.post(u("project_signup_withdraw", project.pk, signups["a"].pk))
        assert response["Location"] == project.get_absolute_url()
        assert status_of(signups["a"]) == SU.WITHDRAWN
        assert AuditEntry.objects.get(action="project.signup_withdraw").changes == {
            "status": [SU.SIGNED_UP, SU.WITHDRAWN]
        }
        assert Notification.objects.filter(recipient=officer_platform, message__contains="Situs desa Cibatu").exists()
        # The project needs two: the freed place is taken by someone else...
        other = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER)
        services.project_sign_up(actor=manager_a, project=project, member=other)
        # ...and the officer's team choice no longer offers the withdrawn one.
        page = client_for(officer_platform).get(project.get_absolute_url()).content.decode()
        assert f'value="{signups["a"].pk}"' not in page

    def test_who_withdrew_may_sign_up_again_on_the_same_row(self, client_for, project, signups, manager_a):
        client = client_for(manager_a)
        client.post(u("project_signup_withdraw", project.pk, signups["a"].pk))
        assert manager_a.member in client.get(project.get_absolute_url()).context["candidates"]
        client.post(u("project_sign_up", project.pk), {"member": manager_a.member.pk})
        assert status_of(signups["a"]) == SU.SIGNED_UP
        assert ProjectSignup.objects.filter(project=project, member=manager_a.member).count() == 1
        assert [
            e.changes["status"]
            for e in AuditEntry.objects.filter(
                target_id=str(signups["a"].pk), action__in=["project.sign_up", "project.signup_withdraw"]
            ).order_by("pk")
        ] == [
            [None, SU.SIGNED_UP],
            [SU.SIGNED_UP, SU.WITHDRAWN],
            [SU.WITHDRAWN, SU.SIGNED_UP],
        ]

    def test_a_member_with_a_login_withdraws_themselves(self, client_for, project, kpmi_b, manager_b):
        user = factories.UserFactory(username="ujang")
        ujang = factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, user=user, full_name="Ujang")
        signup = services.project_sign_up(actor=manager_b, project=project, member=ujang)
        client_for(user).post(u("project_signup_withdraw", project.pk, signup.pk))
        assert status_of(signup) == SU.WITHDRAWN

    def test_after_the_team_is_confirmed_it_is_refused_with_a_message(
        self, client_for, officer_platform, project, signups, manager_a
    ):
        services.project_confirm_team(actor=officer_platform, project=project, signup_ids=[signups["a"].pk])
        page = client_for(manager_a).get(project.get_absolute_url()).content.decode()
        assert u("project_signup_withdraw", project.pk, signups["a"].pk) not in page
        response = client_for(manager_a).post(u("project_signup_withdraw", project.pk, signups["a"].pk), follow=True)
        assert response.status_code == 200 and b"alert" in response.content
        assert status_of(signups["a"]) == SU.CONFIRMED
        with translation.override("en"), pytest.raises(ValidationError, match="can no longer be withdrawn"):
            services.project_signup_withdraw(actor=manager_a, signup=signups["a"])

    def test_withdrawing_twice_is_refused(self, manager_a, signups):
        services.project_signup_withdraw(actor=manager_a, signup=signups["a"])
        with translation.override("en"), pytest.raises(ValidationError, match="Withdrawn"):
            services.project_signup_withdraw(actor=manager_a, signup=signups["a"])

    def test_another_kpmis_manager_gets_403_and_nothing_changes(self, client_for, manager_b, project, signups):
        assert client_for(manager_b).post(u("project_signup_withdraw", project.pk, signups["a"].pk)).status_code == 403
        assert status_of(signups["a"]) == SU.SIGNED_UP
        with pytest.raises(PermissionDenied):
            services.project_signup_withdraw(actor=manager_b, signup=signups["a"])

    @pytest.mark.parametrize("who", ["officer_users", "outsider", "member_user_a"])
    def test_others_get_403(self, request, client_for, who, project, signups):
        response = client_for(request.getfixturevalue(who)).post(
            u("project_signup_withdraw", project.pk, signups["a"].pk)
        )
        assert response.status_code == 403
        assert status_of(signups["a"]) == SU.SIGNED_UP

    def test_a_sign_up_of_another_project_is_404(self, client_for, officer_platform, manager_a, project, signups):
        other = services.project_publish(
            actor=officer_platform,
            data={
                "title": "Lain",
                "deployment_kind": "lab",
                "site_type": "school",
                "site_name": "SMP",
                "kecamatan": factories.kecamatan("Cibatu"),
                "desa": None,
                "needs": "PC",
                "start_date": project.start_date,
                "end_date": project.end_date,
                "team_size": 1,
            },
        )
        assert client_for(manager_a).post(u("project_signup_withdraw", other.pk, signups["a"].pk)).status_code == 404
        assert status_of(signups["a"]) == SU.SIGNED_UP

    def test_wrong_method(self, client_for, manager_a, project, signups):
        assert client_for(manager_a).get(u("project_signup_withdraw", project.pk, signups["a"].pk)).status_code == 405
