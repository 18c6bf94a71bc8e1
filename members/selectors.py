"""Reads for KPMI groups and members. Counting happens in the database; templates get everything
they show in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Kpmi, KpmiRole, Level, LevelChange, Member


def _level_counts() -> dict[str, Count]:
    counts = {f"n_{level.name.lower()}": Count("members", filter=Q(members__level=level.value)) for level in Level}
    counts["n_members"] = Count("members")
    return counts


def _supervisors_prefetch() -> Prefetch:
    return Prefetch(
        "roles",
        queryset=KpmiRole.objects.current().filter(role=KpmiRole.Role.SUPERVISOR).select_related("user"),
        to_attr="supervisor_roles",
    )


def kpmi_directory(*, filters: dict[str, Any] | None = None) -> QuerySet[Kpmi]:
    """The public directory: groups with their location, supervisors and members per level."""
    from .filters import KpmiFilter

    qs = (
        Kpmi.objects.select_related("kecamatan", "desa")
        .annotate(**_level_counts())
        .prefetch_related(_supervisors_prefetch())
        .order_by("name")
    )
    return KpmiFilter(filters, queryset=qs).qs


def kpmi_detail(*, pk: int) -> Kpmi:
    return (
        Kpmi.objects.select_related("kecamatan", "desa", "founded_from", "founded_by")
        .annotate(**_level_counts())
        .prefetch_related(
            _supervisors_prefetch(),
            Prefetch("offshoots", queryset=Kpmi.objects.select_related("kecamatan").order_by("founded_on")),
        )
        .get(pk=pk)
    )


def member_list(*, kpmi: Kpmi, filters: dict[str, Any] | None = None) -> QuerySet[Member]:
    from .filters import MemberFilter

    qs = Member.objects.filter(kpmi=kpmi).select_related("trained_by").order_by("full_name", "pk")
    return MemberFilter(filters, queryset=qs).qs


def member_detail(*, pk: int) -> Member:
    return (
        Member.objects.select_related("kpmi", "kpmi__kecamatan", "trained_by", "trained_by__kpmi", "user")
        .prefetch_related(
            Prefetch(
                "level_changes",
                queryset=LevelChange.objects.select_related("recorded_by").order_by(
                    "-effective_on", "-recorded_at", "-pk"
                ),
            ),
            Prefetch("trainees", queryset=Member.objects.select_related("kpmi").order_by("joined_on", "full_name")),
        )
        .get(pk=pk)
    )


def trainer_choices(*, kpmi: Kpmi) -> QuerySet[Member]:
    """Who can be named as a member's trainer: trainers and above of the group, and the pioneer
    who founded it (new groups are trained by their founder)."""
    condition = Q(kpmi=kpmi)
    if kpmi.founded_by_id:
        condition |= Q(pk=kpmi.founded_by_id)
    return Member.objects.filter(condition, level__gte=Level.TRAINER).select_related("kpmi").order_by("full_name")


def founder_choices() -> QuerySet[Member]:
    return Member.objects.filter(level__gte=Level.MANAGER).select_related("kpmi").order_by("kpmi__name", "full_name")


def kpmi_for_user(*, user: Any) -> QuerySet[Kpmi]:
    return Kpmi.objects.filter(roles__user=user, roles__until__isnull=True).distinct().order_by("name")


def level_totals() -> dict[int, int]:
    rows = Member.objects.values("level").annotate(n=Count("pk")).order_by()
    totals = dict.fromkeys(Level.values, 0)
    totals.update({row["level"]: row["n"] for row in rows})
    return totals


def desa_of(*, kecamatan: Any, query: str = "") -> QuerySet[Any]:
    """A district's villages by name, optionally those whose name contains `query`."""
    from .models import Desa

    rows = Desa.objects.filter(kecamatan=kecamatan).order_by("name")
    return rows.filter(name__icontains=query.strip()) if query.strip() else rows
