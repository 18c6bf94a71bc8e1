"""Reads for collaboration programmes: who takes part and the work logged there."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from members.models import Member

from ..models import (
    Activity,
    CollaborationProgram,
    Invitation,
)


def collaboration_participants(program: CollaborationProgram) -> list[Member]:
    """The managers taking part: those whose invitation is accepted, in the order they accepted
    (the first one's group holds the officer's records of the joint work)."""
    return [
        invitation.member
        for invitation in program.invitations.filter(status=Invitation.Status.ACCEPTED)
        .select_related("member__kpmi")
        .order_by("answered_at", "pk")
    ]


def collaboration_works(program: CollaborationProgram) -> list[Activity]:
    """The programme's logged work, oldest first, with what its list shows."""
    return [
        work.activity
        for work in program.works.select_related("activity__kpmi", "activity__educationsession").order_by(
            "activity__date", "pk"
        )
    ]


def collaboration_list() -> QuerySet[CollaborationProgram]:
    # Meta.ordering does not apply to a GROUP BY query: without this, pages could repeat or skip rows.
    return (
        CollaborationProgram.objects.select_related("period")
        .annotate(
            proposed=Count("invitations", filter=Q(invitations__status=Invitation.Status.PROPOSED)),
            accepted=Count("invitations", filter=Q(invitations__status=Invitation.Status.ACCEPTED)),
        )
        .order_by("-date", "-pk")
    )
