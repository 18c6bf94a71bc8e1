"""The KOMTIK admin anonymises a member who leaves: the identity goes everywhere, what is counted stays,
texts that name them wait for review."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from associations import services as association_services
from associations.models import Association, TargetResult
from kpmi_si.audit.models import AuditEntry
from kpmi_si.notifications.models import Notification
from kpmi_si.privacy import registry, services
from kpmi_si.privacy.models import ReviewFlag
from members import selectors as member_selectors
from members import services as member_services
from members.models import Level, Member
from programs import metrics
from programs.models import Evidence
from tests.factories import PASSWORD

from .conftest import BIRTH_YEAR, EMAIL, LOGIN_EMAIL, NAME, OLD_PHONE, PHONE

pytestmark = pytest.mark.django_db

IDENTITY = (NAME, PHONE, OLD_PHONE, EMAIL, LOGIN_EMAIL)


@pytest.fixture
def year_targets(admin_user):
    """This year's period with targets of the Users and Communities associations."""
    period = association_services.period_open_year(actor=admin_user, year=timezone.localdate().year)
    for code, metric in (("users", "education"), ("communities", "new_members"), ("communities", "new_trainers")):
        association_services.target_set(
            actor=admin_user, period=period, association=Association.objects.get(code=code), metric=metric, value=3
        )
    return period


def _statistics(period):
    """What dashboards, targets and awards count: work per member, group and kind; members per level;
    and a fresh evaluation of the period's targets."""
    evaluation, _created = association_services.evaluation_create(actor=None, period=period)
    association_services.period_evaluate(evaluation_id=evaluation.pk)
    return {
        "per_member": sorted(map(repr, metrics.per_member())),
        "per_kpmi": sorted(map(repr, metrics.per_kpmi())),
        "per_kind": metrics.per_kind(),
        "levels": member_selectors.level_totals(),
        "members": Member.objects.count(),
        "results": sorted(
            TargetResult.objects.values_list("metric", "kpmi_id", "member_id", "target", "actual", "status")
        ),
    }


def _texts_containing(values):
    """(model label, pk, field) of every stored text that contains one of the values."""
    found = set()
    for model in apps.get_models():
        if model._meta.app_label in {"contenttypes", "auth", "sessions", "admin", "django_celery_beat"}:
            continue
        for field in registry.text_fields(model):
            for row in model._default_manager.values("pk", field.name):
                text = (
                    json.dumps(row[field.name], ensure_ascii=False)
                    if field.get_internal_type() == "JSONField"
                    else row[field.name]
                )
                if text and any(value.lower() in text.lower() for value in values):
                    found.add((model._meta.label, str(row["pk"]), field.name))
    return found


def test_identity_goes_everywhere_and_only_free_text_is_left_flagged(euis, admin_user):
    member = euis.member
    user_pk = member.user_id

    services.member_anonymise(actor=admin_user, member=member)

    member.refresh_from_db()
    assert member.full_name == f"Anggota terhapus #{member.pk}"
    assert (member.phone, member.email, member.birth_year) == ("", "", None)
    assert member.is_anonymised
    user = member.user
    assert user.pk == user_pk and not user.is_active and not user.has_usable_password()
    assert user.username == f"terhapus-{user.pk}" and user.email == "" and user.last_name == ""
    assert str(user) == member.full_name
    # Whatever still carries the name or a contact detail is text someone wrote, and it is flagged.
    left = _texts_containing(IDENTITY)
    flagged = {
        (flag.content_type.model_class()._meta.label, flag.object_id, flag.field)
        for flag in ReviewFlag.objects.select_related("content_type")
    }
    assert left and left <= flagged
    assert ("programs.Activity", str(euis.work.pk), "title") in flagged
    assert ("programs.Activity", str(euis.others_work.pk), "summary") in flagged  # found in capitals too
    assert ("programs.AssociationAward", str(euis.award.pk), "reason") in flagged
    assert ("notifications.Notification", str(euis.told_manager.pk), "message") in flagged
    assert ("members.LevelChange", str(euis.trainer.level_changes.get().pk), "reason") in flagged
    # Flagged, not edited: the admin decides what the sentence should say.
    euis.work.refresh_from_db()
    assert euis.work.title.endswith(NAME)


def test_metadata_and_the_audit_trail_lose_the_identity(euis, admin_user):
    member = services.member_anonymise(actor=admin_user, member=euis.member)

    evidence = Evidence.objects.get(activity=euis.work)
    assert NAME not in evidence.original_name and evidence.original_name.endswith(".jpg")
    updates = AuditEntry.objects.filter(action="member.update", target_id=str(euis.member.pk))
    assert updates.count() == 2
    for entry in updates:
        assert entry.target_repr == member.full_name
        assert set(entry.changes["phone"]) == {services.REMOVED}
    # Her own inbox goes; what others were told stays (flagged).
    assert not Notification.objects.filter(recipient=euis.member.user).exists()
    assert Notification.objects.filter(pk=euis.told_manager.pk).exists()


def test_counts_targets_and_statistics_do_not_change(euis, admin_user, year_targets):
    before = _statistics(year_targets)
    assert before["results"] and before["per_member"]

    services.member_anonymise(actor=admin_user, member=euis.member)

    assert _statistics(year_targets) == before
    member = Member.objects.get(pk=euis.member.pk)
    assert member.level == Level.TRAINER and member.kpmi.name == "KPMI Alfa"
    assert member.level_changes.exists() and member.credits.count() == 1


def test_anonymising_is_audited_without_storing_the_identity(euis, admin_user):
    services.member_anonymise(actor=admin_user, member=euis.member)

    entry = AuditEntry.objects.get(action="member.anonymise")
    assert entry.actor == admin_user and entry.target_id == str(euis.member.pk)
    assert entry.at is not None
    stored = json.dumps([entry.target_repr, entry.changes, entry.note], ensure_ascii=False)
    assert not any(value.lower() in stored.lower() for value in IDENTITY)
    assert str(BIRTH_YEAR) not in stored
    assert entry.changes["texts_flagged"][1] == ReviewFlag.objects.count()


def _logs_in(client, username: str) -> bool:
    # Through the login page: axes needs the request, which client.login() does not pass.
    client.post(reverse("login"), {"username": username, "password": PASSWORD})
    return "_auth_user_id" in client.session


def test_the_login_no_longer_works(client, euis, admin_user, member_user_a):
    services.member_anonymise(actor=admin_user, member=euis.member)
    assert not _logs_in(client, "member_a")
    assert not _logs_in(client, f"terhapus-{member_user_a.pk}")


def test_twice_is_refused(euis, admin_user):
    services.member_anonymise(actor=admin_user, member=euis.member)
    with pytest.raises(ValidationError) as refused:
        services.member_anonymise(actor=admin_user, member=euis.member)
    assert refused.value.code == "anonymised_already"
    assert AuditEntry.objects.filter(action="member.anonymise").count() == 1


def test_only_the_admin_and_never_on_their_own_record(euis, manager_a, officer_communities, admin_user, kpmi_a):
    for actor in (manager_a, officer_communities):
        with pytest.raises(PermissionDenied):
            services.member_anonymise(actor=actor, member=euis.member)
    own = Member.objects.create(
        kpmi=kpmi_a, user=admin_user, full_name="Admin", gender="male", birth_year=1980, joined_on="2020-01-01"
    )
    with pytest.raises(ValidationError):
        services.member_anonymise(actor=admin_user, member=own)
    assert not Member.objects.filter(anonymised_at__isnull=False).exists()


def test_an_anonymised_member_cannot_be_edited_back(euis, admin_user, manager_a):
    services.member_anonymise(actor=admin_user, member=euis.member)
    member = Member.objects.select_related("kpmi").get(pk=euis.member.pk)
    with pytest.raises(ValidationError):
        member_services.member_update(actor=manager_a, member=member, data={"phone": PHONE})


# --- the page ------------------------------------------------------------------------------------------


def page(member):
    return reverse("privacy:member_anonymise", args=[member.pk])


def test_admin_confirms_on_the_page(client_for, euis, admin_user):
    client = client_for(admin_user)
    assert client.get(page(euis.member)).status_code == 200
    unconfirmed = client.post(page(euis.member), {})
    assert unconfirmed.status_code == 200
    assert not Member.objects.get(pk=euis.member.pk).is_anonymised

    response = client.post(page(euis.member), {"confirm": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("privacy:review_list")
    assert Member.objects.get(pk=euis.member.pk).is_anonymised


def test_a_second_post_is_refused_with_a_message(client_for, euis, admin_user):
    client = client_for(admin_user)
    client.post(page(euis.member), {"confirm": "on"})
    response = client.post(page(euis.member), {"confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert "sudah dianonimkan" in response.content.decode()
    assert AuditEntry.objects.filter(action="member.anonymise").count() == 1


@pytest.mark.parametrize(("who", "status"), [("manager_a", 403), ("officer_users", 403), ("manager_b", 404)])
def test_nobody_else_reaches_the_page(request, client_for, euis, who, status):
    client = client_for(request.getfixturevalue(who))
    assert client.get(page(euis.member)).status_code == status
    assert client.post(page(euis.member), {"confirm": "on"}).status_code == status
    assert not Member.objects.get(pk=euis.member.pk).is_anonymised


def test_member_page_shows_the_pseudonym_after(client_for, euis, admin_user, manager_a):
    services.member_anonymise(actor=admin_user, member=euis.member)
    body = client_for(manager_a).get(euis.member.get_absolute_url()).content.decode()
    assert f"Anggota terhapus #{euis.member.pk}" in body
    assert PHONE not in body and EMAIL not in body
    assert reverse("members:member_edit", args=[euis.member.pk]) not in body
