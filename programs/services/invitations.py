"""Invitations to a ToT or a collaboration programme: one state machine (models.Invitation.TRANSITIONS)
whose every move is audited, shared by both workflows. Proposals are written once per member and
event (a database rule), sending is the officer's, answering the member's side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log
from kpmi_si.notifications.services import notification_send
from members.models import KpmiRole

from .. import permissions
from ..models import (
    CollaborationProgram,
    Invitation,
    TotEvent,
)
from .common import _today


def _notify_member_side(invitation: Invitation, message: Callable[[], str]) -> None:
    """The invited member and the keepers of their group: either may answer."""
    users = {
        role.user for role in KpmiRole.objects.current().filter(kpmi=invitation.member.kpmi_id).select_related("user")
    }
    if invitation.member.user is not None:
        users.add(invitation.member.user)
    for user in users:
        notification_send(recipient=user, message=message, link=invitation.get_absolute_url())


def _notify_officers(invitation: Invitation, message: Callable[[], str]) -> None:
    code = permissions.COMMUNITIES if invitation.is_tot else permissions.USERS
    officers = get_user_model().objects.filter(officer__association__code=code, is_active=True)
    for user in officers:
        notification_send(recipient=user, message=message, link=invitation.event.get_absolute_url())


def _seats_taken(event: TotEvent) -> int:
    return event.invitations.filter(status__in=Invitation.HOLDS_A_SEAT).count()


# The invitations a cancelled ToT withdraws: those not answered for good (declined, withdrawn) and not
# yet attended. The confirmation page counts them with the same set (services.tot.tot_cancel_effect).
WITHDRAWN_ON_CANCEL = (Invitation.Status.PROPOSED, Invitation.Status.SENT, Invitation.Status.ACCEPTED)


def _withdraw_open_invitations(*, actor: Any, event: TotEvent) -> None:
    open_rows = (
        event.invitations.select_for_update(of=("self",))
        .filter(status__in=WITHDRAWN_ON_CANCEL)
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
    _notify_sent(event, chosen)
    return len(chosen)


def _notify_sent(event: TotEvent | CollaborationProgram, sent: list[Invitation]) -> None:
    """Each invited member with a login hears of their own invitation; the keepers of a group hear
    once per event, however many of its members are invited (#14: thirty candidates were thirty bells),
    with a link to the page where they answer them all."""
    by_kpmi: dict[int, list[Invitation]] = {}
    for invitation in sent:
        by_kpmi.setdefault(invitation.member.kpmi_id, []).append(invitation)
    keepers: dict[int, set[Any]] = {}
    for role in KpmiRole.objects.filter(kpmi__in=list(by_kpmi)).select_related("user"):
        keepers.setdefault(role.kpmi_id, set()).add(role.user)
    for kpmi_id, rows in by_kpmi.items():
        told = keepers.get(kpmi_id, set())
        if len(rows) == 1:
            _notify_each(rows[0], told | ({rows[0].member.user} if rows[0].member.user else set()))
            continue
        link = reverse("interventions:tot_answer", args=[event.pk]) if isinstance(event, TotEvent) else ""
        for user in told:
            notification_send(
                recipient=user,
                message=lambda rows=rows: (
                    _(
                        "%(n)s members of %(kpmi)s are invited to %(event)s on %(date)s at %(venue)s: "
                        "%(names)s. Please answer."
                    )
                    % {
                        "n": len(rows),
                        "kpmi": rows[0].member.kpmi.name,
                        "event": event.name,
                        "date": event.date.strftime("%d-%m-%Y"),
                        "venue": event.venue,
                        "names": ", ".join(inv.member.full_name for inv in rows),
                    }
                ),
                link=link or reverse("interventions:invitation_list"),
            )
        for invitation in rows:
            if invitation.member.user is not None and invitation.member.user not in told:
                _notify_each(invitation, {invitation.member.user})


def _notify_each(invitation: Invitation, users: set[Any]) -> None:
    for user in users:
        notification_send(
            recipient=user,
            message=lambda inv=invitation: (
                _("%(member)s is invited to %(event)s on %(date)s at %(venue)s. Please answer.")
                % {
                    "member": inv.member.full_name,
                    "event": inv.event.name,
                    "date": inv.event.date.strftime("%d-%m-%Y"),
                    "venue": inv.event.venue,
                }
            ),
            link=invitation.get_absolute_url(),
        )


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


def _check_answerable(*, actor: Any, invitation: Invitation, today: dt.date | None) -> None:
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


def _answer(*, actor: Any, invitation: Invitation, to: str, action: str, today: dt.date | None) -> Invitation:
    invitation = _locked(invitation)
    _check_answerable(actor=actor, invitation=invitation, today=today)
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
