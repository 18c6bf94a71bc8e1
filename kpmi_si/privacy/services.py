"""Writes for personal data: the audited download of a member's data, the anonymisation of a member who
leaves, and the review of the texts it flagged.

Anonymising follows pretix's shredder (base/services/shredder.py): the identity goes, the records that
statistics count stay. The member row keeps its id, KPMI, level, gender, join date, level history and
credited work, so every count, target result and award keeps its subject and its number; the name
becomes "Anggota terhapus #<id>", contact details and birth year are removed, the login is
deactivated and scrubbed. Text people wrote that names the member is flagged for review, not edited.
"""

from __future__ import annotations

import json
import operator
from functools import reduce
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kpmi_si.accounts.models import AccountInvitation
from kpmi_si.audit.models import AuditEntry
from kpmi_si.audit.services import audit_log
from kpmi_si.notifications.models import Notification
from members.models import Member, User
from programs.models import Evidence

from . import permissions, registry
from .models import ReviewFlag
from .selectors import Section, member_data

EXPORT_FORMATS = ("json", "xlsx")
# What replaces a removed value inside the audit trail's recorded changes.
REMOVED = "█"
# Keys of an audit entry's `changes` that copy the member's identity (members.services.member_update).
IDENTITY_CHANGE_KEYS = frozenset({"full_name", "phone", "email", "birth_year"})
# Shorter needles match inside ordinary words ("Ani" in "Tani"): flagged text would be mostly noise.
MIN_NEEDLE = 3


@transaction.atomic
def member_data_export(*, actor: Any, member: Member, fmt: str) -> list[Section]:
    """The member's data for a download, and the audit entry that says who took it and when."""
    if not permissions.can_export_member_data(actor, member):
        raise PermissionDenied
    if fmt not in EXPORT_FORMATS:
        raise ValidationError(_("Unknown file format."))
    sections = member_data(member)
    audit_log(actor=actor, action="member.data_export", target=member, changes={"format": [None, fmt]})
    return sections


def pseudonym(member: Member) -> str:
    # Stored once, in the site's language: it is data, not a label of the page.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Deleted member #%(id)s") % {"id": member.pk}


def _needles(member: Member, user: User | None) -> list[str]:
    """The strings that identify the member in text: name and contact details, as stored."""
    values = [member.full_name, member.phone, member.email]
    if user is not None:
        values += [user.get_full_name(), user.email]
    needles: list[str] = []
    for value in values:
        value = (value or "").strip()
        if len(value) >= MIN_NEEDLE and value.lower() not in {n.lower() for n in needles}:
            needles.append(value)
    return needles


def _text_condition(model: type[models.Model], name: str, needles: list[str]) -> tuple[models.QuerySet, Q]:
    field = model._meta.get_field(name)
    rows = model._default_manager.all()
    if isinstance(field, models.JSONField):
        # Searched as the JSON text; SQLite keeps non-ASCII letters as \u escapes in it.
        rows = rows.annotate(_privacy_text=Cast(name, TextField()))
        variants = {v for needle in needles for v in (needle, json.dumps(needle)[1:-1])}
        return rows, reduce(operator.or_, (Q(_privacy_text__icontains=v) for v in variants))
    return rows, reduce(operator.or_, (Q(**{f"{name}__icontains": needle}) for needle in needles))


def _flag_free_text(member: Member, needles: list[str]) -> int:
    """A flag for every free-text field (registry.FREE_TEXT) that contains one of the needles."""
    if not needles:
        return 0
    flags = []
    for model, name in registry.free_text_fields():
        rows, condition = _text_condition(model, name, needles)
        content_type = ContentType.objects.get_for_model(model)
        flags += [
            ReviewFlag(member=member, content_type=content_type, object_id=str(pk), field=name)
            for pk in rows.filter(condition).values_list("pk", flat=True)
        ]
    ReviewFlag.objects.bulk_create(flags, ignore_conflicts=True)
    return len(flags)


def _scrub_audit_trail(member: Member, user: User | None, name: str) -> None:
    """The trail keeps every entry about the member, but no longer their identity: the record's text
    becomes the pseudonym and recorded names, contacts and birth year become REMOVED (as pretix's
    shredder does with its log entries). Notes are free text, and are flagged instead."""
    about_member = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Member), target_id=str(member.pk)
    )
    for entry in about_member.only("pk", "changes"):
        changes = {
            key: ([REMOVED for _value in value] if isinstance(value, list) else REMOVED)
            if key in IDENTITY_CHANGE_KEYS
            else value
            for key, value in entry.changes.items()
        }
        AuditEntry.objects.filter(pk=entry.pk).update(target_repr=name, changes=changes)
    if user is not None:
        AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(User), target_id=str(user.pk)).update(
            target_repr=name
        )


def _clear_file_names(needles: list[str]) -> int:
    """Evidence files whose original name carries the member's name get a neutral one (the stored
    file has a random name already; photos lost their EXIF block at upload)."""
    if not needles:
        return 0
    rows, condition = _text_condition(Evidence, "original_name", needles)
    cleared = 0
    for evidence in rows.filter(condition).only("pk", "file_kind", "original_name"):
        suffix = PurePath(evidence.original_name).suffix.lower()[:10]
        Evidence.objects.filter(pk=evidence.pk).update(original_name=f"{evidence.file_kind}-{evidence.pk}{suffix}")
        cleared += 1
    return cleared


def _scrub_user(user: User, name: str) -> None:
    username = f"terhapus-{user.pk}"
    if User.objects.filter(username=username).exclude(pk=user.pk).exists():
        username = f"terhapus-{user.pk}-{timezone.now():%Y%m%d%H%M%S}"
    user.username = username
    # The pseudonym, so that every page that names the login (recorded by, supervisor) shows it.
    user.first_name = name
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    # A new (unusable) password also ends every session the account still had.
    user.set_unusable_password()
    user.save()
    # Invitations hold the address they were e-mailed to, and a pending one would reopen the login.
    AccountInvitation.objects.filter(user=user).delete()


@transaction.atomic
def member_anonymise(*, actor: Any, member: Member) -> Member:
    """Remove the identity of a member who leaves, keep everything that is counted.

    Returns the member, now under a pseudonym. Refused (ValidationError) for a member anonymised
    already, and for the admin's own record (someone else must do it, and the admin keeps a login)."""
    if not permissions.can_anonymise(actor):
        raise PermissionDenied
    # Locked: two admins pressing the button at once anonymise once, the second is refused.
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.is_anonymised:
        raise ValidationError(_("This member was anonymised already."), code="anonymised_already")
    if member.user_id and member.user_id == getattr(actor, "pk", None):
        raise ValidationError(_("You cannot anonymise your own record; ask another KOMTIK admin."), code="own_record")
    user = member.user
    needles = _needles(member, user)
    name = pseudonym(member)

    _scrub_audit_trail(member, user, name)
    files_renamed = _clear_file_names(needles)
    notifications_deleted = 0
    if user is not None:
        # Their own inbox: messages to a person who left, with no statistic in them.
        notifications_deleted, _deleted = Notification.objects.filter(recipient=user).delete()
        _scrub_user(user, name)

    member.full_name = name
    member.phone = ""
    member.email = ""
    member.birth_year = None
    member.anonymised_at = timezone.now()
    member.save(update_fields=["full_name", "phone", "email", "birth_year", "anonymised_at", "updated_at"])

    # After the scrubbing above, so that only text people wrote is flagged.
    flagged = _flag_free_text(member, needles)
    # The entry names the member by the pseudonym and counts what was done: none of the removed values.
    audit_log(
        actor=actor,
        action="member.anonymise",
        target=member,
        changes={
            "anonymised": [False, True],
            "texts_flagged": [None, flagged],
            "file_names_cleared": [None, files_renamed],
            "notifications_deleted": [None, notifications_deleted],
        },
    )
    return member


# --- review ---------------------------------------------------------------------------------------------


def _parsed(record: models.Model, name: str, text: str) -> Any:
    field = record._meta.get_field(name)
    if isinstance(field, models.JSONField):
        try:
            value = json.loads(text or "{}")
        except ValueError:
            raise ValidationError({"text": _("This is not valid JSON.")}) from None
    else:
        value = text
    try:
        return field.clean(value, record)
    except ValidationError as exc:
        raise ValidationError({"text": exc.messages}) from None


@transaction.atomic
def review_flag_resolve(*, actor: Any, flag: ReviewFlag, text: str | None = None) -> ReviewFlag:
    """Close a flag: with `text` different from the record's, the record's field is replaced by it
    (edited); otherwise it is kept as it is. The audit entry records the decision, not the text."""
    if not permissions.can_review(actor):
        raise PermissionDenied
    flag = ReviewFlag.objects.select_for_update().select_related("content_type").get(pk=flag.pk)
    if not flag.is_open:
        raise ValidationError(_("This text was reviewed already."), code="reviewed_already")
    outcome = ReviewFlag.Outcome.KEPT
    record = flag.target()
    if record is not None and text is not None:
        value = _parsed(record, flag.field, text)
        if value != getattr(record, flag.field):
            # An update of the one field: other rules of the record (edit windows, closed periods) are
            # for its keepers' edits; removing a name on a member's request is the law's.
            type(record)._default_manager.filter(pk=record.pk).update(**{flag.field: value})
            outcome = ReviewFlag.Outcome.EDITED
    flag.reviewed_at = timezone.now()
    flag.reviewed_by = actor
    flag.outcome = outcome
    flag.save(update_fields=["reviewed_at", "reviewed_by", "outcome"])
    audit_log(actor=actor, action="privacy.review", target=flag, changes={"outcome": [None, outcome]})
    return flag
