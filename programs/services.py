"""Writes for logged work. Each function checks who may act, validates everything first (the record,
its kind's details, the credits, the trainees, the evidence), then saves and audits in one
transaction: a refused change leaves nothing behind, not even an uploaded file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log, diff_fields
from members import services as member_services
from members.models import KpmiRole, Level, Member
from members.permissions import can_manage_kpmi, is_komtik_admin

from . import evidence, periods, permissions, selectors
from .models import (
    DETAIL_FIELDS,
    DETAIL_MODELS,
    PARTICIPANTS_NEED_EDUCATION,
    Activity,
    ActivityCredit,
    ActivityKpmi,
    AssociationAward,
    CollaborationProgram,
    CollaborationWork,
    Competition,
    CompetitionStanding,
    Deployment,
    Evidence,
    Invitation,
    Kind,
    Notification,
    ProjectSignup,
    Publication,
    Status,
    TotEvent,
    VolunteerProject,
)

COMMON_FIELDS = ("title", "date", "kecamatan", "desa", "summary", "evidence_url")


def _today() -> dt.date:
    return timezone.localdate()


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
    *, actor: Any, activity: Activity, credited: Sequence[Member], trainees: Sequence[Member]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not credited:
        errors["credited"] = [_("Credit at least one member for this work.")]
    seen: set[int] = set()
    for member in credited:
        if member.pk in seen:
            errors.setdefault("credited", []).append(_("%(name)s is credited twice.") % {"name": member.full_name})
        seen.add(member.pk)
    if permissions.is_self_logger(actor, activity.kpmi):
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
        actor=actor, activity=activity, credited=credited, trainees=trainees
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
) -> Activity:
    """Validate and save a piece of work; the caller has checked who may log it. Shared by the
    logging form and by interventions that produce work (a completed volunteer project)."""
    keeper = approved
    activity = Activity(kind=kind, kpmi=kpmi, created_by=actor, status=Status.APPROVED if keeper else Status.PENDING)
    _apply(activity, COMMON_FIELDS, {name: data.get(name) for name in COMMON_FIELDS})
    detail = _detail_for(activity, data)
    credited, trainees = list(credited), list(trainees)
    _validate(actor=actor, activity=activity, detail=detail, credited=credited, trainees=trainees)
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
) -> Activity:
    """Change a record. A member who is not a keeper changing their own record sends it back for
    approval: what they changed has not been checked by anyone yet."""
    stored, detail, old_credited, old_trainees = _load_for_change(activity)
    _check_may_change(actor, stored)
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


def _site_url() -> str:
    return settings.SITE_URL


# --- Notifications ----------------------------------------------------------------------------------


def notification_send(*, recipient: Any, message: Callable[[], str], link: str = "", subject: str = "") -> None:
    """Tell a user something, in the app and by e-mail, in the user's own language.

    `message` is a callable so that it is rendered under the recipient's language, not the actor's.
    The e-mail is handed to a background job once the change it reports is committed, so that an
    officer sending fifty invitations does not wait for fifty SMTP conversations."""
    if recipient is None or not recipient.is_active:
        return
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        text = str(message())
        title = (str(subject) or _("SI KPMI notification")) if recipient.email else ""
    notification = Notification.objects.create(recipient=recipient, message=text[:500], link=link, email_subject=title)
    if title:
        from .tasks import notification_email_task

        transaction.on_commit(lambda: notification_email_task.delay(notification.pk))


def notification_email(*, notification_id: int) -> bool:
    """Send one notification's e-mail copy, unless it went already (a redelivered task). Returns
    whether a mail left. A worker killed between sending and marking sends it once more on the
    rerun: a second copy of a message is better than an invitation nobody hears of."""
    notification = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .exclude(email_subject="")
        .select_related("recipient")
        .first()
    )
    if notification is None or not notification.recipient.email:
        return False
    link = f"{_site_url()}{notification.link}" if notification.link else ""
    body = f"{notification.message}\n\n{link}" if link else notification.message
    send_mail(notification.email_subject, body, None, [notification.recipient.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def notifications_mark_read(*, user: Any, pk: int | None = None) -> int:
    """Mark one (or every) unread notification of the user as read."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=timezone.now())


def _notify_member_side(invitation: Invitation, message: Callable[[], str]) -> None:
    """The invited member and the keepers of their group: either may answer."""
    users = {role.user for role in KpmiRole.objects.filter(kpmi=invitation.member.kpmi_id).select_related("user")}
    if invitation.member.user is not None:
        users.add(invitation.member.user)
    for user in users:
        notification_send(recipient=user, message=message, link=invitation.get_absolute_url())


def _notify_officers(invitation: Invitation, message: Callable[[], str]) -> None:
    code = permissions.COMMUNITIES if invitation.is_tot else permissions.USERS
    officers = get_user_model().objects.filter(officer__association__code=code, is_active=True)
    for user in officers:
        notification_send(recipient=user, message=message, link=invitation.event.get_absolute_url())


# --- Central ToT: events and invitations ------------------------------------------------------------

TOT_EDITABLE_FIELDS = ("name", "date", "venue", "capacity", "respond_by", "status")


def _require_tot_officer(actor: Any) -> None:
    if not permissions.can_run_tot(actor):
        raise PermissionDenied


def _check_tot_event(event: TotEvent) -> None:
    event.full_clean()
    if event.respond_by and event.respond_by >= event.date:
        raise ValidationError({"respond_by": _("Answers must be due before the day of the ToT.")})


@transaction.atomic
def tot_event_create(
    *,
    actor: Any,
    name: str,
    date: dt.date,
    capacity: int,
    venue: str = "KOMTIK Garut",
    respond_by: dt.date | None = None,
) -> TotEvent:
    _require_tot_officer(actor)
    event = TotEvent(
        name=name.strip(), date=date, capacity=capacity, venue=venue.strip(), respond_by=respond_by, created_by=actor
    )
    _check_tot_event(event)
    if event.date < _today():
        raise ValidationError({"date": _("A new ToT cannot be scheduled in the past.")})
    if event.respond_by and event.respond_by < _today():
        # Its invitations could never be answered (nor sent: see invitations_send).
        raise ValidationError({"respond_by": _("The answer date cannot be in the past.")})
    event.save()
    audit_log(
        actor=actor,
        action="tot.create",
        target=event,
        changes=diff_fields({}, {name: getattr(event, name) for name in TOT_EDITABLE_FIELDS}),
    )
    return event


def _seats_taken(event: TotEvent) -> int:
    return event.invitations.filter(status__in=Invitation.HOLDS_A_SEAT).count()


@transaction.atomic
def tot_event_update(*, actor: Any, event: TotEvent, data: dict[str, Any]) -> TotEvent:
    """Change a ToT; raising its capacity is how an officer makes room for more invitations.

    Cancelling is final: every open invitation is withdrawn (so nobody can still accept it, and its
    candidates are free for the next ToT) and the member side of those already sent is told."""
    _require_tot_officer(actor)
    event = TotEvent.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status == TotEvent.Status.CANCELLED:
        raise ValidationError(_("This ToT was cancelled; schedule a new one instead."))
    before = {name: getattr(event, name) for name in TOT_EDITABLE_FIELDS}
    for name, value in data.items():
        if name not in TOT_EDITABLE_FIELDS:
            raise ValueError(f"Not editable through tot_event_update: {name}")
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    _check_tot_event(event)
    cancelling = event.status == TotEvent.Status.CANCELLED
    if cancelling and event.invitations.filter(status__in=TOT_RECORDED).exists():
        raise ValidationError(
            {"status": _("Attendance is already recorded for this ToT; it can no longer be cancelled.")}
        )
    taken = _seats_taken(event)
    if not cancelling and event.capacity < taken:
        raise ValidationError(
            {"capacity": _("%(n)s invitations are already sent; the capacity cannot be lower.") % {"n": taken}}
        )
    changes = diff_fields(before, {name: getattr(event, name) for name in TOT_EDITABLE_FIELDS})
    if changes:
        event.save()
        audit_log(actor=actor, action="tot.update", target=event, changes=changes)
    if cancelling:
        _withdraw_open_invitations(actor=actor, event=event)
    return event


# Attendance or a result is on record: the ToT took place.
TOT_RECORDED = (
    Invitation.Status.ATTENDED,
    Invitation.Status.ABSENT,
    Invitation.Status.PASSED,
    Invitation.Status.FAILED,
)


def _withdraw_open_invitations(*, actor: Any, event: TotEvent) -> None:
    open_rows = (
        event.invitations.select_for_update(of=("self",))
        .filter(status__in=[Invitation.Status.PROPOSED, Invitation.Status.SENT, Invitation.Status.ACCEPTED])
        .select_related("member__kpmi", "member__user", "tot_event")
        .order_by("pk")
    )
    for invitation in open_rows:
        was_sent = invitation.status != Invitation.Status.PROPOSED
        _move(actor=actor, invitation=invitation, to=Invitation.Status.WITHDRAWN, action="invitation.withdraw")
        if was_sent:
            _notify_member_side(
                invitation,
                lambda inv=invitation: (
                    _("%(event)s is cancelled; the invitation of %(member)s is withdrawn.")
                    % {"event": inv.event.name, "member": inv.member.full_name}
                ),
            )


def _upcoming_tot(today: dt.date) -> TotEvent | None:
    """The ToT that proposals are for: the next scheduled one whose answers are still open."""
    for event in TotEvent.objects.filter(status=TotEvent.Status.SCHEDULED, date__gt=today).order_by("date", "pk"):
        if event.answer_deadline >= today:
            return event
    return None


def _remaining_candidates(event: TotEvent, kpmi_id: int) -> models.QuerySet[Member]:
    """Trainer candidates of a group not yet invited to this ToT and not waiting for another one.
    Someone who declined, missed or failed an earlier ToT is a candidate again."""
    return selectors.tot_candidates(event, kpmi_id=kpmi_id)


def tot_invitations_propose(*, evaluation_id: int, today: dt.date | None = None) -> int:
    """After an evaluation: propose the upcoming ToT to every remaining trainer candidate of each
    KPMI behind its trainer target. Returns how many proposals were written.

    Safe to run twice and after a killed worker: each KPMI is written in its own transaction and
    the unique constraint (event, member) makes a repeated insert a no-op, so a rerun only adds what
    the interrupted run had not reached."""
    from associations.models import Evaluation, TargetResult

    today = today or _today()
    evaluation = Evaluation.objects.filter(pk=evaluation_id, status=Evaluation.Status.SUCCEEDED).first()
    if evaluation is None:
        return 0
    event = _upcoming_tot(today)
    if event is None:
        return 0
    behind = (
        TargetResult.objects.filter(
            period_id=evaluation.period_id,
            metric="new_trainers",
            member__isnull=True,
            status__in=[TargetResult.Status.BEHIND, TargetResult.Status.NOT_STARTED],
        )
        .order_by("kpmi_id")
        .values_list("kpmi_id", flat=True)
    )
    written = 0
    for kpmi_id in behind:
        with transaction.atomic():
            candidates = list(_remaining_candidates(event, kpmi_id).values_list("pk", flat=True))
            written += _propose(event, kpmi_id, candidates, evaluation)
    return written


def _propose(event: TotEvent | CollaborationProgram, kpmi_id: int, member_ids: list[int], evaluation: Any) -> int:
    """Propose invitations of these members of one KPMI to the event, as an evaluation asked. A
    database rule allows one invitation per member and event, so a second or concurrent run adds
    nothing twice. Returns how many this call added, each audited."""
    field = _event_field(event)
    Invitation.objects.bulk_create(
        [
            Invitation(**{field: event}, member_id=member_id, kpmi_id=kpmi_id, proposed_by_evaluation=evaluation)
            for member_id in member_ids
        ],
        ignore_conflicts=True,
    )
    # ignore_conflicts returns no primary keys: read back what this run added, to audit it.
    added = Invitation.objects.filter(**{field: event}, member_id__in=member_ids, proposed_by_evaluation=evaluation)
    written = 0
    for invitation in added.order_by("pk"):
        audit_log(
            actor=None,
            action="invitation.propose",
            target=invitation,
            changes={"status": [None, Invitation.Status.PROPOSED]},
            note=f"evaluation {evaluation.pk}",
        )
        written += 1
    return written


@transaction.atomic
def invitation_propose(
    *, actor: Any, event: TotEvent, member: Member, capacity: int | None = None, today: dt.date | None = None
) -> Invitation:
    """An officer adds someone the job did not propose (e.g. a candidate from a group on target).

    Capacity rules apply to a hand-picked candidate: unlike the job's proposals, which the officer
    then trims, the officer is choosing a seat for this person, so it must fit among the seats taken
    and the proposals waiting. `capacity`, when given, raises the ToT's capacity first (audited as
    any change of the ToT), in the same transaction: if the candidate is refused, it stays as it was."""
    _require_tot_officer(actor)
    today = today or _today()
    # Lock the event: two officers adding the last place at once must not both get it.
    event = TotEvent.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status == TotEvent.Status.CANCELLED:
        raise ValidationError(_("This ToT was cancelled."))
    if event.date < today:
        raise ValidationError(_("This ToT has taken place; candidates can no longer be added."))
    if member.level != Level.TRAINER_CANDIDATE:
        raise ValidationError({"member": _("%(name)s is not a trainer candidate.") % {"name": member.full_name}})
    if event.invitations.filter(member=member).exists():
        raise ValidationError(
            {"member": _("%(name)s is already on the list of this ToT.") % {"name": member.full_name}}
        )
    if not selectors.tot_candidates(event).filter(pk=member.pk).exists():
        raise ValidationError({"member": _("%(name)s is already invited to another ToT.") % {"name": member.full_name}})
    if capacity is not None and capacity != event.capacity:
        event = tot_event_update(actor=actor, event=event, data={"capacity": capacity})
    used = selectors.tot_places_used(event)
    if used >= event.capacity:
        raise ValidationError(
            {
                "capacity": _(
                    "All %(capacity)s places are taken or proposed (%(used)s). Raise the capacity to add "
                    "%(name)s, or withdraw a proposal first."
                )
                % {"capacity": event.capacity, "used": used, "name": member.full_name}
            }
        )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(tot_event=event, member=member, kpmi_id=member.kpmi_id)
    except IntegrityError:
        raise ValidationError(
            {"member": _("%(name)s is already on the list of this ToT.") % {"name": member.full_name}}
        ) from None
    audit_log(
        actor=actor,
        action="invitation.propose",
        target=invitation,
        changes={"status": [None, invitation.status]},
        note="added by hand",
    )
    return invitation


def _move(*, actor: Any, invitation: Invitation, to: str, action: str, **fields: Any) -> Invitation:
    """Move one invitation along the state machine, refusing any edge it does not allow."""
    if not invitation.can_move_to(to):
        raise ValidationError(
            _("This invitation is %(state)s; it cannot become %(new)s.")
            % {"state": invitation.get_status_display(), "new": Invitation.Status(to).label}
        )
    old = invitation.status
    invitation.status = to
    for name, value in fields.items():
        setattr(invitation, name, value)
    invitation.save(update_fields=["status", *fields])
    audit_log(actor=actor, action=action, target=invitation, changes={"status": [old, to]})
    return invitation


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("tot_event", "program", "member__kpmi", "member__user")
        .get(pk=invitation.pk)
    )


def _event_field(event: TotEvent | CollaborationProgram) -> str:
    return "tot_event" if isinstance(event, TotEvent) else "program"


def _require_event_officer(actor: Any, event: TotEvent | CollaborationProgram) -> None:
    if not permissions.can_run_event(actor, event):
        raise PermissionDenied


@transaction.atomic
def invitations_send(*, actor: Any, event: TotEvent | CollaborationProgram, invitation_ids: Iterable[int]) -> int:
    """Send chosen proposals. For a ToT, refused as a whole if they would not fit: the officer
    raises the capacity or sends fewer."""
    _require_event_officer(actor, event)
    # Lock the event: two officers sending at once must not both fill the last seats.
    event = type(event).objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status == "cancelled":
        raise ValidationError(_("This event was cancelled."))
    # An invitation nobody can answer any more would only be noise in the member's inbox.
    if _today() > event.answer_deadline:
        raise ValidationError(
            _("Answers to %(event)s closed on %(date)s: move the answer date or the event before sending.")
            % {"event": event.name, "date": event.answer_deadline.strftime("%d-%m-%Y")}
        )
    chosen = list(
        Invitation.objects.select_for_update(of=("self",))
        .select_related("member__kpmi", "member__user", "tot_event", "program")
        .filter(pk__in=list(invitation_ids), status=Invitation.Status.PROPOSED, **{_event_field(event): event})
    )
    if not chosen:
        raise ValidationError(_("Choose at least one proposed invitation to send."))
    if isinstance(event, TotEvent):
        taken = _seats_taken(event)
        if taken + len(chosen) > event.capacity:
            raise ValidationError(
                _(
                    "Sending %(n)s invitations would exceed the capacity of %(capacity)s (%(taken)s seats taken). "
                    "Raise the capacity or send fewer."
                )
                % {"n": len(chosen), "capacity": event.capacity, "taken": taken}
            )
    now = timezone.now()
    for invitation in chosen:
        _move(actor=actor, invitation=invitation, to=Invitation.Status.SENT, action="invitation.send", sent_at=now)
        _notify_member_side(
            invitation,
            lambda inv=invitation: (
                _("%(member)s is invited to %(event)s on %(date)s at %(venue)s. Please answer.")
                % {
                    "member": inv.member.full_name,
                    "event": inv.event.name,
                    "date": inv.event.date.strftime("%d-%m-%Y"),
                    "venue": inv.event.venue,
                }
            ),
        )
    return len(chosen)


@transaction.atomic
def invitation_withdraw(*, actor: Any, invitation: Invitation) -> Invitation:
    invitation = _locked(invitation)
    _require_event_officer(actor, invitation.event)
    was_sent = invitation.status != Invitation.Status.PROPOSED
    _move(actor=actor, invitation=invitation, to=Invitation.Status.WITHDRAWN, action="invitation.withdraw")
    if was_sent:
        _notify_member_side(
            invitation,
            lambda: (
                _("The invitation of %(member)s to %(event)s was withdrawn.")
                % {"member": invitation.member.full_name, "event": invitation.event.name}
            ),
        )
    return invitation


def _answer(*, actor: Any, invitation: Invitation, to: str, action: str, today: dt.date | None) -> Invitation:
    invitation = _locked(invitation)
    if not permissions.can_answer_invitation(actor, invitation):
        raise PermissionDenied
    if invitation.event.status == "cancelled":
        raise ValidationError(
            _("%(event)s was cancelled; the invitation can no longer be answered.") % {"event": invitation.event.name}
        )
    if invitation.status == Invitation.Status.WITHDRAWN:
        raise ValidationError(_("This invitation was withdrawn; it can no longer be answered."))
    if invitation.status != Invitation.Status.SENT:
        raise ValidationError(
            _("This invitation is %(state)s; it can no longer be answered.")
            % {"state": invitation.get_status_display()}
        )
    if (today or _today()) > invitation.event.answer_deadline:
        raise ValidationError(
            _("This invitation expired on %(date)s.") % {"date": invitation.event.answer_deadline.strftime("%d-%m-%Y")}
        )
    _move(actor=actor, invitation=invitation, to=to, action=action, answered_at=timezone.now(), answered_by=actor)
    _notify_officers(
        invitation,
        lambda: (
            _("%(member)s (%(kpmi)s) answered the invitation to %(event)s: %(answer)s.")
            % {
                "member": invitation.member.full_name,
                "kpmi": invitation.member.kpmi.name,
                "event": invitation.event.name,
                "answer": invitation.get_status_display(),
            }
        ),
    )
    return invitation


@transaction.atomic
def invitation_accept(*, actor: Any, invitation: Invitation, today: dt.date | None = None) -> Invitation:
    return _answer(
        actor=actor, invitation=invitation, to=Invitation.Status.ACCEPTED, action="invitation.accept", today=today
    )


@transaction.atomic
def invitation_decline(*, actor: Any, invitation: Invitation, today: dt.date | None = None) -> Invitation:
    return _answer(
        actor=actor, invitation=invitation, to=Invitation.Status.DECLINED, action="invitation.decline", today=today
    )


@transaction.atomic
def invitation_record_attendance(
    *, actor: Any, invitation: Invitation, attended: bool, today: dt.date | None = None
) -> Invitation:
    _require_tot_officer(actor)
    invitation = _locked(invitation)
    if not invitation.is_tot:
        raise ValidationError(_("Attendance is recorded for a ToT only."))
    if (today or _today()) < invitation.event.date:
        raise ValidationError(
            _("Attendance can be recorded from the day of the ToT (%(date)s).")
            % {"date": invitation.event.date.strftime("%d-%m-%Y")}
        )
    to = Invitation.Status.ATTENDED if attended else Invitation.Status.ABSENT
    return _move(actor=actor, invitation=invitation, to=to, action="invitation.attendance")


@transaction.atomic
def invitation_record_result(*, actor: Any, invitation: Invitation, passed: bool) -> Invitation:
    """The ToT's result for one participant. Passing promotes the member to trainer through the
    ladder service; the history row names the ToT and links the invitation as its evidence."""
    _require_tot_officer(actor)
    invitation = _locked(invitation)
    to = Invitation.Status.PASSED if passed else Invitation.Status.FAILED
    _move(actor=actor, invitation=invitation, to=to, action="invitation.result")
    event = invitation.tot_event
    # A member promoted by hand meanwhile (the level history already says how) keeps that level:
    # the pass is still recorded on the invitation.
    if passed and invitation.member.level < Level.TRAINER:
        member_services.member_change_level(
            actor=actor,
            member=invitation.member,
            to_level=Level.TRAINER,
            reason=_("Passed the central ToT %(event)s.") % {"event": event.name},
            # The invitation's page, which shows the ToT to the member, their keepers and the
            # officers alike (the ToT's own page is the officers'); the reason names the ToT.
            evidence=f"{_site_url()}{invitation.get_absolute_url()}",
            effective_on=min(event.date, _today()),
        )
    _notify_member_side(
        invitation,
        lambda: (
            (
                _("%(member)s passed %(event)s and is now a trainer.")
                if passed
                else _("%(member)s did not pass %(event)s.")
            )
            % {"member": invitation.member.full_name, "event": event.name}
        ),
    )
    return invitation


# --- Volunteer projects (Platform association) ------------------------------------------------------

PROJECT_FIELDS = VolunteerProject.EDITABLE_FIELDS


CANCEL_REASON_MAX = 500


def _require_project_officer(actor: Any) -> None:
    if not permissions.can_run_projects(actor):
        raise PermissionDenied


def _move_project(*, actor: Any, project: VolunteerProject, to: str, action: str, note: str = "") -> None:
    if not project.can_move_to(to):
        raise ValidationError(
            _("This project is %(state)s; it cannot become %(new)s.")
            % {"state": project.get_status_display(), "new": VolunteerProject.Status(to).label}
        )
    old = project.status
    project.status = to
    project.save(update_fields=["status", "activity"])
    audit_log(actor=actor, action=action, target=project, changes={"status": [old, to]}, note=note)


@transaction.atomic
def project_publish(*, actor: Any, data: dict[str, Any]) -> VolunteerProject:
    _require_project_officer(actor)
    project = VolunteerProject(created_by=actor)
    for name in PROJECT_FIELDS:
        setattr(project, name, data.get(name))
    project.full_clean(exclude=["created_by", "activity"])
    if project.desa_id and project.desa.kecamatan_id != project.kecamatan_id:
        raise ValidationError({"desa": _("This village is not in the chosen district.")})
    if project.end_date < project.start_date:
        raise ValidationError({"end_date": _("The end cannot be before the start.")})
    project.save()
    audit_log(
        actor=actor,
        action="project.publish",
        target=project,
        changes=diff_fields({}, {name: getattr(project, name) for name in (*PROJECT_FIELDS, "status")}),
    )
    return project


@transaction.atomic
def project_sign_up(*, actor: Any, project: VolunteerProject, member: Member) -> ProjectSignup:
    """A manager joins the candidates of a project, while it is open and not full."""
    if not permissions.can_sign_up_member(actor, member):
        raise PermissionDenied
    # Lock the project: two managers taking the last place at once must not both get it.
    project = VolunteerProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if project.status != VolunteerProject.Status.OPEN:
        raise ValidationError(_("This project is no longer open for sign-up."))
    if member.level < Level.MANAGER:
        raise ValidationError(_("Only managers can work on volunteer projects."))
    earlier = project.signups.filter(member=member).first()
    if earlier is not None and earlier.status != ProjectSignup.Status.WITHDRAWN:
        raise ValidationError(_("%(name)s has already signed up for this project.") % {"name": member.full_name})
    taken = project.signups.filter(status__in=ProjectSignup.TAKES_A_PLACE).count()
    if taken >= project.team_size:
        raise ValidationError(
            _("This project is full: it needs %(n)s managers and has them.") % {"n": project.team_size}
        )
    if earlier is not None:
        # Withdrawn before: the same row comes back (one sign-up per member and project).
        earlier.signed_up_by = actor
        signup = _move_signup(actor=actor, signup=earlier, to=ProjectSignup.Status.SIGNED_UP, action="project.sign_up")
    else:
        try:
            with transaction.atomic():
                signup = ProjectSignup.objects.create(
                    project=project, member=member, kpmi_id=member.kpmi_id, signed_up_by=actor
                )
        except IntegrityError:
            raise ValidationError(
                _("%(name)s has already signed up for this project.") % {"name": member.full_name}
            ) from None
        audit_log(actor=actor, action="project.sign_up", target=signup, changes={"status": [None, signup.status]})
    _notify_project_officers(
        project,
        lambda: (
            _("%(member)s (%(kpmi)s) signed up for %(project)s.")
            % {"member": member.full_name, "kpmi": member.kpmi.name, "project": project.title}
        ),
    )
    return signup


def _move_signup(*, actor: Any, signup: ProjectSignup, to: str, action: str) -> ProjectSignup:
    """Move one sign-up along its state machine, refusing any edge it does not allow."""
    if not signup.can_move_to(to):
        raise ValidationError(
            _("This sign-up is %(state)s; it cannot become %(new)s.")
            % {"state": signup.get_status_display(), "new": ProjectSignup.Status(to).label}
        )
    old = signup.status
    signup.status = to
    signup.save(update_fields=["status", "signed_up_by"])
    audit_log(actor=actor, action=action, target=signup, changes={"status": [old, to]})
    return signup


@transaction.atomic
def project_signup_withdraw(*, actor: Any, signup: ProjectSignup) -> ProjectSignup:
    """A manager takes back their sign-up (or a keeper of their group does, as they may sign them
    up), while the project is still open: once the team is confirmed, the officer counts on them."""
    signup = ProjectSignup.objects.select_related("member__kpmi", "member__user").get(pk=signup.pk)
    if not permissions.can_sign_up_member(actor, signup.member):
        raise PermissionDenied
    # The project first, as project_confirm_team locks it: a withdrawal and a confirmation are
    # applied one after the other, never half of each.
    project = VolunteerProject.objects.select_for_update(of=("self",)).get(pk=signup.project_id)
    signup = ProjectSignup.objects.select_for_update(of=("self",)).select_related("member__kpmi").get(pk=signup.pk)
    if project.status != VolunteerProject.Status.OPEN:
        raise ValidationError(
            _("The project is %(state)s: a sign-up can no longer be withdrawn; ask the officer.")
            % {"state": project.get_status_display()}
        )
    _move_signup(actor=actor, signup=signup, to=ProjectSignup.Status.WITHDRAWN, action="project.signup_withdraw")
    member = signup.member
    _notify_project_officers(
        project,
        lambda: (
            _("%(member)s (%(kpmi)s) withdrew from %(project)s.")
            % {"member": member.full_name, "kpmi": member.kpmi.name, "project": project.title}
        ),
    )
    return signup


def _notify_project_officers(project: VolunteerProject, message: Callable[[], str]) -> None:
    officers = get_user_model().objects.filter(officer__association__code=permissions.PLATFORM, is_active=True)
    for user in officers:
        notification_send(recipient=user, message=message, link=project.get_absolute_url())


def _notify_member(member: Member, message: Callable[[], str], link: str, *, skip: Any = None) -> None:
    """The member and the keepers of their group; `skip` (the one who acted) needs no telling."""
    users = {role.user for role in KpmiRole.objects.filter(kpmi=member.kpmi_id).select_related("user")}
    if member.user is not None:
        users.add(member.user)
    for user in users:
        if skip is None or user.pk != skip.pk:
            notification_send(recipient=user, message=message, link=link)


@transaction.atomic
def project_confirm_team(*, actor: Any, project: VolunteerProject, signup_ids: Iterable[int]) -> list[ProjectSignup]:
    """The officer picks the team among the sign-ups; the others are told they were not selected."""
    _require_project_officer(actor)
    project = VolunteerProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    chosen_ids = set(signup_ids)
    signups = list(project.signups.select_related("member__kpmi", "member__user"))
    team = [s for s in signups if s.pk in chosen_ids and s.status == ProjectSignup.Status.SIGNED_UP]
    if not team:
        raise ValidationError(_("Choose at least one manager for the team."))
    if len(team) > project.team_size:
        raise ValidationError(_("The project needs %(n)s managers; you chose more.") % {"n": project.team_size})
    _move_project(actor=actor, project=project, to=VolunteerProject.Status.TEAM_CONFIRMED, action="project.confirm")
    for signup in signups:
        if signup.status != ProjectSignup.Status.SIGNED_UP:
            continue
        new = ProjectSignup.Status.CONFIRMED if signup in team else ProjectSignup.Status.NOT_SELECTED
        _move_signup(actor=actor, signup=signup, to=new, action="project.signup_decide")
        _notify_member(
            signup.member,
            (
                lambda s=signup: (
                    _("%(member)s is in the team of %(project)s.")
                    % {"member": s.member.full_name, "project": project.title}
                )
            )
            if new == ProjectSignup.Status.CONFIRMED
            else (
                lambda s=signup: (
                    _("%(member)s was not selected for %(project)s.")
                    % {"member": s.member.full_name, "project": project.title}
                )
            ),
            project.get_absolute_url(),
        )
    return team


@transaction.atomic
def project_complete(
    *, actor: Any, project: VolunteerProject, date: dt.date, beneficiaries: int, summary: str = ""
) -> Activity:
    """Close a project: one ICT deployment, credited to every team member whatever their KPMI.
    It is logged for the KPMI of the first team member (whose keepers may then correct it) and,
    being recorded by the officer, counts at once."""
    _require_project_officer(actor)
    project = (
        VolunteerProject.objects.select_for_update(of=("self",)).select_related("kecamatan", "desa").get(pk=project.pk)
    )
    if not project.can_move_to(VolunteerProject.Status.COMPLETED):
        raise ValidationError(
            _("This project is %(state)s; it cannot be completed.") % {"state": project.get_status_display()}
        )
    if date < project.start_date:
        raise ValidationError(
            {
                "date": _("The project started on %(date)s; it cannot be completed before that.")
                % {"date": project.start_date.strftime("%d-%m-%Y")}
            }
        )
    team = [
        s.member
        for s in project.signups.filter(status=ProjectSignup.Status.CONFIRMED)
        .select_related("member__kpmi", "member__user")
        .order_by("created_at", "pk")
    ]
    activity = _activity_record(
        actor=actor,
        kind=Kind.DEPLOYMENT,
        kpmi=team[0].kpmi,
        data={
            "title": project.title,
            "date": date,
            "kecamatan": project.kecamatan,
            "desa": project.desa,
            "summary": summary or project.needs,
            "evidence_url": "",
            "deployment_kind": project.deployment_kind,
            "site_type": project.site_type,
            "site_name": project.site_name,
            "beneficiaries": beneficiaries,
            "operational_status": Deployment.OperationalStatus.IN_USE,
        },
        credited=team,
        approved=True,
    )
    project.activity = activity
    _move_project(
        actor=actor,
        project=project,
        to=VolunteerProject.Status.COMPLETED,
        action="project.complete",
        note=f"activity {activity.pk}",
    )
    for member in team:
        _notify_member(
            member,
            lambda m=member: (
                _("%(project)s is completed; the deployment is credited to %(member)s.")
                % {"project": project.title, "member": m.full_name}
            ),
            activity.get_absolute_url(),
        )
    return activity


@transaction.atomic
def project_cancel(*, actor: Any, project: VolunteerProject, reason: str = "") -> VolunteerProject:
    """The officer calls a project off, while it is open or its team is confirmed (a completed
    project has its deployment logged: nothing to cancel). Every manager signed up or in the team,
    and the keepers of their groups, are told. The sign-ups stay as they were, for the record."""
    _require_project_officer(actor)
    project = VolunteerProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    reason = (reason or "").strip()
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(n)s characters.") % {"n": CANCEL_REASON_MAX}})
    _move_project(
        actor=actor, project=project, to=VolunteerProject.Status.CANCELLED, action="project.cancel", note=reason
    )
    signed_up = project.signups.filter(status__in=ProjectSignup.TAKES_A_PLACE).select_related(
        "member__kpmi", "member__user"
    )
    for signup in signed_up:
        _notify_member(
            signup.member,
            lambda s=signup: (
                (
                    _("%(project)s, which %(member)s signed up for, is cancelled. Reason: %(reason)s")
                    if reason
                    else _("%(project)s, which %(member)s signed up for, is cancelled.")
                )
                % {"project": project.title, "member": s.member.full_name, "reason": reason}
            ),
            project.get_absolute_url(),
        )
    return project


# --- Association awards -----------------------------------------------------------------------------


@transaction.atomic
def association_award_grant(
    *, actor: Any, association: Any, member: Member, name: str, reason: str, awarded_on: dt.date
) -> AssociationAward:
    """An association honours a manager. Officers grant for their own association only."""
    if not (is_komtik_admin(actor) or permissions.award_association_code(actor) == association.code):
        raise PermissionDenied
    if member.level < Level.MANAGER:
        raise ValidationError({"member": _("Association awards go to managers and pioneers.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the award.")})
    if awarded_on > _today():
        raise ValidationError({"awarded_on": _("The date cannot be in the future.")})
    award = AssociationAward(
        association=association,
        member=member,
        name=name.strip(),
        reason=reason.strip(),
        awarded_on=awarded_on,
        granted_by=actor,
    )
    award.full_clean(exclude=["granted_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError:
        raise ValidationError(
            _("This award was already given to %(name)s on that date.") % {"name": member.full_name}
        ) from None
    audit_log(
        actor=actor,
        action="association_award.grant",
        target=award,
        changes=diff_fields({}, {"association": association, "member": member, "name": award.name}),
        note=award.reason,
    )
    _notify_member(
        member,
        lambda: (
            _("%(member)s received the award “%(award)s” from %(association)s.")
            % {"member": member.full_name, "award": award.name, "association": association.name}
        ),
        member.get_absolute_url(),
    )
    return award


# --- Competitions -----------------------------------------------------------------------------------


def _require_competition_officer(actor: Any) -> None:
    if not permissions.can_run_competitions(actor):
        raise PermissionDenied


@transaction.atomic
def competition_create(
    *,
    actor: Any,
    title: str,
    period: Any,
    kind: str,
    entrants: str,
    winners: int = 3,
    measure: str = Competition.Measure.RECORDS,
) -> Competition:
    _require_competition_officer(actor)
    competition = Competition(
        title=title.strip(),
        period=period,
        kind=kind,
        measure=measure,
        entrants=entrants,
        winners=winners,
        created_by=actor,
    )
    # Said on the field before full_clean, whose constraint check would only say it form-wide.
    if measure == Competition.Measure.PARTICIPANTS and kind != Kind.EDUCATION:
        raise ValidationError({"measure": str(PARTICIPANTS_NEED_EDUCATION)})
    competition.full_clean(exclude=["created_by"])
    if period.is_closed:
        raise ValidationError({"period": _("The period %(name)s is closed.") % {"name": period.name}})
    competition.save()
    audit_log(
        actor=actor,
        action="competition.create",
        target=competition,
        changes=diff_fields(
            {},
            {"title": competition.title, "period": period, "kind": kind, "measure": measure, "entrants": entrants},
        ),
    )
    return competition


@transaction.atomic
def competition_close(*, actor: Any, competition: Competition) -> list[CompetitionStanding]:
    """Freeze the leaderboard as it stands and record the winners: the top `winners` ranks with a
    score (equal scores at the last winning rank all win)."""
    from .selectors import live_standings

    _require_competition_officer(actor)
    competition = Competition.objects.select_for_update(of=("self",)).select_related("period").get(pk=competition.pk)
    if Competition.Status.CLOSED not in Competition.TRANSITIONS[competition.status]:
        raise ValidationError(_("This competition is closed already; its results are frozen."))
    rows = [
        CompetitionStanding(
            competition=competition,
            rank=s.rank,
            member=s.member,
            kpmi=s.kpmi,
            score=s.score,
            is_winner=s.rank <= competition.winners and s.score > 0,
        )
        for s in live_standings(competition)
    ]
    CompetitionStanding.objects.bulk_create(rows)
    competition.status = Competition.Status.CLOSED
    competition.closed_at = timezone.now()
    competition.save(update_fields=["status", "closed_at"])
    winners = [str(r.member or r.kpmi) for r in rows if r.is_winner]
    audit_log(
        actor=actor,
        action="competition.close",
        target=competition,
        changes={"status": [Competition.Status.OPEN, Competition.Status.CLOSED], "winners": [None, winners]},
    )
    for row in rows:
        if row.is_winner and row.member is not None:
            _notify_member(
                row.member,
                lambda r=row: (
                    _("%(member)s won place %(rank)s in %(competition)s.")
                    % {"member": r.member.full_name, "rank": r.rank, "competition": competition.title}
                ),
                competition.get_absolute_url(),
            )
        elif row.is_winner:
            # A group's win is told to its keepers: they entered it and answer for it.
            for user in {role.user for role in KpmiRole.objects.filter(kpmi=row.kpmi).select_related("user")}:
                notification_send(
                    recipient=user,
                    message=lambda r=row: (
                        _("%(kpmi)s won place %(rank)s in %(competition)s.")
                        % {"kpmi": r.kpmi.name, "rank": r.rank, "competition": competition.title}
                    ),
                    link=competition.get_absolute_url(),
                )
    return rows


# --- Collaboration programmes (Users association) ---------------------------------------------------

# The work a programme does: what its managers were invited for being low on.
COLLABORATION_KINDS = (Kind.PUBLICATION, Kind.EDUCATION)


@transaction.atomic
def collaboration_create(
    *, actor: Any, name: str, theme: str, date: dt.date, venue: str, period: Any, threshold: int
) -> CollaborationProgram:
    if not permissions.can_run_collaborations(actor):
        raise PermissionDenied
    program = CollaborationProgram(
        name=name.strip(),
        theme=theme.strip(),
        date=date,
        venue=venue.strip(),
        period=period,
        threshold=threshold,
        created_by=actor,
    )
    program.full_clean(exclude=["created_by", "activity"])
    if program.date <= _today():
        raise ValidationError({"date": _("A new programme must be dated after today.")})
    program.save()
    audit_log(
        actor=actor,
        action="collaboration.create",
        target=program,
        changes=diff_fields({}, {"name": program.name, "date": program.date, "threshold": threshold}),
    )
    return program


def collaboration_invitations_propose(*, evaluation_id: int, today: dt.date | None = None) -> int:
    """After an evaluation: propose each upcoming programme of that period to every manager whose
    publications plus education sessions are below its threshold. Like the ToT proposals, safe to
    run twice and after a killed worker (one transaction per KPMI, a unique constraint)."""
    from associations.metrics import METRICS, subjects
    from associations.models import Evaluation

    from . import metrics

    today = today or _today()
    evaluation = (
        Evaluation.objects.filter(pk=evaluation_id, status=Evaluation.Status.SUCCEEDED).select_related("period").first()
    )
    if evaluation is None:
        return 0
    written = 0
    programs = CollaborationProgram.objects.filter(
        period_id=evaluation.period_id, status=CollaborationProgram.Status.SCHEDULED, date__gt=today
    ).order_by("date", "pk")
    if not programs:
        return 0
    # Publications plus education of every manager the Users association watches, counted from the
    # logged work (programs.metrics), not from the stored results: those exist only for metrics that
    # have a target, and a manager busy with education but without a publication target set is not low.
    period = evaluation.period
    done = {
        row["member_id"]: row["n"]
        for row in metrics.work_counts(by=("member",), kinds=COLLABORATION_KINDS, start=period.start, end=period.end)
    }
    managers = list(subjects(METRICS["publications"]))  # the managers of every group not dissolved
    for program in programs:
        by_kpmi: dict[int, list[int]] = {}
        for member_id, kpmi_id, _kecamatan_id in managers:
            if done.get(member_id, 0) < program.threshold:
                by_kpmi.setdefault(kpmi_id, []).append(member_id)
        for kpmi_id, member_ids in sorted(by_kpmi.items()):
            with transaction.atomic():
                fresh = set(member_ids) - set(
                    program.invitations.filter(member_id__in=member_ids).values_list("member_id", flat=True)
                )
                written += _propose(program, kpmi_id, sorted(fresh), evaluation)
    return written


def interventions_propose(*, evaluation_id: int) -> int:
    """Every proposal an evaluation calls for: ToT invitations and collaboration programmes."""
    return tot_invitations_propose(evaluation_id=evaluation_id) + collaboration_invitations_propose(
        evaluation_id=evaluation_id
    )


@transaction.atomic
def collaboration_cancel(*, actor: Any, program: CollaborationProgram) -> CollaborationProgram:
    """The officer calls a programme off. Final, as for a ToT: every open invitation is withdrawn and
    those already invited are told. A programme whose work is logged took place: it stays."""
    if not permissions.can_run_collaborations(actor):
        raise PermissionDenied
    program = CollaborationProgram.objects.select_for_update(of=("self",)).get(pk=program.pk)
    if program.status == CollaborationProgram.Status.CANCELLED:
        raise ValidationError(_("This programme was cancelled already."))
    if program.works.exists():
        raise ValidationError(_("Work of this programme is logged: it took place and can no longer be cancelled."))
    old = program.status
    program.status = CollaborationProgram.Status.CANCELLED
    program.save(update_fields=["status"])
    audit_log(actor=actor, action="collaboration.cancel", target=program, changes={"status": [old, program.status]})
    _withdraw_open_invitations(actor=actor, event=program)
    return program


@transaction.atomic
def collaboration_log_work(*, actor: Any, program: CollaborationProgram, kind: str, data: dict[str, Any]) -> Activity:
    """A piece of the programme's joint work (a publication or an ICT education session), logged once
    and credited to every manager who accepted, whatever their KPMI. A programme produces several.

    The officer's record is logged for the KPMI of the first participant and counts at once. A
    participant (or a keeper of a participant's group: members often have no login) logs it for
    their own group, where it follows that group's rules: a keeper's record counts at once, a
    member's own waits for a keeper's approval, as any self-logged work does."""
    program = CollaborationProgram.objects.select_for_update(of=("self",)).get(pk=program.pk)
    accepted = list(
        program.invitations.filter(status=Invitation.Status.ACCEPTED)
        .select_related("member__kpmi", "member__user")
        .order_by("answered_at", "pk")
    )
    participants = [invitation.member for invitation in accepted]
    officer = permissions.can_run_collaborations(actor)
    acting_for = permissions.collaboration_members_of(actor, participants)
    if not (officer or acting_for):
        raise PermissionDenied
    if program.status == CollaborationProgram.Status.CANCELLED:
        raise ValidationError(_("This programme was cancelled; its work can no longer be logged."))
    if kind not in COLLABORATION_KINDS:
        raise ValidationError(_("A collaboration programme logs publications or ICT education."))
    if not participants:
        raise ValidationError(_("Nobody has accepted the invitation: there is no one to credit."))
    if officer:
        kpmi, approved = participants[0].kpmi, True
    else:
        kpmi = acting_for[0].kpmi
        approved = can_manage_kpmi(actor, kpmi)
    title, day = str(data.get("title") or "").strip(), data.get("date")
    # A second person logging the same session or article would count it twice for everyone.
    if title and program.works.filter(activity__kind=kind, activity__title__iexact=title, activity__date=day).exists():
        raise ValidationError({"title": _("This work is logged for the programme already.")})
    activity = _activity_record(actor=actor, kind=kind, kpmi=kpmi, data=data, credited=participants, approved=approved)
    CollaborationWork.objects.create(program=program, activity=activity)
    audit_log(
        actor=actor,
        action="collaboration.log_work",
        target=program,
        changes={"work": [None, {"id": activity.pk, "text": str(activity)}]},
    )
    for member in participants:
        _notify_member(
            member,
            lambda m=member: (
                _("%(work)s of %(programme)s is logged and credited to %(member)s.")
                % {"work": activity.title, "programme": program.name, "member": m.full_name}
            ),
            activity.get_absolute_url(),
            skip=actor,
        )
    return activity
