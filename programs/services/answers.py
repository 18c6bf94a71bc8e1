"""A keeper answers a ToT's invitations for their group on one page, and takes back a decline while
answers are open (#14). Both reuse the one state machine of services.invitations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Invitation, TotEvent
from .common import _today
from .invitations import _check_answerable, _locked, _move, _notify_officers, _seats_taken

ACCEPT, DECLINE = "accept", "decline"
_MOVES = {
    ACCEPT: (Invitation.Status.ACCEPTED, "invitation.accept"),
    DECLINE: (Invitation.Status.DECLINED, "invitation.decline"),
}


def answer_field(invitation_id: int) -> str:
    """The form field of one row: service errors come back on it."""
    return f"answer_{invitation_id}"


@transaction.atomic
def invitations_answer(
    *, actor: Any, event: TotEvent, answers: Mapping[int, str], today: dt.date | None = None
) -> dict[str, int]:
    """Accept or decline several invitations of one ToT at once: all or nothing. A row that cannot
    be answered (another group's, withdrawn, already answered, past the answer date) is named on its
    own field and nothing is saved. The officers hear once per group, not once per candidate.
    Returns how many were accepted and declined."""
    chosen = {int(pk): answer for pk, answer in answers.items() if answer in _MOVES}
    if not chosen:
        raise ValidationError(_("Choose an answer for at least one invitation."))
    rows = {
        inv.pk: inv
        for inv in Invitation.objects.select_for_update(of=("self",))
        .select_related("tot_event", "program", "member__kpmi", "member__user")
        .filter(pk__in=list(chosen), tot_event=event)
        .order_by("pk")
    }
    errors: dict[str, list[str]] = {}
    for pk in sorted(chosen):
        invitation = rows.get(pk)
        if invitation is None:
            errors[answer_field(pk)] = [_("This invitation is not one of this ToT's.")]
            continue
        try:
            _check_answerable(actor=actor, invitation=invitation, today=today)
        except PermissionDenied:
            errors[answer_field(pk)] = [_("You do not keep this member's KPMI.")]
        except ValidationError as exc:
            errors[answer_field(pk)] = exc.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    counts = {ACCEPT: 0, DECLINE: 0}
    by_kpmi: dict[int, list[Invitation]] = {}
    for pk in sorted(chosen):
        invitation = rows[pk]
        to, action = _MOVES[chosen[pk]]
        _move(actor=actor, invitation=invitation, to=to, action=action, answered_at=now, answered_by=actor)
        counts[chosen[pk]] += 1
        by_kpmi.setdefault(invitation.member.kpmi_id, []).append(invitation)
    for group in by_kpmi.values():
        _notify_officers(
            group[0],
            lambda group=group: (
                _("%(kpmi)s answered %(n)s invitations to %(event)s: %(accepted)s accepted, %(declined)s declined.")
                % {
                    "kpmi": group[0].member.kpmi.name,
                    "n": len(group),
                    "event": event.name,
                    "accepted": sum(1 for inv in group if inv.status == Invitation.Status.ACCEPTED),
                    "declined": sum(1 for inv in group if inv.status == Invitation.Status.DECLINED),
                }
            ),
        )
    return {"accepted": counts[ACCEPT], "declined": counts[DECLINE]}


def can_undo_decline(invitation: Invitation, *, today: dt.date | None = None) -> bool:
    """Offered while the answer date has not passed and the event still runs (the service decides)."""
    return (
        invitation.status == Invitation.Status.DECLINED
        and invitation.event.status != "cancelled"
        and (today or _today()) <= invitation.event.answer_deadline
    )


@transaction.atomic
def invitation_undo_decline(*, actor: Any, invitation: Invitation, today: dt.date | None = None) -> Invitation:
    """Take back a decline before the answer date: the invitation is open again (sent, unanswered).
    Cheap to undo, so offered instead of a second confirmation; audited like every move."""
    invitation = _locked(invitation)
    if not permissions.can_answer_invitation(actor, invitation):
        raise PermissionDenied
    if invitation.status != Invitation.Status.DECLINED:
        raise ValidationError(_("Only a declined invitation can be taken back."))
    if not can_undo_decline(invitation, today=today):
        raise ValidationError(
            _("Answers to %(event)s closed on %(date)s; the decline can no longer be taken back.")
            % {"event": invitation.event.name, "date": invitation.event.answer_deadline.strftime("%d-%m-%Y")}
        )
    if invitation.is_tot:
        # The declined seat may have gone to another candidate since: lock the event and count.
        event = TotEvent.objects.select_for_update(of=("self",)).get(pk=invitation.tot_event_id)
        if _seats_taken(event) >= event.capacity:
            raise ValidationError(
                _("Every seat of %(event)s is taken now; ask the officer to raise the capacity.")
                % {"event": event.name}
            )
        waiting = (
            Invitation.objects.filter(
                member_id=invitation.member_id,
                status__in=[Invitation.Status.SENT, Invitation.Status.ACCEPTED],
                tot_event__date__gte=_today(),
            )
            .exclude(pk=invitation.pk)
            .exists()
        )
        if waiting:
            raise ValidationError(
                _("%(member)s is invited to another ToT now.") % {"member": invitation.member.full_name}
            )
    _move(
        actor=actor,
        invitation=invitation,
        to=Invitation.Status.SENT,
        action="invitation.undo_decline",
        answered_at=None,
        answered_by=None,
    )
    _notify_officers(
        invitation,
        lambda: (
            _("%(member)s (%(kpmi)s) took back the decline of %(event)s; the invitation is open again.")
            % {
                "member": invitation.member.full_name,
                "kpmi": invitation.member.kpmi.name,
                "event": invitation.event.name,
            }
        ),
    )
    return invitation


__all__ = ["answer_field", "can_undo_decline", "invitation_undo_decline", "invitations_answer"]
