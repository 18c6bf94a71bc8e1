"""Reads of association awards."""

from __future__ import annotations

from django.db.models import QuerySet

from members.models import Member

from ..models import (
    AssociationAward,
)


def association_awards(*, association_code: str | None = None) -> QuerySet[AssociationAward]:
    rows = AssociationAward.objects.select_related("association", "member__kpmi").order_by("-awarded_on", "-pk")
    return rows.filter(association__code=association_code) if association_code else rows


def association_awards_of(member: Member) -> list[AssociationAward]:
    return list(member.association_awards.select_related("association").order_by("-awarded_on", "-pk"))
