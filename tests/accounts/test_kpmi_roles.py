"""A KPMI's supervisors and managers, appointed and ended in the app by the KOMTIK admin or the
Communities association: dated, audited, and scoped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kpmi_si.accounts import services
from kpmi_si.accounts.models import AccountInvitation
from kpmi_si.audit.models import AuditEntry
from members import permissions
from members import services as member_services
from members.models import KpmiRole
from tests import factories

pytestmark = pytest.mark.django_db


def assign_data(**overrides):
    data = {"role": "supervisor", "member": "", "user": "", "full_name": "", "email": "", "since": "2026-01-05"}
    data.update(overrides)
    return data


class TestServices:
    def test_new_person_becomes_supervisor_with_an_invitation(self, officer_communities, kpmi_a):
        assignment, code = services.kpmi_person_assign(
            actor=officer_communities, kpmi=kpmi_a, role=KpmiRole.Role.SUPERVISOR, full_name="Ibu Guru Ani"
        )
        assert assignment.user.get_full_name() == "Ibu Guru Ani" and assignment.since == timezone.localdate()
        assert code and AccountInvitation.objects.filter(user=assignment.user).count() == 1
        assert AuditEntry.objects.filter(action="kpmi.role_assign").exists()
        assert permissions.can_manage_kpmi(assignment.user, kpmi_a)

    def test_member_of_another_kpmi_is_refused_and_nothing_saved(self, admin_user, kpmi_a, kpmi_b):
        stranger = factories.MemberFactory(kpmi=kpmi_b)
        with pytest.raises(ValidationError, match="anggota KPMI lain"):
            services.kpmi_person_assign(actor=admin_user, kpmi=kpmi_a, role=KpmiRole.Role.MANAGER, member=stranger)
        stranger.refresh_from_db()
        assert stranger.user is None and not KpmiRole.objects.exists()

    def test_a_kpmis_own_manager_cannot_appoint(self, manager_a, kpmi_a, outsider):
        with pytest.raises(PermissionDenied):
            member_services.kpmi_role_assign(actor=manager_a, kpmi=kpmi_a, user=outsider, role=KpmiRole.Role.MANAGER)

    def test_same_current_role_twice_is_refused(self, admin_user, kpmi_a, supervisor_a):
        with pytest.raises(ValidationError, match="sudah memegang"):
            member_services.kpmi_role_assign(
                actor=admin_user, kpmi=kpmi_a, user=supervisor_a, role=KpmiRole.Role.SUPERVISOR
            )

    def test_ending_keeps_the_row_and_takes_the_keys(self, admin_user, kpmi_a, supervisor_a):
        assignment = KpmiRole.objects.get(user=supervisor_a)
        member_services.kpmi_role_end(actor=admin_user, assignment=assignment)
        assignment.refresh_from_db()
        assert assignment.until == timezone.localdate()
        supervisor_a.refresh_from_db()  # drops the cached permissions
        assert not permissions.can_manage_kpmi(supervisor_a, kpmi_a)
        assert AuditEntry.objects.filter(action="kpmi.role_end").exists()
        # Served again later: a new current role next to the ended one.
        member_services.kpmi_role_assign(actor=admin_user, kpmi=kpmi_a, user=supervisor_a, role="supervisor")
        assert KpmiRole.objects.filter(user=supervisor_a).count() == 2

    def test_end_before_start_or_in_future_is_refused(self, admin_user, kpmi_a, supervisor_a):
        assignment = KpmiRole.objects.get(user=supervisor_a)
        KpmiRole.objects.filter(pk=assignment.pk).update(since=dt.date(2026, 1, 1))
        for until in (dt.date(2025, 12, 31), timezone.localdate() + dt.timedelta(days=1)):
            with pytest.raises(ValidationError):
                member_services.kpmi_role_end(actor=admin_user, assignment=assignment, until=until)
        assignment.refresh_from_db()
        assert assignment.until is None


class TestPages:
    def test_kpmi_page_without_supervisor_offers_to_appoint(self, client_for, officer_communities, kpmi_a):
        body = client_for(officer_communities).get(kpmi_a.get_absolute_url()).content.decode()
        assert reverse("accounts:kpmi_roles", args=[kpmi_a.pk]) in body

    def test_kpmi_page_offers_no_appointing_to_its_manager(self, client_for, manager_a, kpmi_a):
        body = client_for(manager_a).get(kpmi_a.get_absolute_url()).content.decode()
        assert reverse("accounts:kpmi_roles", args=[kpmi_a.pk]) not in body

    def test_officer_appoints_a_member_as_manager(self, client_for, officer_communities, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a, full_name="Asep Pengelola")
        url = reverse("accounts:kpmi_roles", args=[kpmi_a.pk])
        response = client_for(officer_communities).post(url, assign_data(role="manager", member=str(member.pk)))
        assert response.status_code == 200 and response.context["new_code"]
        member.refresh_from_db()
        assert KpmiRole.objects.current().filter(kpmi=kpmi_a, user=member.user, role="manager").exists()

    @pytest.mark.parametrize(
        "overrides",
        [
            {},  # nobody chosen
            {"full_name": "Dua Orang", "user": "__outsider__"},  # two at once
            {"full_name": "Orang Baru", "since": "2999-01-01"},
            {"full_name": "Orang Baru", "role": "king"},
        ],
    )
    def test_bad_input_is_an_error_and_saves_nothing(self, client_for, admin_user, kpmi_a, outsider, overrides):
        if overrides.get("user") == "__outsider__":
            overrides["user"] = str(outsider.pk)
        url = reverse("accounts:kpmi_roles", args=[kpmi_a.pk])
        response = client_for(admin_user).post(url, assign_data(**overrides))
        assert response.status_code == 200 and response.context["form"].errors
        assert not KpmiRole.objects.exists()

    def test_wrong_roles_are_refused(self, client_for, manager_a, officer_users, member_user_a, kpmi_a, supervisor_a):
        roles_url = reverse("accounts:kpmi_roles", args=[kpmi_a.pk])
        end_url = reverse("accounts:kpmi_role_end", args=[KpmiRole.objects.get(user=supervisor_a).pk])
        for user in (manager_a, officer_users, member_user_a):
            assert client_for(user).get(roles_url).status_code == 403
            assert client_for(user).post(end_url, {"until": "2026-01-10"}).status_code == 403
        assert KpmiRole.objects.current().filter(user=supervisor_a).exists()

    def test_end_page_ends_the_role(self, client_for, admin_user, kpmi_a, supervisor_a):
        assignment = KpmiRole.objects.get(user=supervisor_a)
        url = reverse("accounts:kpmi_role_end", args=[assignment.pk])
        response = client_for(admin_user).post(url, {"until": timezone.localdate().isoformat()})
        assert response.status_code == 302
        assignment.refresh_from_db()
        assert assignment.until == timezone.localdate()
