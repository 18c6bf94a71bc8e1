"""Reads of invitations (ToT and collaboration): what a user answers, and a member's history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members.models import Member
from members.permissions import is_komtik_admin, managed_kpmi_ids

from ..models import (
    CollaborationWork,
    Invitation,
)


def invitations_for_user(user: Any) -> QuerySet[Invitation]:
    """Invitations a user answers: their own, and those of the members of the groups they keep."""
    mine = Q(member__user=user) if user.is_authenticated else Q(pk__in=[])
    return (
        Invitation.objects.filter(mine | Q(kpmi_id__in=managed_kpmi_ids(user)))
        .exclude(status=Invitation.Status.PROPOSED)
        .select_related("tot_event", "program", "member", "kpmi")
        .order_by("-created_at", "kpmi__name", "member__full_name")
    )


def tot_invitations_to_answer(*, user: Any, event: Any) -> list[Invitation]:
    """A ToT's invitations of the groups a keeper keeps (every group for the KOMTIK admin), as the
    bulk answer page lists them: by KPMI, then name. Proposals are the officer's and not shown."""
    rows = event.invitations.exclude(status=Invitation.Status.PROPOSED).select_related(
        "tot_event", "member__kpmi", "member__user"
    )
    if not is_komtik_admin(user):
        rows = rows.filter(member__kpmi_id__in=managed_kpmi_ids(user))
    return list(rows.order_by("member__kpmi__name", "member__full_name", "pk"))


def invitation_for_permission(*, pk: int) -> Invitation:
    return Invitation.objects.select_related("tot_event", "program", "member__kpmi", "member__user", "kpmi").get(pk=pk)


@dataclass
class InvitationHistoryRow:
    """One line of a member's invitations, as their page shows it."""

    invitation: Invitation
    answer: str
    result: str


def _invitation_answer(invitation: Invitation) -> str:
    S = Invitation.Status
    if invitation.status == S.SENT:
        return str(_("Awaiting answer"))
    if invitation.status in (S.DECLINED, S.WITHDRAWN):
        return invitation.get_status_display()
    return str(S.ACCEPTED.label)  # attended, absent, passed and failed all accepted first


def _invitation_result(invitation: Invitation, works: int) -> str:
    S = Invitation.Status
    if invitation.is_tot:
        if invitation.status == S.ATTENDED:
            return str(_("Attended, result pending"))
        if invitation.status in (S.ABSENT, S.PASSED, S.FAILED):
            return invitation.get_status_display()
        return ""
    if invitation.status == S.ACCEPTED and works:
        return ngettext("%(n)s piece of work credited", "%(n)s pieces of work credited", works) % {"n": works}
    return ""


def member_invitations(member: Member) -> list[InvitationHistoryRow]:
    """A member's invitations to a ToT or a collaboration programme, the latest event first, in one
    query: the event comes along, and the programme work credited to the member is counted by a
    subquery. Proposals nobody has sent yet are the officers' drafts, not invitations."""
    credited_work = (
        CollaborationWork.objects.filter(program=OuterRef("program_id"), activity__credits__member=member)
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Invitation.objects.filter(member=member)
        .exclude(status=Invitation.Status.PROPOSED)
        .select_related("tot_event", "program")
        .annotate(
            event_date=Coalesce("tot_event__date", "program__date"),
            works=Coalesce(Subquery(credited_work), 0),
        )
        .order_by("-event_date", "-pk")
    )
    history = []
    for invitation in rows:
        invitation.member = member  # the page has it: no query per row for permission checks
        history.append(
            InvitationHistoryRow(
                invitation=invitation,
                answer=_invitation_answer(invitation),
                result=_invitation_result(invitation, invitation.works),
            )
        )
    return history
