"""Reads for competitions: the live leaderboard from the logged work, the frozen one once closed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from members.models import Kpmi, Level, Member

from .. import metrics
from ..models import (
    Competition,
)


@dataclass
class Standing:
    rank: int
    score: int
    kpmi: Kpmi
    member: Member | None = None
    is_winner: bool = False


LEADERBOARD_SIZE = 50


def competition_leaderboard(competition: Competition) -> list[Standing]:
    """The frozen standings of a closed competition, or the live ones computed from the logged work
    (programs.metrics, the one definition of how much work) while it runs."""
    if competition.status == Competition.Status.CLOSED:
        return [
            Standing(rank=s.rank, score=s.score, kpmi=s.kpmi, member=s.member, is_winner=s.is_winner)
            for s in competition.standings.select_related("kpmi", "member")
        ]
    return live_standings(competition)


def live_standings(competition: Competition, limit: int = LEADERBOARD_SIZE) -> list[Standing]:
    period = competition.period
    filters = {"kinds": [competition.kind], "start": period.start, "end": period.end, "measure": competition.measure}
    if competition.entrants == Competition.Entrants.KPMI:
        rows = list(metrics.work_scores(by=("kpmi",), **filters).order_by("-n", "kpmi_id")[:limit])
        groups = Kpmi.objects.in_bulk([r["kpmi_id"] for r in rows])
        board = [(r["n"], groups[r["kpmi_id"]], None) for r in rows]
    else:
        # Only managers (and pioneers) compete: candidates and trainers credited on work do not.
        managers = Member.objects.filter(level__gte=Level.MANAGER).values("pk")
        rows = list(
            metrics.work_scores(by=("member",), **filters)
            .filter(member_id__in=managers)
            .order_by("-n", "member_id")[:limit]
        )
        people = Member.objects.select_related("kpmi").in_bulk([r["member_id"] for r in rows])
        board = [(r["n"], people[r["member_id"]].kpmi, people[r["member_id"]]) for r in rows]
    standings: list[Standing] = []
    for index, (score, kpmi, member) in enumerate(board):
        # Equal scores share a rank (1, 2, 2, 4).
        rank = standings[-1].rank if standings and standings[-1].score == score else index + 1
        standings.append(Standing(rank=rank, score=score, kpmi=kpmi, member=member))
    return standings


def competitions_list() -> QuerySet[Competition]:
    return Competition.objects.select_related("period").order_by("-created_at", "-pk")
