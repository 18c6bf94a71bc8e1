"""Competitions (Users association): open one, and close it, which freezes the leaderboard."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log, diff_fields
from kpmi_si.notifications.services import notification_send
from members.models import KpmiRole

from .. import permissions
from ..models import (
    PARTICIPANTS_NEED_EDUCATION,
    Competition,
    CompetitionStanding,
    Kind,
)
from .common import _notify_member

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
    from ..selectors import live_standings

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
            for user in {role.user for role in KpmiRole.objects.current().filter(kpmi=row.kpmi).select_related("user")}:
                notification_send(
                    recipient=user,
                    message=lambda r=row: (
                        _("%(kpmi)s won place %(rank)s in %(competition)s.")
                        % {"kpmi": r.kpmi.name, "rank": r.rank, "competition": competition.title}
                    ),
                    link=competition.get_absolute_url(),
                )
    return rows
