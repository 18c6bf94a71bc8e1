"""Collaboration programmes (Users association): managers low on publications and ICT education are
invited to do that work together; the work is logged once and credited to every participant."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log, diff_fields
from members.permissions import can_manage_kpmi

from .. import permissions
from ..models import (
    Activity,
    CollaborationProgram,
    CollaborationWork,
    Invitation,
    Kind,
)
from .common import _notify_member, _today
from .invitations import _propose, _withdraw_open_invitations
from .work import _activity_record

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

    from .. import metrics

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
