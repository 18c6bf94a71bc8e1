"""Writes for KPMI groups and members. Every function here checks the rules, validates, saves and
audits in one transaction: a refused change leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log, diff_fields
from kpmi_si.changes import numbers_changed_send
from kpmi_si.concurrency import field_differences, version_check

from . import permissions
from .models import Kpmi, KpmiRole, Level, LevelChange, Member

MEMBER_EDITABLE_FIELDS = ("full_name", "phone", "email", "gender", "birth_year", "joined_on", "trained_by")
KPMI_EDITABLE_FIELDS = (
    "name",
    "kecamatan",
    "desa",
    "address",
    "latitude",
    "longitude",
    "founded_on",
    "status",
    "description",
    "founded_from",
    "founded_by",
)


def _today() -> dt.date:
    return timezone.localdate()


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def member_check_trainer(member: Member) -> None:
    """Who may be named as a member's trainer (also applied by the admin's member form)."""
    trainer = member.trained_by
    if trainer is None:
        return
    if member.pk and trainer.pk == member.pk:
        raise ValidationError({"trained_by": _("A member cannot be their own trainer.")})
    if trainer.level < Level.TRAINER:
        raise ValidationError({"trained_by": _("The trainer must be at least at the trainer level.")})


def member_register(
    *,
    actor: Any,
    kpmi: Kpmi,
    full_name: str,
    gender: str,
    birth_year: int,
    joined_on: dt.date,
    phone: str = "",
    email: str = "",
    trained_by: Member | None = None,
    level: int = Level.TRAINER_CANDIDATE,
    reason: str = "",
) -> Member:
    """Add a member to a KPMI together with the history row that puts them at their first level."""
    if not permissions.can_manage_kpmi(actor, kpmi):
        raise PermissionDenied
    if level not in permissions.allowed_initial_levels(actor):
        raise ValidationError({"level": _("You may only register new members as trainer candidates.")})
    if level != Level.TRAINER_CANDIDATE and not reason.strip():
        raise ValidationError({"reason": _("Explain why this member starts above trainer candidate.")})

    member = Member(
        kpmi=kpmi,
        full_name=full_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        gender=gender,
        birth_year=birth_year,
        joined_on=joined_on,
        level=level,
        trained_by=trained_by,
    )
    member.full_clean()
    member_check_trainer(member)
    with transaction.atomic():
        member.save()
        LevelChange.objects.create(
            member=member,
            kind=LevelChange.Kind.REGISTRATION,
            from_level=None,
            to_level=level,
            effective_on=joined_on,
            reason=reason.strip() or _("Registered as a new member."),
            recorded_by=actor,
        )
        audit_log(
            actor=actor,
            action="member.register",
            target=member,
            changes={"level": [None, level], "kpmi": [None, {"id": kpmi.pk, "text": kpmi.name}]},
        )
        numbers_changed_send(on=joined_on, kpmi_ids=[kpmi.pk], member_ids=[member.pk])
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, data: dict[str, Any], version: str | None = None) -> Member:
    """Change a member's personal data. Level and KPMI are not editable here: levels move only
    through `member_change_level`, so that history always explains them.

    `version` is the version the edit form was opened on (kpmi_si.concurrency): a form older than
    the stored member is refused rather than saved over someone else's change."""
    unknown = set(data) - set(MEMBER_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable through member_update: {sorted(unknown)}")
    # Locked: the version compared here is the one saved over, with no save in between.
    member = Member.objects.select_for_update(of=("self",)).select_related("kpmi").get(pk=member.pk)
    if not permissions.can_manage_kpmi(actor, member.kpmi):
        raise PermissionDenied
    if member.is_anonymised:
        # Editing would put back what was removed on the member's request (kpmi_si.privacy).
        raise ValidationError(_("This member's personal data was removed; it can no longer be edited."))
    version_check(stored=member, version=version, differences=field_differences(member, MEMBER_EDITABLE_FIELDS, data))
    before = _snapshot(member, MEMBER_EDITABLE_FIELDS)
    for name, value in data.items():
        setattr(member, name, value.strip() if isinstance(value, str) else value)
    member.full_clean()
    member_check_trainer(member)
    changes = diff_fields(before, _snapshot(member, MEMBER_EDITABLE_FIELDS))
    if not changes:
        return member
    member.save()
    audit_log(actor=actor, action="member.update", target=member, changes=changes)
    return member


def member_change_level(
    *,
    actor: Any,
    member: Member,
    to_level: int,
    reason: str,
    evidence: str = "",
    effective_on: dt.date | None = None,
) -> LevelChange:
    """Move a member on the ladder, writing the dated history row and the audit entry together."""
    effective_on = effective_on or _today()
    with transaction.atomic():
        # Lock the row: two officers promoting the same member at once must not both succeed.
        member = Member.objects.select_for_update().select_related("kpmi").get(pk=member.pk)
        if to_level == member.level:
            raise ValidationError({"to_level": _("The member is already at this level.")})
        if to_level not in Level.values:
            raise ValidationError({"to_level": _("Unknown level.")})
        if to_level not in permissions.allowed_level_targets(actor, member):
            raise ValidationError(
                {
                    "to_level": _("You may not move this member from %(old)s to %(new)s.")
                    % {"old": Level(member.level).label, "new": Level(to_level).label}
                }
            )
        if not reason.strip():
            raise ValidationError({"reason": _("Give a reason for the level change.")})
        if effective_on > _today():
            raise ValidationError({"effective_on": _("The date cannot be in the future.")})
        last = member.level_changes.order_by("-effective_on", "-recorded_at").first()
        if last and effective_on < last.effective_on:
            raise ValidationError(
                {
                    "effective_on": _("The date cannot be before the previous level change (%(date)s).")
                    % {"date": last.effective_on.isoformat()}
                }
            )
        kind = LevelChange.Kind.PROMOTION if to_level == member.level + 1 else LevelChange.Kind.CORRECTION
        change = LevelChange(
            member=member,
            kind=kind,
            from_level=member.level,
            to_level=to_level,
            effective_on=effective_on,
            reason=reason.strip(),
            evidence=evidence.strip(),
            recorded_by=actor,
        )
        change.full_clean()
        change.save()
        old_level = member.level
        member.level = to_level
        member.save(update_fields=["level", "updated_at"])
        # A new trainer counts for the group; a manager becomes (or stops being) a subject of targets.
        numbers_changed_send(on=effective_on, kpmi_ids=[member.kpmi_id], member_ids=[member.pk])
        audit_log(
            actor=actor,
            action="member.level_change",
            target=member,
            changes={"level": [old_level, to_level]},
            note=change.reason,
        )
    return change


def _validate_kpmi(kpmi: Kpmi) -> None:
    kpmi.full_clean()
    kpmi_check_rules(kpmi)


def kpmi_check_rules(kpmi: Kpmi) -> None:
    """A group's rules beyond its fields' own: village in its district, founding date, lineage (also
    applied by the admin's KPMI form)."""
    errors: dict[str, str] = {}
    if kpmi.desa_id and kpmi.desa.kecamatan_id != kpmi.kecamatan_id:
        errors["desa"] = _("This village is not in the chosen district.")
    if kpmi.founded_on and kpmi.founded_on > _today():
        errors["founded_on"] = _("The founding date cannot be in the future.")
    if kpmi.pk and kpmi.founded_from_id == kpmi.pk:
        errors["founded_from"] = _("A KPMI cannot be founded from itself.")
    founder = kpmi.founded_by
    if founder is not None:
        if kpmi.pk and founder.kpmi_id == kpmi.pk:
            errors["founded_by"] = _("The founding pioneer must come from another KPMI.")
        elif founder.level < Level.MANAGER:
            errors["founded_by"] = _("The founding pioneer must be at least a manager.")
        elif kpmi.founded_from_id and kpmi.founded_from_id != founder.kpmi_id:
            errors["founded_from"] = _("The founding pioneer is a member of %(kpmi)s, not of this KPMI.") % {
                "kpmi": founder.kpmi.name
            }
    if errors:
        raise ValidationError(errors)


def _credit_founder(*, actor: Any, kpmi: Kpmi) -> None:
    """Founding a KPMI is what makes a manager a pioneer (pengelola -> perintis)."""
    founder = kpmi.founded_by
    if founder is None or founder.level != Level.MANAGER:
        return
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=founder.pk)
        if locked.level != Level.MANAGER:
            return
        LevelChange.objects.create(
            member=locked,
            kind=LevelChange.Kind.PROMOTION,
            from_level=Level.MANAGER,
            to_level=Level.PIONEER,
            effective_on=min(kpmi.founded_on, _today()),
            reason=_("Founded %(kpmi)s.") % {"kpmi": kpmi.display_name},
            evidence=kpmi.get_absolute_url(),
            recorded_by=actor,
        )
        locked.level = Level.PIONEER
        locked.save(update_fields=["level", "updated_at"])
        numbers_changed_send(on=min(kpmi.founded_on, _today()), kpmi_ids=[locked.kpmi_id], member_ids=[locked.pk])
        audit_log(
            actor=actor,
            action="member.level_change",
            target=locked,
            changes={"level": [Level.MANAGER, Level.PIONEER]},
            note=_("Founded %(kpmi)s.") % {"kpmi": kpmi.display_name},
        )


def kpmi_create(*, actor: Any, data: dict[str, Any]) -> Kpmi:
    """Register a group. When a founding pioneer is named, the origin KPMI follows from them and a
    founder still at manager level is promoted to pioneer."""
    if not permissions.can_create_kpmi(actor):
        raise PermissionDenied
    kpmi = Kpmi(**{k: v for k, v in data.items() if k in KPMI_EDITABLE_FIELDS})
    if kpmi.founded_by is not None and kpmi.founded_from_id is None:
        kpmi.founded_from = kpmi.founded_by.kpmi
    _validate_kpmi(kpmi)
    with transaction.atomic():
        kpmi.save()
        audit_log(
            actor=actor,
            action="kpmi.create",
            target=kpmi,
            changes=diff_fields({}, _snapshot(kpmi, KPMI_EDITABLE_FIELDS)),
        )
        _credit_founder(actor=actor, kpmi=kpmi)
        if kpmi.founded_on:
            # A new group to evaluate, and a founding that counts for the group it grew from.
            numbers_changed_send(on=kpmi.founded_on, kpmi_ids=[kpmi.pk, kpmi.founded_from_id])
    return kpmi


@transaction.atomic
def kpmi_update(*, actor: Any, kpmi: Kpmi, data: dict[str, Any], version: str | None = None) -> Kpmi:
    """Change a group's record; `version` as in `member_update`."""
    kpmi = Kpmi.objects.select_for_update(of=("self",)).get(pk=kpmi.pk)
    if not permissions.can_edit_kpmi(actor, kpmi):
        raise PermissionDenied
    data = {name: value for name, value in data.items() if name in KPMI_EDITABLE_FIELDS}
    version_check(stored=kpmi, version=version, differences=field_differences(kpmi, KPMI_EDITABLE_FIELDS, data))
    lineage_changed = any(name in data and data[name] != getattr(kpmi, name) for name in ("founded_from", "founded_by"))
    if lineage_changed and not permissions.can_create_kpmi(actor):
        # The lineage decides who became a pioneer; a group's own keepers cannot rewrite it.
        raise ValidationError({"founded_by": _("Only KOMTIK or the Communities association may change the lineage.")})
    before = _snapshot(kpmi, KPMI_EDITABLE_FIELDS)
    for name, value in data.items():
        setattr(kpmi, name, value)
    if kpmi.founded_by is not None and kpmi.founded_from_id is None:
        kpmi.founded_from = kpmi.founded_by.kpmi
    _validate_kpmi(kpmi)
    changes = diff_fields(before, _snapshot(kpmi, KPMI_EDITABLE_FIELDS))
    if not changes:
        return kpmi
    kpmi.save()
    audit_log(actor=actor, action="kpmi.update", target=kpmi, changes=changes)
    if "founded_by" in changes:
        _credit_founder(actor=actor, kpmi=kpmi)
        if kpmi.founded_on:
            # A new group to evaluate, and a founding that counts for the group it grew from.
            numbers_changed_send(on=kpmi.founded_on, kpmi_ids=[kpmi.pk, kpmi.founded_from_id])
    return kpmi


def kpmi_role_assign(*, actor: Any, kpmi: Kpmi, user: Any, role: str, since: dt.date | None = None) -> KpmiRole:
    """Give `user` a current role on `kpmi` from `since` (today by default)."""
    if not permissions.can_assign_kpmi_roles(actor):
        raise PermissionDenied
    since = since or _today()
    if role not in KpmiRole.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if since > _today():
        raise ValidationError({"since": _("The date cannot be in the future.")})
    with transaction.atomic():
        # The group's row is the lock: two officers appointing the same person at once get the
        # message below, not an IntegrityError from the unique constraint.
        Kpmi.objects.select_for_update().get(pk=kpmi.pk)
        if KpmiRole.objects.current().filter(kpmi=kpmi, user=user, role=role).exists():
            raise ValidationError({"role": _("%(user)s already holds this role in this KPMI.") % {"user": user}})
        assignment = KpmiRole(kpmi=kpmi, user=user, role=role, since=since)
        assignment.full_clean(validate_constraints=False)
        assignment.save()
        audit_log(
            actor=actor,
            action="kpmi.role_assign",
            target=kpmi,
            changes={"role": [None, f"{user} ({role})"], "since": [None, since.isoformat()]},
        )
    return assignment


def kpmi_role_end(*, actor: Any, assignment: KpmiRole, until: dt.date | None = None) -> KpmiRole:
    """End a current role on `until` (today by default), its last day. The row stays as history."""
    if not permissions.can_assign_kpmi_roles(actor):
        raise PermissionDenied
    until = until or _today()
    with transaction.atomic():
        assignment = KpmiRole.objects.select_for_update().select_related("kpmi", "user").get(pk=assignment.pk)
        if assignment.until is not None:
            raise ValidationError(_("This role has already ended."))
        if until > _today():
            raise ValidationError({"until": _("The date cannot be in the future.")})
        if assignment.since and until < assignment.since:
            raise ValidationError(
                {"until": _("The end cannot be before the start (%(date)s).") % {"date": assignment.since.isoformat()}}
            )
        assignment.until = until
        assignment.save(update_fields=["until"])
        audit_log(
            actor=actor,
            action="kpmi.role_end",
            target=assignment.kpmi,
            changes={"role": [f"{assignment.user} ({assignment.role})", None], "until": [None, until.isoformat()]},
        )
    return assignment
