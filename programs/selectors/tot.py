"""Reads for the central ToT: events with their seats, the candidates a group may propose."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from members.models import Kpmi, Level, Member

from ..models import (
    Invitation,
    TotEvent,
)


def tot_event_list() -> QuerySet[TotEvent]:
    return TotEvent.objects.annotate(
        proposed=Count("invitations", filter=Q(invitations__status=Invitation.Status.PROPOSED)),
        seats_taken=Count("invitations", filter=Q(invitations__status__in=Invitation.HOLDS_A_SEAT)),
    ).order_by("-date", "-pk")


def tot_candidates(event: TotEvent, *, kpmi_id: int | None = None) -> QuerySet[Member]:
    """Trainer candidates who may be proposed for a ToT: not on its list yet, and not waiting for
    another upcoming ToT (invited or accepted). Whoever declined, missed or failed an earlier ToT
    is a candidate again; the same ToT never lists anyone twice (a database constraint)."""
    waiting = Invitation.objects.filter(
        status__in=[Invitation.Status.SENT, Invitation.Status.ACCEPTED], tot_event__date__gte=timezone.localdate()
    ).values("member_id")
    rows = (
        Member.objects.filter(level=Level.TRAINER_CANDIDATE)
        .exclude(invitations__tot_event=event)
        .exclude(pk__in=waiting)
    )
    return rows.filter(kpmi_id=kpmi_id) if kpmi_id is not None else rows


def tot_places_used(event: TotEvent) -> int:
    """Seats taken plus proposals waiting to be sent: what the ToT's list fills once sent."""
    return event.invitations.filter(status__in=(Invitation.Status.PROPOSED, *Invitation.HOLDS_A_SEAT)).count()


def tot_invitations_by_kpmi(event: Any) -> list[tuple[Kpmi, list[Invitation]]]:
    """The officer's review page: every invitation of a ToT (or a collaboration programme), grouped
    by KPMI."""
    rows = event.invitations.select_related("kpmi", "member").order_by("kpmi__name", "member__full_name", "pk")
    return [(kpmi, list(group)) for kpmi, group in groupby(rows, key=lambda inv: inv.kpmi)]
