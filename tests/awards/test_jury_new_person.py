"""The admin brings a new person onto a round's jury from the jury page in one step: an account,
a one-time code shown once, and the seat; the person redeems the code at /akun/aktifkan/ and finds
their round on the jury's page. Checked from the URL."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from awards.models import Achievement, AwardRound, JuryMember, Subject
from kpmi_si.accounts.models import AccountInvitation
from kpmi_si.audit.models import AuditEntry

from .conftest import category

pytestmark = pytest.mark.django_db

PASSWORD = "Garut-Juri-2026!"  # noqa: S105 - a test's own password


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


@pytest.fixture
def cat(shortlisted):
    return category(shortlisted, Subject.TRAINER, Achievement.TRAINERS)


def new_person(shortlisted, cat, **extra):
    return {"username": "", "full_name": "  Rina   Juri ", "email": "", "categories": [cat.pk], **extra}


def users_named_rina():
    return get_user_model().objects.filter(first_name="Rina", last_name="Juri")


def test_a_new_person_gets_an_account_a_code_shown_once_and_a_seat(client_for, admin_user, shortlisted, cat):
    client = client_for(admin_user)
    response = client.post(url("jury_manage", shortlisted.pk), new_person(shortlisted, cat))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    user = users_named_rina().get()
    assert not user.has_usable_password()
    seat = JuryMember.objects.get(round=shortlisted, user=user)
    assert list(seat.categories.all()) == [cat]
    code = response.context["new_code"]
    body = response.content.decode()
    assert code in body and user.username in body
    assert AccountInvitation.objects.filter(user=user, used_at__isnull=True).count() == 1
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"account.create", "account_invitation.create", "award_jury.set"} <= actions
    # Shown once: the jury page opened again carries no code.
    again = client.get(url("jury_manage", shortlisted.pk))
    assert code not in again.content.decode() and user.username in again.content.decode()

    # The person redeems the code, is logged in, and their round is on the jury's page.
    juror = client_for(None)
    redeemed = juror.post(
        reverse("accounts:activate"),
        {"code": code, "username": "rina.juri", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert redeemed.status_code == 302
    user.refresh_from_db()
    assert user.username == "rina.juri" and user.check_password(PASSWORD)
    page = juror.get(url("jury_home"))
    assert page.status_code == 200 and str(shortlisted.year) in page.content.decode()


def test_with_an_e_mail_the_code_is_sent_after_the_commit(
    client_for, admin_user, shortlisted, cat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            url("jury_manage", shortlisted.pk), new_person(shortlisted, cat, email="rina@example.org")
        )
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rina@example.org"]
    assert response.context["new_code"] in mail.outbox[0].body


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"username": "juri_satu"}, None),  # both an account and a new person
        ({"full_name": ""}, None),  # neither
        ({"categories": []}, "categories"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_input_is_a_message_and_creates_nobody(client_for, admin_user, jury_user, shortlisted, cat, extra, field):
    before = get_user_model().objects.count()
    response = client_for(admin_user).post(url("jury_manage", shortlisted.pk), new_person(shortlisted, cat, **extra))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[field] if field else errors["__all__"]
    assert get_user_model().objects.count() == before
    assert not JuryMember.objects.filter(round=shortlisted).exists()
    assert not AccountInvitation.objects.exists()


def test_a_finalised_round_takes_nobody_and_leaves_no_account(client_for, admin_user, shortlisted, cat):
    AwardRound.objects.filter(pk=shortlisted.pk).update(status=AwardRound.Status.FINALISED)
    response = client_for(admin_user).post(
        url("jury_manage", shortlisted.pk), new_person(shortlisted, cat), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "The round is finalised; its jury can no longer change." in response.content.decode()
    assert not users_named_rina().exists() and not AccountInvitation.objects.exists()


@pytest.mark.parametrize("who", ["officer_communities", "manager_a", "jury_user", "outsider"])
def test_only_the_admin_brings_people_onto_a_jury(request, client_for, shortlisted, cat, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(url("jury_manage", shortlisted.pk)).status_code == 403
    assert client.post(url("jury_manage", shortlisted.pk), new_person(shortlisted, cat)).status_code == 403
    assert not users_named_rina().exists() and not JuryMember.objects.filter(round=shortlisted).exists()
