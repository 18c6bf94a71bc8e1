"""Selectors of the role homes (/beranda/): what needs each role now. Project level because a home
reads every app (work, invitations, targets, awards). Each returns a fixed number of queries
whatever the data (lists are cut at LIMIT and counted separately)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from associations.metrics import METRICS
from associations.models import Association, Period, TargetResult
from awards.models import AwardRound, Finalist
from members.models import Kpmi
from programs.models import Activity, Invitation
from programs.models.work import Status as WorkStatus

LIMIT = 5
BEHIND = (TargetResult.Status.BEHIND, TargetResult.Status.NOT_STARTED)


@dataclass
class Slice:
    """The first rows of a list and how many there are in all."""

    rows: list[Any] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))


def _slice(qs: QuerySet) -> Slice:
    rows = list(qs[:LIMIT])
    total = len(rows) if len(rows) < LIMIT else qs.count()
    return Slice(rows=rows, total=total)


def _behind(qs: QuerySet[TargetResult]) -> Slice:
    qs = (
        qs.filter(status__in=BEHIND, period__status=Period.Status.OPEN)
        .select_related("period", "kpmi", "member")
        .order_by("ratio", "period__start", "pk")
    )
    result = _slice(qs)
    for row in result.rows:
        row.metric_def = METRICS.get(row.metric)
    return result


@dataclass
class GroupAgenda:
    kpmi: Kpmi
    approvals: Slice
    invitations: Slice
    behind: Slice


def group_agenda(*, kpmi: Kpmi) -> GroupAgenda:
    """A manager's or supervisor's group: work waiting for approval, invitations waiting for an
    answer, targets behind in the open periods (the group's own and its managers')."""
    approvals = Activity.objects.filter(kpmi=kpmi, status=WorkStatus.PENDING).order_by("-created_at", "-pk")
    invitations = (
        Invitation.objects.filter(kpmi=kpmi, status=Invitation.Status.SENT)
        .select_related("member", "tot_event", "program")
        .order_by("pk")
    )
    return GroupAgenda(
        kpmi=kpmi,
        approvals=_slice(approvals),
        invitations=_slice(invitations),
        behind=_behind(TargetResult.objects.filter(kpmi=kpmi)),
    )


@dataclass
class OfficerAgenda:
    association: Association
    behind: Slice
    proposals: list[dict[str, Any]]


def officer_agenda(*, association: Association) -> OfficerAgenda:
    """An officer: the KPMI (or managers) furthest behind the association's targets, and the events
    with invitation proposals still to send."""
    proposals: list[dict[str, Any]] = []
    proposed = Invitation.objects.filter(status=Invitation.Status.PROPOSED)
    if association.code == "communities":
        proposals = list(
            proposed.filter(tot_event__isnull=False)
            .values("tot_event_id", "tot_event__name", "tot_event__date")
            .annotate(n=Count("pk"))
            .order_by("tot_event__date", "tot_event_id")[:LIMIT]
        )
        for row in proposals:
            row["name"], row["date"], row["url_name"], row["pk"] = (
                row["tot_event__name"],
                row["tot_event__date"],
                "interventions:tot_detail",
                row["tot_event_id"],
            )
    elif association.code == "users":
        proposals = list(
            proposed.filter(program__isnull=False)
            .values("program_id", "program__name", "program__date")
            .annotate(n=Count("pk"))
            .order_by("program__date", "program_id")[:LIMIT]
        )
        for row in proposals:
            row["name"], row["date"], row["url_name"], row["pk"] = (
                row["program__name"],
                row["program__date"],
                "interventions:collaboration_detail",
                row["program_id"],
            )
    return OfficerAgenda(
        association=association,
        behind=_behind(TargetResult.objects.filter(association=association)),
        proposals=proposals,
    )


def finalists_to_score(*, user: Any) -> Slice:
    """A juror: the finalists of the rounds in review, in the juror's categories, not yet scored."""
    qs = (
        Finalist.objects.filter(
            category__round__status=AwardRound.Status.IN_REVIEW,
            category__jury__user=user,
        )
        .exclude(Q(votes__jury_member__user=user))
        .select_related("category", "category__round", "member", "supervisor", "kpmi")
        .order_by("category__round__year", "category__position", "category_id", "rank")
        .distinct()
    )
    return _slice(qs)
