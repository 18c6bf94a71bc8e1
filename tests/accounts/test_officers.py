"""The KOMTIK admin appoints and ends association officers and makes accounts for new people (jurors),
without Django admin; nobody else may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from associations.models import Association, Officer, OfficerTerm
from kpmi_si.accounts import services
from kpmi_si.accounts.models import AccountInvitation
from kpmi_si.audit.models import AuditEntry
from members import permissions

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def test_new_person_becomes_an_officer_with_an_invitation(admin_user):
    users = Association.objects.get(code="users")
    officer, code = services.officer_assign(actor=admin_user, association=users, full_name="Dewi Petugas")
    assert code and AccountInvitation.objects.filter(user=officer.user).exists()
    assert permissions.is_officer(get_user_model().objects.get(pk=officer.user.pk), "users")
    assert AuditEntry.objects.filter(action="officer.assign").exists()


def test_an_officer_of_one_association_cannot_be_appointed_to_another(admin_user, officer_users):
    with pytest.raises(ValidationError, match="sudah menjadi petugas"):
        services.officer_assign(
            actor=admin_user, association=Association.objects.get(code="platform"), user=officer_users
        )
    assert Officer.objects.get(user=officer_users).association.code == "users"


def test_only_the_admin_appoints_or_ends(officer_communities, officer_users, outsider):
    with pytest.raises(PermissionDenied):
        services.officer_assign(
            actor=officer_communities, association=Association.objects.get(code="users"), user=outsider
        )
    with pytest.raises(PermissionDenied):
        services.officer_end(actor=officer_communities, officer=officer_users.officer)


def test_ending_takes_the_officers_pages_away(client_for, admin_user, officer_users):
    response = client_for(admin_user).post(
        reverse("accounts:officer_end", args=[officer_users.officer.pk]), {"until": today().isoformat()}
    )
    assert response.status_code == 302
    assert not Officer.objects.filter(user=officer_users).exists()
    assert AuditEntry.objects.filter(action="officer.end").exists()
    assert client_for(officer_users).get(reverse("associations:home", args=["users"])).status_code == 403


def test_pages_are_the_admins(client_for, admin_user, officer_communities, manager_a):
    for url in (reverse("accounts:officers"), reverse("accounts:person_invite")):
        assert client_for(admin_user).get(url).status_code == 200
        for user in (officer_communities, manager_a):
            assert client_for(user).get(url).status_code == 403


def test_account_for_a_juror_shows_username_and_code_once(client_for, admin_user):
    response = client_for(admin_user).post(reverse("accounts:person_invite"), {"full_name": "Juri Baru", "email": ""})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    user = get_user_model().objects.get(first_name="Juri", last_name="Baru")
    body = response.content.decode()
    assert user.username in body and response.context["new_code"] in body
    assert not user.has_usable_password()


def test_bad_input_saves_nothing(client_for, admin_user, outsider):
    before = get_user_model().objects.count()
    response = client_for(admin_user).post(
        reverse("accounts:officers"),
        {"association": Association.objects.get(code="users").pk, "user": outsider.pk, "full_name": "Dua Orang"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    blank = client_for(admin_user).post(reverse("accounts:person_invite"), {"full_name": "   "})
    assert blank.status_code == 200 and blank.context["form"].errors["full_name"]
    assert get_user_model().objects.count() == before and not Officer.objects.exists()


class TestOfficersWithDates:
    """An appointment has a start and an end date, as a KPMI's roles do; neither in the future,
    because `user.officer` (what the permission checks read) knows no dates."""

    def assign(self, client, user, **extra):
        data = {"association": Association.objects.get(code="platform").pk, "user": user.pk, "title": "", **extra}
        return client.post(reverse("accounts:officers"), data, **EN)

    def test_appointed_from_a_past_date_and_listed_with_it(self, client_for, admin_user, outsider):
        client = client_for(admin_user)
        response = self.assign(client, outsider, since=days(-30).isoformat())
        assert response.status_code == 302
        officer = Officer.objects.get(user=outsider)
        assert officer.since == days(-30) and officer.association.code == "platform"
        entry = AuditEntry.objects.get(action="officer.assign")
        assert entry.changes["since"] == [None, days(-30).isoformat()]
        assert f"since {days(-30):%-d %B %Y}" in client.get(reverse("accounts:officers"), **EN).content.decode()

    def test_the_start_defaults_to_today(self, client_for, admin_user, outsider):
        assert self.assign(client_for(admin_user), outsider).status_code == 302
        assert Officer.objects.get(user=outsider).since == today()

    def test_a_start_in_the_future_is_a_field_error(self, client_for, admin_user, outsider):
        response = self.assign(client_for(admin_user), outsider, since=days(3).isoformat())
        assert response.status_code == 200
        assert response.context["form"].errors["since"] == ["The date cannot be in the future."]
        assert not Officer.objects.filter(user=outsider).exists()
        assert not AuditEntry.objects.filter(action="officer.assign").exists()

    def test_the_end_page_changes_nothing_and_ending_keeps_the_history(self, client_for, admin_user, officer_users):
        officer = officer_users.officer
        Officer.objects.filter(pk=officer.pk).update(since=days(-100))
        client = client_for(admin_user)
        url = reverse("accounts:officer_end", args=[officer.pk])
        assert url in client.get(reverse("accounts:officers")).content.decode()
        page = client.get(url, **EN)
        assert page.status_code == 200 and page.context["form"]["until"].value() == today()
        assert Officer.objects.filter(pk=officer.pk).exists()
        response = client.post(url, {"until": days(-2).isoformat()})
        assert response.status_code == 302
        assert not Officer.objects.filter(user=officer_users).exists()
        term = OfficerTerm.objects.get(user=officer_users)
        assert (term.association.code, term.since, term.until, term.ended_by) == (
            "users",
            days(-100),
            days(-2),
            admin_user,
        )
        entry = AuditEntry.objects.get(action="officer.end")
        assert entry.changes["until"] == [None, days(-2).isoformat()]
        assert entry.changes["officer"][1] is None and officer_users.username in entry.changes["officer"][0]
        listing = client.get(reverse("accounts:officers"), **EN).content.decode()
        assert 'id="past-officers"' in listing and f"{days(-2):%-d %B %Y}" in listing

    @pytest.mark.parametrize(
        ("until", "error"),
        [
            (-101, "The end cannot be before the start"),
            (1, "The date cannot be in the future."),
            (None, "This field is required."),
        ],
    )
    def test_a_bad_end_date_is_a_field_error_and_nothing_changes(
        self, client_for, admin_user, officer_users, until, error
    ):
        officer = officer_users.officer
        Officer.objects.filter(pk=officer.pk).update(since=days(-100))
        data = {"until": days(until).isoformat() if until is not None else ""}
        response = client_for(admin_user).post(reverse("accounts:officer_end", args=[officer.pk]), data, **EN)
        assert response.status_code == 200
        assert error in response.context["form"].errors["until"][0]
        assert Officer.objects.filter(pk=officer.pk).exists() and not OfficerTerm.objects.exists()
        assert not AuditEntry.objects.filter(action="officer.end").exists()

    def test_ending_twice_says_so(self, client_for, admin_user, officer_users):
        url = reverse("accounts:officer_end", args=[officer_users.officer.pk])
        client = client_for(admin_user)
        client.post(url, {"until": today().isoformat()}, follow=True)  # its message is read
        response = client.post(url, {"until": today().isoformat()}, follow=True, **EN)
        assert response.status_code == 200
        assert [str(m) for m in response.context["messages"]] == ["This appointment has already ended."]
        assert OfficerTerm.objects.count() == 1

    @pytest.mark.parametrize("who", ["officer_communities", "officer_users", "manager_a"])
    def test_only_the_admin_ends(self, request, client_for, officer_users, who):
        url = reverse("accounts:officer_end", args=[officer_users.officer.pk])
        client = client_for(request.getfixturevalue(who))
        assert client.get(url).status_code == 403
        assert client.post(url, {"until": today().isoformat()}).status_code == 403
        assert Officer.objects.filter(user=officer_users).exists()

    def test_a_former_officer_may_serve_again_after_their_term(self, admin_user, officer_users):
        services.officer_end(actor=admin_user, officer=officer_users.officer, until=days(-10))
        platform = Association.objects.get(code="platform")
        with pytest.raises(ValidationError) as refused:
            services.officer_assign(actor=admin_user, association=platform, user=officer_users, since=days(-10))
        assert "since" in refused.value.message_dict
        officer, _code = services.officer_assign(
            actor=admin_user, association=platform, user=officer_users, since=days(-9)
        )
        assert officer.since == days(-9)
        assert permissions.is_officer(get_user_model().objects.get(pk=officer_users.pk), "platform")


def test_the_migration_dates_existing_officers_from_the_trail(admin_user, officer_users, officer_platform):
    """Officers appointed before dates were kept: the start is their latest `officer.assign` entry's,
    and stays empty (unknown) for one appointed in Django admin, of whom the trail says nothing."""
    from importlib import import_module

    from django.apps import apps

    from kpmi_si.audit.services import audit_log

    Officer.objects.update(since=None)
    users = Association.objects.get(code="users")
    audit_log(
        actor=admin_user,
        action="officer.assign",
        target=users,
        changes={"officer": [None, f"{officer_users} ({officer_users.username})"], "since": [None, "2024-03-01"]},
    )
    migration = import_module("associations.migrations.0008_officer_dates")
    migration.since_from_the_trail(apps, None)
    assert Officer.objects.get(user=officer_users).since == dt.date(2024, 3, 1)
    assert Officer.objects.get(user=officer_platform).since is None
