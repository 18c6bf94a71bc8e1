"""Volunteer projects: an officer of the Platform association publishes, managers of two KPMI sign
up, the officer confirms the team and completes the project: one deployment credited to all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from kpmi_si.audit.models import AuditEntry
from kpmi_si.notifications.models import Notification
from members.models import Level
from programs import services
from programs.models import (
    Activity,
    ActivityCredit,
    ActivityKpmi,
    Kind,
    ProjectSignup,
    Status,
    VolunteerProject,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The assertions below read the services' messages in English, whatever the catalogue says."""
    with translation.override("en"):
        yield


P = VolunteerProject.Status


def u(name: str, *args) -> str:
    return reverse(f"interventions:{name}", args=args)


@pytest.fixture
def project(officer_platform, kpmi_a) -> VolunteerProject:
    today = timezone.localdate()
    return services.project_publish(
        actor=officer_platform,
        data={
            "title": "Jaringan dan situs SDN 1 Cibatu",
            "deployment_kind": "network",
            "site_type": "school",
            "site_name": "SDN 1 Cibatu",
            "kecamatan": factories.kecamatan("Cibatu"),
            "desa": None,
            "needs": "Kabel, router, hosting",
            "start_date": today,
            "end_date": today + dt.timedelta(days=7),
            "team_size": 2,
        },
    )


@pytest.fixture
def manager_member_b(manager_b):
    return manager_b.member


@pytest.fixture
def manager_member_a(manager_a):
    return manager_a.member


class TestServices:
    def test_two_kpmi_team_and_a_shared_deployment(
        self, project, officer_platform, manager_a, manager_b, manager_member_a, manager_member_b
    ):
        a = services.project_sign_up(actor=manager_a, project=project, member=manager_member_a)
        b = services.project_sign_up(actor=manager_b, project=project, member=manager_member_b)
        services.project_confirm_team(actor=officer_platform, project=project, signup_ids=[a.pk, b.pk])
        activity = services.project_complete(
            actor=officer_platform, project=project, date=timezone.localdate(), beneficiaries=120
        )
        project.refresh_from_db()
        assert project.status == P.COMPLETED and project.activity == activity
        assert activity.kind == Kind.DEPLOYMENT and activity.status == Status.APPROVED
        assert activity.deployment.site_name == "SDN 1 Cibatu" and activity.deployment.beneficiaries == 120
        assert set(ActivityCredit.objects.filter(activity=activity).values_list("member_id", flat=True)) == {
            manager_member_a.pk,
            manager_member_b.pk,
        }
        assert set(ActivityKpmi.objects.filter(activity=activity).values_list("kpmi__name", flat=True)) == {
            "KPMI Alfa",
            "KPMI Beta",
        }
        assert [e.action for e in AuditEntry.objects.filter(action__startswith="project.").order_by("pk")] == [
            "project.publish",
            "project.sign_up",
            "project.sign_up",
            "project.confirm",
            "project.signup_decide",
            "project.signup_decide",
            "project.complete",
        ]

    def test_the_team_and_the_others_are_told_and_the_deployment_is_announced(
        self, project, officer_platform, manager_a, manager_b, manager_member_a, manager_member_b
    ):
        for user in (manager_a, manager_b):
            user.language = "en"  # each is told in their own language; English reads as the msgids
            user.save()
        a = services.project_sign_up(actor=manager_a, project=project, member=manager_member_a)
        services.project_sign_up(actor=manager_b, project=project, member=manager_member_b)
        Notification.objects.all().delete()
        services.project_confirm_team(actor=officer_platform, project=project, signup_ids=[a.pk])
        title = "Jaringan dan situs SDN 1 Cibatu"
        assert list(Notification.objects.filter(recipient=manager_a).values_list("message", flat=True)) == [
            f"{manager_member_a.full_name} is in the team of {title}."
        ]
        assert list(Notification.objects.filter(recipient=manager_b).values_list("message", flat=True)) == [
            f"{manager_member_b.full_name} was not selected for {title}."
        ]
        Notification.objects.all().delete()
        activity = services.project_complete(
            actor=officer_platform, project=project, date=timezone.localdate(), beneficiaries=10
        )
        assert list(Notification.objects.values_list("recipient", "message", "link")) == [
            (
                manager_a.pk,
                f"{title} is completed; the deployment is credited to {manager_member_a.full_name}.",
                activity.get_absolute_url(),
            )
        ]

    def test_signing_up_twice_is_refused(self, project, manager_a, manager_member_a):
        services.project_sign_up(actor=manager_a, project=project, member=manager_member_a)
        with pytest.raises(ValidationError, match="already signed up"):
            services.project_sign_up(actor=manager_a, project=project, member=manager_member_a)
        assert ProjectSignup.objects.count() == 1

    def test_the_database_refuses_a_second_signup(self, project, manager_member_a):
        ProjectSignup.objects.create(project=project, member=manager_member_a, kpmi=manager_member_a.kpmi)
        with pytest.raises(IntegrityError), transaction.atomic():
            ProjectSignup.objects.create(project=project, member=manager_member_a, kpmi=manager_member_a.kpmi)

    def test_a_full_project_is_refused(self, project, manager_a, kpmi_a):
        managers = [factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER) for _ in range(3)]
        for m in managers[:2]:
            services.project_sign_up(actor=manager_a, project=project, member=m)
        with pytest.raises(ValidationError, match="full"):
            services.project_sign_up(actor=manager_a, project=project, member=managers[2])
        assert ProjectSignup.objects.count() == 2

    def test_only_managers_sign_up(self, project, manager_a, kpmi_a):
        candidate = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        with pytest.raises(ValidationError, match="Only managers"):
            services.project_sign_up(actor=manager_a, project=project, member=candidate)

    def test_another_kpmis_manager_cannot_sign_up_my_member(self, project, manager_b, manager_member_a):
        with pytest.raises(PermissionDenied):
            services.project_sign_up(actor=manager_b, project=project, member=manager_member_a)

    def test_completing_before_the_team_is_confirmed_is_refused(self, project, officer_platform):
        with pytest.raises(ValidationError):
            services.project_complete(
                actor=officer_platform, project=project, date=timezone.localdate(), beneficiaries=1
            )
        assert VolunteerProject.objects.get(pk=project.pk).status == P.OPEN

    def test_only_the_platform_officer_runs_projects(self, project, officer_users, officer_communities):
        for user in (officer_users, officer_communities):
            with pytest.raises(PermissionDenied):
                services.project_confirm_team(actor=user, project=project, signup_ids=[])

    def test_not_chosen_sign_ups_are_not_selected(self, project, officer_platform, manager_a, kpmi_a):
        managers = [factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER) for _ in range(2)]
        signups = [services.project_sign_up(actor=manager_a, project=project, member=m) for m in managers]
        services.project_confirm_team(actor=officer_platform, project=project, signup_ids=[signups[0].pk])
        assert ProjectSignup.objects.get(pk=signups[1].pk).status == ProjectSignup.Status.NOT_SELECTED


class TestViews:
    def test_near_projects_first_for_a_manager(self, client_for, officer_platform, manager_b, project, kpmi_a):
        far = services.project_publish(
            actor=officer_platform,
            data={
                "title": "Situs desa jauh",
                "deployment_kind": "website",
                "site_type": "village_office",
                "site_name": "Kantor desa",
                "kecamatan": factories.kecamatan("Tarogong Kidul"),
                "desa": None,
                "needs": "Hosting",
                "start_date": project.start_date - dt.timedelta(days=1),
                "end_date": project.end_date,
                "team_size": 1,
            },
        )
        body = client_for(manager_b).get(u("project_list")).content.decode()
        # KPMI Beta is in Cibatu: the Cibatu project comes first although it starts later.
        assert body.index(project.title) < body.index(far.title)

    def test_sign_up_confirm_complete_from_the_url(
        self, client_for, officer_platform, manager_a, manager_b, manager_member_a, manager_member_b, project
    ):
        assert (
            client_for(manager_a).post(u("project_sign_up", project.pk), {"member": manager_member_a.pk}).status_code
            == 302
        )
        client_for(manager_b).post(u("project_sign_up", project.pk), {"member": manager_member_b.pk})
        officer = client_for(officer_platform)
        officer.post(u("project_confirm", project.pk), {"signups": list(project.signups.values_list("pk", flat=True))})
        response = officer.post(
            u("project_complete", project.pk),
            {"date": timezone.localdate().isoformat(), "beneficiaries": 30, "confirm": "yes"},
        )
        project.refresh_from_db()
        assert project.status == P.COMPLETED
        assert response["Location"] == project.activity.get_absolute_url()

    def test_completing_asks_first_with_what_will_happen(
        self, client_for, officer_platform, manager_a, manager_member_a, project
    ):
        signup = services.project_sign_up(actor=manager_a, project=project, member=manager_member_a)
        services.project_confirm_team(actor=officer_platform, project=project, signup_ids=[signup.pk])
        officer = client_for(officer_platform)
        data = {"date": timezone.localdate().isoformat(), "beneficiaries": 30, "summary": "Dua lab\nsiap"}
        page = officer.post(u("project_complete", project.pk), data, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200
        body = page.content.decode()
        assert "One ICT deployment (30 beneficiaries) is logged and credited to the 1 team members" in body
        assert manager_member_a.full_name in body
        # Asked, not refused: no error, and the page's form carries the confirmation.
        assert 'id="confirm-errors"' not in body and 'name="confirm" value="yes"' in body
        # The confirming form carries the values typed on the project's page.
        assert page.context["keep"] == {"date": data["date"], "beneficiaries": "30", "summary": "Dua lab\nsiap"}
        project.refresh_from_db()
        assert project.status == P.TEAM_CONFIRMED and project.activity is None
        assert not ActivityCredit.objects.exists()
        done = officer.post(u("project_complete", project.pk), {**data, "confirm": "yes"})
        project.refresh_from_db()
        assert project.status == P.COMPLETED and done["Location"] == project.activity.get_absolute_url()
        again = officer.post(
            u("project_complete", project.pk), {**data, "confirm": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert [str(m) for m in again.context["messages"]][-1] == "This project is Completed; it cannot be completed."
        assert Activity.objects.count() == 1

    def test_completing_before_the_start_shows_why_and_logs_nothing(
        self, client_for, officer_platform, manager_a, manager_member_a, project
    ):
        signup = services.project_sign_up(actor=manager_a, project=project, member=manager_member_a)
        services.project_confirm_team(actor=officer_platform, project=project, signup_ids=[signup.pk])
        day_before = project.start_date - dt.timedelta(days=1)
        response = client_for(officer_platform).post(
            u("project_complete", project.pk),
            {"date": day_before.isoformat(), "beneficiaries": 30, "confirm": "yes"},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert [str(m) for m in response.context["messages"]] == [
            f"The project started on {project.start_date:%d-%m-%Y}; it cannot be completed before that."
        ]
        project.refresh_from_db()
        assert project.status == P.TEAM_CONFIRMED and project.activity is None
        assert not ActivityCredit.objects.exists()

    def test_signing_up_to_a_full_project_from_the_url_shows_why(
        self, client_for, officer_platform, manager_a, manager_b, kpmi_a, manager_member_b, project
    ):
        for manager in [factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER) for _ in range(2)]:
            services.project_sign_up(actor=manager_a, project=project, member=manager)
        response = client_for(manager_b).post(
            u("project_sign_up", project.pk), {"member": manager_member_b.pk}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert [str(m) for m in response.context["messages"]] == [
            "This project is full: it needs 2 managers and has them."
        ]
        assert not ProjectSignup.objects.filter(member=manager_member_b).exists()

    def test_signing_up_twice_from_the_url_shows_why(self, client_for, manager_a, manager_member_a, project):
        client = client_for(manager_a)
        client.post(u("project_sign_up", project.pk), {"member": manager_member_a.pk})
        response = client.post(u("project_sign_up", project.pk), {"member": manager_member_a.pk}, follow=True)
        assert b"alert" in response.content
        assert ProjectSignup.objects.count() == 1

    def test_another_kpmi_member_is_403(self, client_for, manager_b, manager_member_a, project):
        response = client_for(manager_b).post(u("project_sign_up", project.pk), {"member": manager_member_a.pk})
        assert response.status_code == 403
        assert not ProjectSignup.objects.exists()

    @pytest.mark.parametrize("raw", ["²", "9" * 5000])
    def test_ids_that_are_no_ids_are_refused_not_a_server_error(
        self, client_for, manager_a, officer_platform, project, raw
    ):
        """ "²" passes str.isdigit() but not int(); so does a number of thousands of digits."""
        sign_up = client_for(manager_a, raise_request_exception=False).post(
            u("project_sign_up", project.pk), {"member": raw}
        )
        assert sign_up.status_code == 400
        confirm = client_for(officer_platform, raise_request_exception=False).post(
            u("project_confirm", project.pk), {"signups": [raw]}
        )
        assert confirm.status_code == 302
        assert not ProjectSignup.objects.exists()

    @pytest.mark.parametrize("who", ["officer_users", "officer_communities", "manager_a", "outsider"])
    def test_wrong_role_cannot_run_projects(self, request, client_for, who, project):
        client = client_for(request.getfixturevalue(who))
        assert client.get(u("project_create")).status_code == 403
        assert client.post(u("project_confirm", project.pk), {}).status_code == 403
        assert client.post(u("project_complete", project.pk), {}).status_code == 403

    def test_wrong_method(self, client_for, manager_a, project):
        assert client_for(manager_a).get(u("project_sign_up", project.pk)).status_code == 405

    def test_the_officer_publishes(self, client_for, officer_platform):
        today = timezone.localdate()
        response = client_for(officer_platform).post(
            u("project_create"),
            {
                "title": "Lab komputer",
                "deployment_kind": "lab",
                "site_type": "school",
                "site_name": "SMPN 2",
                "kecamatan": factories.kecamatan("Cibatu").pk,
                "needs": "10 PC",
                "start_date": today.isoformat(),
                "end_date": (today - dt.timedelta(days=1)).isoformat(),
                "team_size": 3,
            },
        )
        assert response.status_code == 200 and not VolunteerProject.objects.exists()
