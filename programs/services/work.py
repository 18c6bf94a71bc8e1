"""Writes for logged work. Each function checks who may act, validates everything first (the record,
its kind's details, the credits, the trainees, the evidence), then saves and audits in one
transaction: a refused change leaves nothing behind, not even an uploaded file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log, diff_fields
from kpmi_si.changes import numbers_changed_send
from kpmi_si.concurrency import Difference, display, field_differences, version_check
from members import services as member_services
from members.models import Level, Member
from members.permissions import can_manage_kpmi, is_komtik_admin

from .. import evidence, periods, permissions
from ..models import (
    DETAIL_FIELDS,
    DETAIL_MODELS,
    Activity,
    ActivityCredit,
    ActivityKpmi,
    Evidence,
    Kind,
    Publication,
    Status,
)
from .common import _today

COMMON_FIELDS = ("title", "date", "kecamatan", "desa", "summary", "evidence_url")


def _merge(errors: dict[str, list[str]], exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items():
        errors.setdefault(field, []).extend(messages)


def _snapshot(activity: Activity, detail: Any, credited: Sequence[Member], trainees: Sequence[Member]) -> dict:
    """Everything a person may change, as the audit trail compares it."""
    data = {name: getattr(activity, name) for name in (*COMMON_FIELDS, "status")}
    data.update({name: getattr(detail, name) for name in DETAIL_FIELDS[activity.kind]})
    data["credited"] = list(credited)
    if activity.kind == Kind.TRAINING:
        data["trainees"] = list(trainees)
    data["evidence"] = sorted(e.original_name for e in activity.evidence.all()) if activity.pk else []
    return data


def _check_period(actor: Any, day: dt.date | None, *, stored: bool = False) -> None:
    if day is None or is_komtik_admin(actor) or periods.date_is_open(day):
        return
    since = periods.open_since().strftime("%d-%m-%Y")
    if stored:
        message = _("This work is dated before %(date)s: its period is closed and it can no longer be changed.")
    else:
        message = _("Work dated before %(date)s can no longer be logged or moved there; ask KOMTIK.")
    raise ValidationError({"date": message % {"date": since}})


def _validate_credits(
    *,
    actor: Any,
    activity: Activity,
    credited: Sequence[Member],
    trainees: Sequence[Member],
    logged_by_hand: bool = True,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not credited:
        errors["credited"] = [_("Credit at least one member for this work.")]
    seen: set[int] = set()
    for member in credited:
        if member.pk in seen:
            errors.setdefault("credited", []).append(_("%(name)s is credited twice.") % {"name": member.full_name})
        seen.add(member.pk)
    if logged_by_hand and permissions.is_self_logger(actor, activity.kpmi):
        own = permissions.member_of(actor)
        if own is not None and own.pk not in seen:
            errors.setdefault("credited", []).append(_("Credit yourself: you are logging your own work."))
    if activity.kind != Kind.TRAINING:
        return errors
    for member in credited:
        if member.level < Level.TRAINER:
            errors.setdefault("credited", []).append(
                _("%(name)s is not a trainer yet and cannot be credited for a training.") % {"name": member.full_name}
            )
    if not trainees:
        errors["trainees"] = [_("Pick the members who were trained.")]
    seen_trainees: set[int] = set()
    for trainee in trainees:
        if trainee.pk in seen_trainees:
            errors.setdefault("trainees", []).append(_("%(name)s is listed twice.") % {"name": trainee.full_name})
        seen_trainees.add(trainee.pk)
        if trainee.kpmi_id != activity.kpmi_id:
            errors.setdefault("trainees", []).append(
                _("%(name)s is not a member of %(kpmi)s.") % {"name": trainee.full_name, "kpmi": activity.kpmi.name}
            )
        if trainee.pk in seen:
            errors.setdefault("trainees", []).append(
                _("%(name)s cannot be both a trainer and a trainee.") % {"name": trainee.full_name}
            )
    return errors


def _validate(
    *,
    actor: Any,
    activity: Activity,
    detail: Any,
    credited: Sequence[Member],
    trainees: Sequence[Member],
    logged_by_hand: bool = True,
) -> None:
    """Every rule about the record at once, so the form can show every problem in one go."""
    errors: dict[str, list[str]] = {}
    try:
        activity.full_clean(exclude=["created_by", "decided_by"])
    except ValidationError as exc:
        _merge(errors, exc)
    try:
        # The detail row's constraints repeat its fields' validators (participants >= 1...), which
        # report on the field; checking them here would only add a form-wide duplicate.
        detail.full_clean(exclude=["activity", "trainees"], validate_constraints=False)
    except ValidationError as exc:
        _merge(errors, exc)
    if activity.date and activity.date > _today():
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    else:
        try:
            _check_period(actor, activity.date)
        except ValidationError as exc:
            _merge(errors, exc)
    if activity.desa_id and activity.kecamatan_id and activity.desa.kecamatan_id != activity.kecamatan_id:
        errors.setdefault("desa", []).append(_("This village is not in the chosen district."))
    if isinstance(detail, Publication) and detail.channel in Publication.ONLINE_CHANNELS and not detail.link:
        errors.setdefault("link", []).append(_("Give the link to content published online."))
    for field, messages in _validate_credits(
        actor=actor, activity=activity, credited=credited, trainees=trainees, logged_by_hand=logged_by_hand
    ).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_files(files: Iterable[UploadedFile], *, keep: Iterable[Evidence]) -> list[tuple[UploadedFile, str]]:
    checked: list[tuple[UploadedFile, str]] = []
    problems: list[ValidationError] = []
    for upload in files:
        try:
            checked.append((upload, evidence.check_upload(upload)))
        except ValidationError as exc:
            problems.append(exc)
    if problems:
        raise ValidationError({evidence.FIELD: problems})
    kinds = [e.file_kind for e in keep] + [kind for _upload, kind in checked]
    evidence.check_evidence_set(photos=kinds.count(Evidence.FileKind.PHOTO), pdfs=kinds.count(Evidence.FileKind.PDF))
    return checked


@contextmanager
def _files_removed_on_error() -> Iterator[list[str]]:
    """Stored files are not part of the database transaction: when it rolls back, delete the files
    written during it, so a refused change leaves no orphan behind."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        storage = Evidence._meta.get_field("file").storage
        for name in written:
            storage.delete(name)
        raise


def _store_files(
    *, actor: Any, activity: Activity, checked: Sequence[tuple[UploadedFile, str]], written: list[str]
) -> None:
    for upload, file_kind in checked:
        content = evidence.prepared(upload, file_kind)
        item = Evidence(
            activity=activity,
            file_kind=file_kind,
            original_name=str(upload.name)[:255],
            size=content.size,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        item.file.save(upload.name, content, save=False)
        written.append(item.file.name)
        item.save()


def sync_counting_rows(activity: Activity, credited: Sequence[Member]) -> None:
    """Make the credits match `credited` (in order) and the groups taking part match the logging
    group plus the credited members' groups, with the activity's kind, date and status copied onto
    both. A member credited before keeps their row, and so the group they were credited for.

    Every write of an activity goes through here (and demo data and test factories use it), so
    the copies that counting reads never lag behind the activity."""
    existing = {credit.member_id: credit for credit in ActivityCredit.objects.filter(activity=activity)}
    wanted = {member.pk for member in credited}
    ActivityCredit.objects.filter(activity=activity, member_id__in=set(existing) - wanted).delete()
    new_rows: list[ActivityCredit] = []
    moved: list[ActivityCredit] = []
    for position, member in enumerate(credited):
        credit = existing.get(member.pk)
        if credit is None:
            new_rows.append(
                ActivityCredit(
                    activity=activity,
                    member=member,
                    kpmi_id=member.kpmi_id,
                    position=position,
                    kind=activity.kind,
                    date=activity.date,
                    status=activity.status,
                )
            )
        elif credit.position != position:
            credit.position = position
            moved.append(credit)
    ActivityCredit.objects.bulk_update(moved, ["position"])
    ActivityCredit.objects.bulk_create(new_rows)

    groups = {activity.kpmi_id} | {existing[m.pk].kpmi_id if m.pk in existing else m.kpmi_id for m in credited}
    present = set(ActivityKpmi.objects.filter(activity=activity).values_list("kpmi_id", flat=True))
    ActivityKpmi.objects.filter(activity=activity, kpmi_id__in=present - groups).delete()
    ActivityKpmi.objects.bulk_create(
        ActivityKpmi(activity=activity, kpmi_id=pk, kind=activity.kind, date=activity.date, status=activity.status)
        for pk in sorted(groups - present)
    )
    _copy_to_rows(activity)


def _copy_to_rows(activity: Activity) -> None:
    for model in (ActivityCredit, ActivityKpmi):
        model.objects.filter(activity=activity).exclude(
            kind=activity.kind, date=activity.date, status=activity.status
        ).update(kind=activity.kind, date=activity.date, status=activity.status)
    if activity.status == Status.APPROVED:
        _numbers_moved(activity)


def _numbers_moved(activity: Activity) -> None:
    """Approved work counts: whoever keeps numbers of it (the associations' results) hears which
    members and groups it is counted for, and on which date, as the rows stand now."""
    numbers_changed_send(
        on=activity.date,
        kpmi_ids=ActivityKpmi.objects.filter(activity=activity).values_list("kpmi_id", flat=True),
        member_ids=ActivityCredit.objects.filter(activity=activity).values_list("member_id", flat=True),
        work_kind=activity.kind,
    )


def _record_trainers(*, actor: Any, activity: Activity) -> None:
    """An approved training names who trained whom: each trainee without a trainer of record gets
    the first credited trainer, through the members service that audits it."""
    if activity.kind != Kind.TRAINING or activity.status != Status.APPROVED:
        return
    first = activity.credits.select_related("member").order_by("position", "pk").first()
    if first is None:
        return
    for trainee in activity.training.trainees.filter(trained_by__isnull=True).select_related("kpmi"):
        member_services.member_update(actor=actor, member=trainee, data={"trained_by": first.member})


def _value(model: type[models.Model], name: str, value: Any) -> Any:
    """A form's value as the model stores it: text trimmed, and a missing text as "" (text columns
    are never NULL), so that full_clean reports a missing required value as blank."""
    if isinstance(value, str):
        return value.strip()
    model_field = model._meta.get_field(name)
    if value is None and model_field.empty_strings_allowed and not model_field.null:
        return ""
    return value


def _apply(obj: models.Model, names: Iterable[str], data: dict[str, Any]) -> None:
    for name in names:
        if name in data:
            setattr(obj, name, _value(type(obj), name, data[name]))


def _detail_for(activity: Activity, data: dict[str, Any]) -> Any:
    model = DETAIL_MODELS[activity.kind]
    fields = DETAIL_FIELDS[activity.kind]
    return model(activity=activity, **{name: _value(model, name, data.get(name)) for name in fields})


@transaction.atomic
def activity_log(
    *,
    actor: Any,
    kind: str,
    kpmi: Any,
    data: dict[str, Any],
    credited: Sequence[Member],
    trainees: Sequence[Member] = (),
    files: Sequence[UploadedFile] = (),
) -> Activity:
    """Log a piece of work for `kpmi`. A keeper's record counts at once; a member's own record waits
    for a keeper's approval."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown kind of work: {kind!r}")
    if not permissions.can_log_for_kpmi(actor, kpmi):
        raise PermissionDenied
    return _activity_record(
        actor=actor,
        kind=kind,
        kpmi=kpmi,
        data=data,
        credited=credited,
        trainees=trainees,
        files=files,
        approved=can_manage_kpmi(actor, kpmi),
    )


def _activity_record(
    *,
    actor: Any,
    kind: str,
    kpmi: Any,
    data: dict[str, Any],
    credited: Sequence[Member],
    trainees: Sequence[Member] = (),
    files: Sequence[UploadedFile] = (),
    approved: bool,
    logged_by_hand: bool = True,
) -> Activity:
    """Validate and save a piece of work; the caller has checked who may log it. Shared by the
    logging form and by interventions that produce work (a completed volunteer project).
    `logged_by_hand`: False for work another part of the site produced, which the actor does not
    log as their own (an editor publishing a KPMI-mate's article need not credit themselves)."""
    keeper = approved
    activity = Activity(kind=kind, kpmi=kpmi, created_by=actor, status=Status.APPROVED if keeper else Status.PENDING)
    _apply(activity, COMMON_FIELDS, {name: data.get(name) for name in COMMON_FIELDS})
    detail = _detail_for(activity, data)
    credited, trainees = list(credited), list(trainees)
    _validate(
        actor=actor,
        activity=activity,
        detail=detail,
        credited=credited,
        trainees=trainees,
        logged_by_hand=logged_by_hand,
    )
    checked = _check_files(files, keep=())
    with _files_removed_on_error() as written:
        if keeper:
            activity.decided_by, activity.decided_at = actor, timezone.now()
        activity.save()
        detail.activity = activity
        detail.save()
        if kind == Kind.TRAINING:
            detail.trainees.set(trainees)
        sync_counting_rows(activity, credited)
        _store_files(actor=actor, activity=activity, checked=checked, written=written)
        audit_log(
            actor=actor,
            action="activity.log",
            target=activity,
            changes=diff_fields({}, _snapshot(activity, detail, credited, trainees)),
        )
        _record_trainers(actor=actor, activity=activity)
    return activity


@transaction.atomic
def publication_record(
    *,
    actor: Any,
    member: Member,
    title: str,
    date: dt.date,
    kecamatan: Any,
    desa: Any,
    link: str,
    summary: str = "",
) -> Activity:
    """A publication that another part of the site put out (a citizen-journalism article an editor
    published): approved at once, for the author's KPMI, credited to the author only. The caller
    has checked who may publish; this is the one way such work enters the counts."""
    data = {
        "title": title[:200],
        "date": date,
        "kecamatan": kecamatan,
        "desa": desa,
        "summary": summary[:2000],
        "evidence_url": link,
        "channel": Publication.Channel.NEWS_PORTAL,
        "link": link,
    }
    return _activity_record(
        actor=actor,
        kind=Kind.PUBLICATION,
        kpmi=member.kpmi,
        data=data,
        credited=[member],
        approved=True,
        logged_by_hand=False,
    )


def _load_for_change(activity: Activity) -> tuple[Activity, Any, list[Member], list[Member]]:
    """The stored record, locked: two people editing at once are applied one after the other.
    Only the activity's row is locked (`of`), not its group's, which others' edits also read."""
    stored = Activity.objects.select_for_update(of=("self",)).select_related("kpmi").get(pk=activity.pk)
    detail = DETAIL_MODELS[stored.kind].objects.get(activity=stored)
    credited = [c.member for c in stored.credits.select_related("member").order_by("position", "pk")]
    trainees = list(detail.trainees.order_by("full_name", "pk")) if stored.kind == Kind.TRAINING else []
    return stored, detail, credited, trainees


def _check_may_change(actor: Any, stored: Activity) -> None:
    if not permissions.can_change_activity(actor, stored):
        raise PermissionDenied
    _check_period(actor, stored.date, stored=True)


def _differences(
    stored: Activity,
    detail: Any,
    old_credited: Sequence[Member],
    old_trainees: Sequence[Member],
    *,
    data: dict[str, Any],
    credited: Sequence[Member],
    trainees: Sequence[Member],
    files: Sequence[UploadedFile],
    remove_evidence: Iterable[int],
) -> list[Difference]:
    """What an edit would change in the stored record, with the values stored now."""
    found = field_differences(stored, COMMON_FIELDS, data)
    found += field_differences(detail, DETAIL_FIELDS[stored.kind], data)
    if [m.pk for m in credited] != [m.pk for m in old_credited]:
        found.append((_("Credited members"), display([m.full_name for m in old_credited])))
    if stored.kind == Kind.TRAINING and {m.pk for m in trainees} != {m.pk for m in old_trainees}:
        found.append((_("Trainees"), display([m.full_name for m in old_trainees])))
    if files or remove_evidence:
        found.append((_("Photos or PDF"), display(sorted(e.original_name for e in stored.evidence.all()))))
    return found


@transaction.atomic
def activity_update(
    *,
    actor: Any,
    activity: Activity,
    data: dict[str, Any],
    credited: Sequence[Member],
    trainees: Sequence[Member] = (),
    files: Sequence[UploadedFile] = (),
    remove_evidence: Iterable[int] = (),
    version: str | None = None,
) -> Activity:
    """Change a record. A member who is not a keeper changing their own record sends it back for
    approval: what they changed has not been checked by anyone yet.

    `version` is the version the edit form was opened on (kpmi_si.concurrency): a form older than
    the stored record is refused rather than saved over someone else's change."""
    stored, detail, old_credited, old_trainees = _load_for_change(activity)
    _check_may_change(actor, stored)
    if stored.status == Status.APPROVED:
        _numbers_moved(stored)  # what it counted for until now (its date and credits may change)
    remove_evidence = list(remove_evidence)
    version_check(
        stored=stored,
        version=version,
        differences=_differences(
            stored,
            detail,
            old_credited,
            old_trainees,
            data=data,
            credited=credited,
            trainees=trainees,
            files=files,
            remove_evidence=remove_evidence,
        ),
    )
    before = _snapshot(stored, detail, old_credited, old_trainees)
    _apply(stored, COMMON_FIELDS, data)
    _apply(detail, DETAIL_FIELDS[stored.kind], data)
    credited, trainees = list(credited), list(trainees)
    _validate(actor=actor, activity=stored, detail=detail, credited=credited, trainees=trainees)

    remove_ids = set(remove_evidence)
    current = list(stored.evidence.all())
    unknown = remove_ids - {e.pk for e in current}
    if unknown:
        raise ValidationError({"remove_evidence": _("That file does not belong to this record.")})
    dropped = [e for e in current if e.pk in remove_ids]
    checked = _check_files(files, keep=[e for e in current if e.pk not in remove_ids])

    resubmitted = not can_manage_kpmi(actor, stored.kpmi) and stored.status != Status.PENDING
    with _files_removed_on_error() as written:
        if resubmitted:
            stored.status, stored.rejection_reason = Status.PENDING, ""
            stored.decided_by = stored.decided_at = None
        stored.save()
        detail.save()
        if stored.kind == Kind.TRAINING:
            detail.trainees.set(trainees)
        sync_counting_rows(stored, credited)
        for item in dropped:
            name, storage = item.file.name, item.file.storage
            item.delete()
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        _store_files(actor=actor, activity=stored, checked=checked, written=written)
        changes = diff_fields(before, _snapshot(stored, detail, credited, trainees))
        if changes:
            audit_log(actor=actor, action="activity.update", target=stored, changes=changes)
        _record_trainers(actor=actor, activity=stored)
    return stored


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    """Remove a record and its files. The audit entry keeps what it was, for the record."""
    stored, detail, credited, trainees = _load_for_change(activity)
    _check_may_change(actor, stored)
    before = _snapshot(stored, detail, credited, trainees)
    files = [(e.file.name, e.file.storage) for e in stored.evidence.all()]
    audit_log(
        actor=actor,
        action="activity.delete",
        target=stored,
        changes={name: [value[1], None] for name, value in diff_fields({}, before).items()},
    )
    if stored.status == Status.APPROVED:
        _numbers_moved(stored)
    # Trainers recorded from this training stay: the training happened, only its record is gone.
    stored.delete()
    for name, storage in files:
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


def _decide(*, actor: Any, activity: Activity) -> Activity:
    stored = Activity.objects.select_for_update(of=("self",)).select_related("kpmi").get(pk=activity.pk)
    if not permissions.can_decide_activity(actor, stored):
        raise PermissionDenied
    if stored.status != Status.PENDING:
        raise ValidationError({"status": _("Only work awaiting approval can be approved or rejected.")})
    _check_period(actor, stored.date, stored=True)
    return stored


def _set_status(*, actor: Any, activity: Activity, status: str, reason: str = "") -> None:
    old = activity.status
    activity.status, activity.rejection_reason = status, reason
    activity.decided_by, activity.decided_at = actor, timezone.now()
    activity.full_clean(exclude=["created_by", "decided_by", "kecamatan", "desa", "kpmi"])
    activity.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at", "updated_at"])
    _copy_to_rows(activity)
    audit_log(
        actor=actor,
        action=f"activity.{'approve' if status == Status.APPROVED else 'reject'}",
        target=activity,
        changes={"status": [old, status]},
        note=reason,
    )


@transaction.atomic
def activity_approve(*, actor: Any, activity: Activity) -> Activity:
    """A keeper confirms a member's own record; from now on it counts."""
    stored = _decide(actor=actor, activity=activity)
    _set_status(actor=actor, activity=stored, status=Status.APPROVED)
    _record_trainers(actor=actor, activity=stored)
    return stored


@transaction.atomic
def activity_reject(*, actor: Any, activity: Activity, reason: str) -> Activity:
    """A keeper turns a member's own record down, saying why; the member may fix it and resubmit."""
    stored = _decide(actor=actor, activity=activity)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the work is rejected, so the member can fix it.")})
    _set_status(actor=actor, activity=stored, status=Status.REJECTED, reason=reason)
    return stored
