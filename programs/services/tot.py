"""The central ToT (Communities association): events, proposals after an evaluation, hand-added
candidates, attendance, and the result that promotes a trainer candidate to trainer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log, diff_fields
from kpmi_si.concurrency import field_differences, version_check
from members import services as member_services
from members.models import Level, Member

from .. import permissions, selectors
from ..models import (
    Invitation,
    TotEvent,
)
from .common import _today
from .invitations import (
    WITHDRAWN_ON_CANCEL,
    _locked,
    _move,
    _notify_member_side,
    _propose,
    _seats_taken,
    _withdraw_open_invitations,
)

# --- Central ToT: events and invitations ------------------------------------------------------------

# The status is not edited: cancelling is its own step (tot_event_cancel), asked for on its own page.
TOT_EDITABLE_FIELDS = ("name", "date", "venue", "capacity", "respond_by")


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


@transaction.atomic
def tot_event_update(*, actor: Any, event: TotEvent, data: dict[str, Any], version: str | None = None) -> TotEvent:
    """Change a ToT; raising its capacity is how an officer makes room for more invitations.
    Cancelling is not a change of this form: see tot_event_cancel.

    `version` is the version the form was opened on (kpmi_si.concurrency): a form older than the
    stored ToT is refused rather than saved over another officer's change."""
    _require_tot_officer(actor)
    event = TotEvent.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status == TotEvent.Status.CANCELLED:
        raise ValidationError(_("This ToT was cancelled; schedule a new one instead."))
    unknown = set(data) - set(TOT_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable through tot_event_update: {sorted(unknown)}")
    version_check(stored=event, version=version, differences=field_differences(event, TOT_EDITABLE_FIELDS, data))
    before = {name: getattr(event, name) for name in TOT_EDITABLE_FIELDS}
    for name, value in data.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    _check_tot_event(event)
    taken = _seats_taken(event)
    if event.capacity < taken:
        raise ValidationError(
            {"capacity": _("%(n)s invitations are already sent; the capacity cannot be lower.") % {"n": taken}}
        )
    changes = diff_fields(before, {name: getattr(event, name) for name in TOT_EDITABLE_FIELDS})
    if changes:
        event.save()
        audit_log(actor=actor, action="tot.update", target=event, changes=changes)
    return event


def tot_cancel_refusal(event: TotEvent) -> str | None:
    """Why this ToT cannot be cancelled (None when it can): the confirmation page and the service
    give the same reason."""
    if event.status == TotEvent.Status.CANCELLED:
        return _("This ToT was cancelled already.")
    if event.invitations.filter(status__in=TOT_RECORDED).exists():
        return _("Attendance is already recorded for this ToT; it can no longer be cancelled.")
    return None


def tot_cancel_effect(event: TotEvent) -> tuple[int, int]:
    """What cancelling would do, for the confirmation page: how many open invitations it withdraws,
    and how many of them were sent already (their member side is told). One statement."""
    counts = event.invitations.filter(status__in=WITHDRAWN_ON_CANCEL).aggregate(
        withdrawn=models.Count("pk"), told=models.Count("pk", filter=~models.Q(status=Invitation.Status.PROPOSED))
    )
    return counts["withdrawn"], counts["told"]


@transaction.atomic
def tot_event_cancel(*, actor: Any, event: TotEvent) -> TotEvent:
    """Call a ToT off. Final: every open invitation is withdrawn (so nobody can still accept it, and
    its candidates are free for the next ToT) and the member side of those already sent is told.
    A ToT whose attendance is recorded took place: it stays."""
    _require_tot_officer(actor)
    event = TotEvent.objects.select_for_update(of=("self",)).get(pk=event.pk)
    refusal = tot_cancel_refusal(event)
    if refusal:
        raise ValidationError(refusal)
    old = event.status
    event.status = TotEvent.Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="tot.cancel", target=event, changes={"status": [old, event.status]})
    _withdraw_open_invitations(actor=actor, event=event)
    return event


# Attendance or a result is on record: the ToT took place.
TOT_RECORDED = (
    Invitation.Status.ATTENDED,
    Invitation.Status.ABSENT,
    Invitation.Status.PASSED,
    Invitation.Status.FAILED,
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


@transaction.atomic
def invitation_propose(
    *,
    actor: Any,
    event: TotEvent,
    member: Member,
    capacity: int | None = None,
    today: dt.date | None = None,
    version: str | None = None,
) -> Invitation:
    """An officer adds someone the job did not propose (e.g. a candidate from a group on target).

    Capacity rules apply to a hand-picked candidate: unlike the job's proposals, which the officer
    then trims, the officer is choosing a seat for this person, so it must fit among the seats taken
    and the proposals waiting. `capacity`, when given, raises the ToT's capacity first (audited as
    any change of the ToT), in the same transaction: if the candidate is refused, it stays as it was.
    `version`: the ToT's version the form was opened on, as in `tot_event_update`."""
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
        event = tot_event_update(actor=actor, event=event, data={"capacity": capacity}, version=version)
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
            evidence=invitation.get_absolute_url(),  # a path: the site's address may change
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
