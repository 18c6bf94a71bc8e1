"""Reads for logged work. Lists load each page in a fixed number of queries whatever its length;
counting is programs.metrics' job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kpmi_si.audit.models import AuditEntry
from kpmi_si.audit.selectors import audit_entries_for
from members.models import Kpmi, Level, Member

from .. import metrics
from ..models import (
    DETAIL_MODELS,
    DETAIL_RELATED,
    Activity,
    ActivityCredit,
    ActivityKpmi,
    Evidence,
    Kind,
    Status,
)


def _credits_prefetch(through: str = "") -> Prefetch:
    return Prefetch(
        f"{through}credits",
        queryset=ActivityCredit.objects.select_related("member", "kpmi").order_by("position", "pk"),
    )


def _filtered(qs: QuerySet, filters: dict[str, Any] | None, members: QuerySet[Member] | None) -> QuerySet:
    from ..filters import ActivityFilter

    return ActivityFilter(filters, queryset=qs, members=members).qs


def _rows(model: type[ActivityCredit] | type[ActivityKpmi]) -> QuerySet:
    """Lists of a member's or a group's work page through that member's or group's own rows,
    newest first, along an index: a page costs the same at a hundred records or a million."""
    return (
        model.objects.select_related("activity__kpmi", "activity__kecamatan")
        .prefetch_related(_credits_prefetch("activity__"))
        .order_by("-date", "-activity_id")
    )


def kpmi_work(*, kpmi: Kpmi, filters: dict[str, Any] | None = None) -> QuerySet[ActivityKpmi]:
    """ "Our KPMI's work": what the group logged and what its members are credited on, one row per
    activity (see activities_of)."""
    return _filtered(_rows(ActivityKpmi).filter(kpmi=kpmi), filters, filter_members(kpmi=kpmi))


def member_work(*, member: Member, filters: dict[str, Any] | None = None) -> QuerySet[ActivityCredit]:
    """ "My work": what a member is credited on, whatever its status, one row per activity."""
    return _filtered(_rows(ActivityCredit).filter(member=member), filters, None)


def all_work(*, filters: dict[str, Any] | None = None) -> QuerySet[Activity]:
    """Every group's work, for officers and the KOMTIK admin."""
    qs = (
        Activity.objects.select_related("kpmi", "kecamatan")
        .prefetch_related(_credits_prefetch())
        .order_by("-date", "-pk")
    )
    return _filtered(qs, filters, filter_members(kpmi=None))


def activities_of(rows: Iterable[Any]) -> list[Activity]:
    """The activities behind a page of list rows (which may be activities already)."""
    return [row if isinstance(row, Activity) else row.activity for row in rows]


def list_activity_ids(rows: QuerySet) -> list[int]:
    """The ids of a filtered list's activities, in list order: read from the list's own index."""
    column = "pk" if rows.model is Activity else "activity_id"
    return list(rows.values_list(column, flat=True))


def filter_members(*, kpmi: Kpmi | None) -> QuerySet[Member]:
    qs = Member.objects.select_related("kpmi").order_by("kpmi__name", "full_name", "pk")
    return qs.filter(kpmi=kpmi) if kpmi is not None else qs


def pending_count(*, kpmi: Kpmi) -> int:
    return Activity.objects.filter(kpmi=kpmi, status=Status.PENDING).count()


def export_batch(ids: Sequence[int]) -> list[Activity]:
    """Activities with everything an export row shows, in the order of `ids`. Downloads fetch by
    id in batches: every query is a primary-key lookup, whatever the size of the tables."""
    # A correlated count per row: a Count() join would GROUP BY every column of every joined table.
    n_evidence = Evidence.objects.filter(activity=OuterRef("pk")).order_by().values("activity").annotate(n=Count("pk"))
    loaded = (
        Activity.objects.filter(pk__in=ids)
        .select_related("kpmi", "kecamatan", "desa", "created_by", *DETAIL_RELATED)
        .prefetch_related(
            _credits_prefetch(),
            Prefetch("training__trainees", queryset=Member.objects.order_by("full_name", "pk")),
        )
        .annotate(n_evidence=Coalesce(Subquery(n_evidence.values("n")), 0))
    )
    by_id = {activity.pk: activity for activity in loaded}
    return [by_id[pk] for pk in ids if pk in by_id]


def activity_detail(*, pk: int) -> Activity:
    return (
        Activity.objects.select_related("kpmi", "kecamatan", "desa", "created_by", "decided_by", *DETAIL_RELATED)
        .prefetch_related(
            _credits_prefetch(),
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk")),
            Prefetch("training__trainees", queryset=Member.objects.order_by("full_name", "pk")),
        )
        .get(pk=pk)
    )


def activity_for_permission(*, pk: int) -> Activity:
    """Just enough to decide who may act on the record."""
    return Activity.objects.select_related("kpmi").prefetch_related("credits").get(pk=pk)


# --- choices for the forms ----------------------------------------------------------------------------


def members_of(*, kpmi: Kpmi) -> QuerySet[Member]:
    return Member.objects.filter(kpmi=kpmi).select_related("kpmi").order_by("full_name", "pk")


def members_elsewhere(*, kpmi: Kpmi) -> QuerySet[Member]:
    """Members of every other group, ordered for a select grouped by KPMI."""
    return Member.objects.exclude(kpmi=kpmi).select_related("kpmi").order_by("kpmi__name", "full_name", "pk")


def trainer_choices(*, kpmi: Kpmi) -> QuerySet[Member]:
    """Trainers and above of every group, the logging group's first."""
    return (
        Member.objects.filter(level__gte=Level.TRAINER)
        .select_related("kpmi")
        .annotate(elsewhere=Case(When(kpmi=kpmi, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("elsewhere", "kpmi__name", "full_name", "pk")
    )


def grouped_choices(members: QuerySet[Member]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Choices grouped by KPMI (an <optgroup> each): a long list stays usable without JavaScript,
    and the browser's type-ahead still finds a name."""
    return [
        (kpmi_name, [(m.pk, m.full_name) for m in items])
        for kpmi_name, items in groupby(members, key=lambda m: m.kpmi.name)
    ]


# --- a member's and a group's totals ------------------------------------------------------------------


@dataclass
class TotalsTable:
    """Counts per year (rows, newest first) and kind (columns), for a template to lay out."""

    kinds: list[tuple[str, str]]
    rows: list[tuple[int, list[int], int]] = field(default_factory=list)

    @property
    def grand_total(self) -> int:
        return sum(total for _year, _counts, total in self.rows)


def totals_table(rows: Any) -> TotalsTable:
    """Shape metrics rows of (year, kind, n) into a table: the counting was done by the database."""
    kinds = list(Kind.choices)
    by_year: dict[int, dict[str, int]] = {}
    for row in rows:
        by_year.setdefault(row["year"], {})[row["kind"]] = row["n"]
    table = TotalsTable(kinds=kinds)
    for year in sorted(by_year, reverse=True):
        counts = [by_year[year].get(kind, 0) for kind, _label in kinds]
        table.rows.append((year, counts, sum(counts)))
    return table


RECENT_WORK = 10


def member_work_summary(*, member: Member) -> dict[str, Any]:
    """What a member's page shows of their work: the latest records and the totals per kind and year."""
    recent = activities_of(_rows(ActivityCredit).filter(member=member)[:RECENT_WORK])
    return {
        "recent": recent,
        "totals": totals_table(metrics.work_counts(by=("year", "kind"), member=member)),
        "has_more": len(recent) == RECENT_WORK,
    }


def kpmi_year_summary(*, kpmi: Kpmi, year: int | None = None) -> dict[str, Any]:
    year = year or timezone.localdate().year
    counts = metrics.per_kind(kpmi=kpmi, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    return {"year": year, "per_kind": [(label, counts.get(kind, 0)) for kind, label in Kind.choices]}


# --- the audit history, readable ----------------------------------------------------------------------

_EXTRA_LABELS = {
    "credited": _("Credited members"),
    "trainees": _("Trainees"),
    "evidence": _("Evidence files"),
}


def _field_meta(name: str) -> tuple[str, dict[str, str]]:
    """The label of a changed field and, for a field with choices, the labels of its values."""
    if name in _EXTRA_LABELS:
        return str(_EXTRA_LABELS[name]), {}
    for model in (Activity, *DETAIL_MODELS.values()):
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        choices = {str(k): str(v) for k, v in (model_field.choices or [])}
        return str(model_field.verbose_name), choices
    return name, {}


def _text(value: Any, choices: dict[str, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, dict):
        return str(value.get("text", value.get("id")))
    if isinstance(value, list):
        return ", ".join(_text(v, choices) for v in value)
    return choices.get(str(value), str(value))


@dataclass
class HistoryEntry:
    entry: AuditEntry
    changes: list[tuple[str, str, str]]


def activity_history(*, activity: Activity) -> list[HistoryEntry]:
    """Who changed what and when, old -> new, with field names and choice values as people read them."""
    history = []
    for entry in audit_entries_for(activity):
        changes = []
        for name, pair in (entry.changes or {}).items():
            label, choices = _field_meta(name)
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            old_text, new_text = _text(old, choices), _text(new, choices)
            if old_text != new_text:  # e.g. None -> "" when a record is logged with an empty field
                changes.append((capfirst(label), old_text, new_text))
        history.append(HistoryEntry(entry=entry, changes=changes))
    return history
