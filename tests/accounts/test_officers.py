"""The KOMTIK admin appoints and ends association officers and makes accounts for new people (jurors),
without Django admin; nobody else may."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from associations.models import Association, Officer
from kpmi_si.accounts import services
from kpmi_si.accounts.models import AccountInvitation
from kpmi_si.audit.models import AuditEntry
from members import permissions

pytestmark = pytest.mark.django_db


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
    response = client_for(admin_user).post(reverse("accounts:officer_end", args=[officer_users.officer.pk]))
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
