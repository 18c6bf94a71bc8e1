"""Account invitations: a KPMI's keeper invites a member, the member redeems the one-time code, sets a
password and is logged in; bad codes, other groups and repeated attempts are refused with a message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kpmi_si.accounts import services
from kpmi_si.accounts.models import AccountInvitation, code_hash
from kpmi_si.audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Kopi-Garut-2026!"


@pytest.fixture
def member_a(kpmi_a):
    return factories.MemberFactory(kpmi=kpmi_a, full_name="Siti Nurhaliza", email="siti@example.org")


def activate_data(code, **overrides):
    data = {"code": code, "username": "", "password1": PASSWORD, "password2": PASSWORD}
    data.update(overrides)
    return data


class TestInviteService:
    def test_creates_an_account_without_password_and_a_hashed_code(self, manager_a, member_a):
        invitation, code = services.member_account_invite(actor=manager_a, member=member_a)
        member_a.refresh_from_db()
        assert member_a.user is not None and not member_a.user.has_usable_password()
        assert invitation.expires_at - timezone.now() > dt.timedelta(days=6)
        # Only the hash is stored: the code itself appears in no column.
        assert invitation.code_hash == code_hash(services.invitation_code_normalise(code))
        assert not AccountInvitation.objects.filter(code_hash__icontains=code.replace("-", "")).exists()
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"account.create", "member.account_link", "account_invitation.create"} <= actions

    def test_a_new_code_makes_the_earlier_one_stop_working(self, manager_a, member_a):
        first, first_code = services.member_account_invite(actor=manager_a, member=member_a)
        services.member_account_invite(actor=manager_a, member=member_a)
        first.refresh_from_db()
        assert first.revoked_at is not None
        with pytest.raises(ValidationError) as exc:
            services.account_invitation_redeem(code=first_code, username="", password=PASSWORD)
        assert "code" in exc.value.error_dict

    def test_member_with_an_account_is_refused(self, manager_a, member_user_a):
        member = member_user_a.member
        with pytest.raises(ValidationError, match="sudah punya akun"):
            services.member_account_invite(actor=manager_a, member=member)
        assert not AccountInvitation.objects.exists()

    def test_another_groups_keeper_is_refused_and_nothing_is_saved(self, manager_b, member_a):
        users_before = get_user_model().objects.count()
        with pytest.raises(PermissionDenied):
            services.member_account_invite(actor=manager_b, member=member_a)
        member_a.refresh_from_db()
        assert member_a.user is None
        assert get_user_model().objects.count() == users_before
        assert not AccountInvitation.objects.exists()

    def test_email_sends_the_link_after_commit(self, manager_a, member_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            _invitation, code = services.member_account_invite(
                actor=manager_a, member=member_a, email="siti@example.org"
            )
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["siti@example.org"]
        assert code in mail.outbox[0].body and "/akun/aktifkan/?kode=" in mail.outbox[0].body


class TestRedeem:
    def test_sets_password_username_and_audits(self, manager_a, member_a):
        invitation, code = services.member_account_invite(actor=manager_a, member=member_a)
        user = services.account_invitation_redeem(
            code=code.lower().replace("-", " "), username="siti", password=PASSWORD
        )
        assert user.username == "siti" and user.check_password(PASSWORD)
        invitation.refresh_from_db()
        assert invitation.used_at is not None
        assert AuditEntry.objects.filter(action="account_invitation.redeem", actor=user).exists()

    @pytest.mark.parametrize(
        ("spoil", "message"),
        [
            ("used", "sudah dipakai"),
            ("expired", "kedaluwarsa"),
            ("revoked", "dicabut"),
            ("foreign", "tidak berlaku"),
        ],
    )
    def test_bad_codes_are_refused_with_a_message(self, manager_a, member_a, spoil, message):
        invitation, code = services.member_account_invite(actor=manager_a, member=member_a)
        if spoil == "used":
            services.account_invitation_redeem(code=code, username="", password=PASSWORD)
        elif spoil == "expired":
            AccountInvitation.objects.filter(pk=invitation.pk).update(
                expires_at=timezone.now() - dt.timedelta(minutes=1)
            )
        elif spoil == "revoked":
            services.account_invitation_revoke(actor=manager_a, invitation=invitation)
        else:
            code = "ABCD-EFGH-JKMN"
        with pytest.raises(ValidationError, match=message):
            services.account_invitation_redeem(code=code, username="", password="Another-pass-2026")

    def test_weak_password_or_taken_username_saves_nothing(self, manager_a, member_a, outsider):
        invitation, code = services.member_account_invite(actor=manager_a, member=member_a)
        with pytest.raises(ValidationError) as exc:
            services.account_invitation_redeem(code=code, username="outsider", password="123")
        assert {"username", "password1"} <= set(exc.value.error_dict)
        invitation.refresh_from_db()
        member_a.refresh_from_db()
        assert invitation.used_at is None and not member_a.user.has_usable_password()


class TestMemberAccountPage:
    def test_manager_makes_a_code_shown_once(self, client_for, manager_a, member_a):
        url = reverse("accounts:member_account", args=[member_a.pk])
        response = client_for(manager_a).post(url, {"email": ""})
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        invitation = AccountInvitation.objects.get()
        code = response.context["new_code"]
        assert invitation.code_hash == code_hash(services.invitation_code_normalise(code))
        # The next visit shows the invitation but no longer its code.
        again = client_for(manager_a).get(url)
        assert code not in again.content.decode()

    def test_other_groups_member_is_404_and_plain_member_is_403(self, client_for, manager_b, member_user_a, member_a):
        url = reverse("accounts:member_account", args=[member_a.pk])
        assert client_for(manager_b).post(url, {"email": ""}).status_code == 404
        own = reverse("accounts:member_account", args=[member_user_a.member.pk])
        assert client_for(member_user_a).get(own).status_code == 403
        assert not AccountInvitation.objects.exists()

    def test_bad_email_is_a_field_error(self, client_for, manager_a, member_a):
        url = reverse("accounts:member_account", args=[member_a.pk])
        response = client_for(manager_a).post(url, {"email": "not an address"})
        assert response.status_code == 200 and response.context["form"].errors["email"]
        assert not AccountInvitation.objects.exists()

    def test_revoke_by_another_group_is_404(self, client_for, manager_a, manager_b, member_a):
        invitation, _code = services.member_account_invite(actor=manager_a, member=member_a)
        url = reverse("accounts:invitation_revoke", args=[invitation.pk])
        assert client_for(manager_b).post(url).status_code == 404
        invitation.refresh_from_db()
        assert invitation.revoked_at is None
        assert client_for(manager_a).post(url).status_code == 302
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None


class TestActivatePage:
    def test_link_fills_the_code_and_redeeming_logs_in(self, client, manager_a, member_a):
        _invitation, code = services.member_account_invite(actor=manager_a, member=member_a)
        page = client.get(reverse("accounts:activate"), {"kode": code})
        assert page.status_code == 200 and "Siti" in page.content.decode()
        response = client.post(reverse("accounts:activate"), activate_data(code))
        assert response.status_code == 302
        assert client.get(reverse("members:member_detail", args=[member_a.pk])).status_code == 200

    def test_wrong_codes_are_limited_per_address(self, client, settings, manager_a, member_a):
        settings.INVITATION_REDEEM_FAILURE_LIMIT = 3
        _invitation, code = services.member_account_invite(actor=manager_a, member=member_a)
        for _ in range(3):
            wrong = client.post(reverse("accounts:activate"), activate_data("ZZZZ-ZZZZ-ZZZZ"))
            assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
        # Even the right code waits now: guessing must not go on.
        blocked = client.post(reverse("accounts:activate"), activate_data(code))
        assert blocked.status_code == 429
        member_a.refresh_from_db()
        assert not member_a.user.has_usable_password()

    def test_mismatched_passwords_are_a_field_error(self, client, manager_a, member_a):
        _invitation, code = services.member_account_invite(actor=manager_a, member=member_a)
        response = client.post(reverse("accounts:activate"), activate_data(code, password2="something-else-1"))
        assert response.status_code == 200 and response.context["form"].errors["password2"]
