"""The Communities association's metrics: per KPMI, from members, level changes and groups."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from members.models import Kpmi, Level, LevelChange, Member

# --- Communities association: per KPMI ------------------------------------------------------------------


def _new_members(start: dt.date, end: dt.date) -> QuerySet[Member]:
    return Member.objects.filter(joined_on__gte=start, joined_on__lte=end)


def _new_trainers(start: dt.date, end: dt.date) -> QuerySet[LevelChange]:
    # A promotion to trainer (passing a ToT); registrations and corrections are not new trainers.
    return LevelChange.objects.filter(
        kind=LevelChange.Kind.PROMOTION, to_level=Level.TRAINER, effective_on__gte=start, effective_on__lte=end
    )


def _new_kpmi(start: dt.date, end: dt.date) -> QuerySet[Kpmi]:
    return Kpmi.objects.filter(founded_from__isnull=False, founded_on__gte=start, founded_on__lte=end)
