from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput
from members.models import Kecamatan, Member

from .models import Activity, ActivityCredit, Kind, Status


class ActivityFilter(django_filters.FilterSet):
    """The filters of every work list. Lists read either activities or the per-member/per-group
    rows that carry an activity's kind, date and status (programs.selectors); the filters on
    those three apply to either, the others reach the activity through `activity__`.

    `members` are the people one may filter by: a group's members on the group's list, everyone
    on the officers' list, nobody on a member's own list."""

    q = django_filters.CharFilter(label=_("Title or topic"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All kinds"))
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte", widget=DateInput())
    date_to = django_filters.DateFilter(label=_("Until"), field_name="date", lookup_expr="lte", widget=DateInput())
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=Kecamatan.objects.all(), empty_label=_("All districts"), method="in_kecamatan"
    )
    member = django_filters.ModelChoiceFilter(
        label=_("Credited member"), queryset=Member.objects.none(), method="credited", empty_label=_("Anyone")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("All"))

    def __init__(self, *args: Any, members: QuerySet[Member] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on_activity = self.queryset is None or self.queryset.model is Activity
        self._to_activity = "" if on_activity else "activity__"
        self._activity_id = "pk" if on_activity else "activity_id"
        if members is None:
            del self.filters["member"]
        else:
            self.filters["member"].queryset = members

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(**{f"{self._to_activity}title__icontains": value}) if value else queryset

    def in_kecamatan(self, queryset, name, value):
        return queryset.filter(**{f"{self._to_activity}kecamatan": value}) if value else queryset

    def credited(self, queryset, name, value):
        if not value:
            return queryset
        credited = ActivityCredit.objects.filter(activity_id=OuterRef(self._activity_id), member=value)
        return queryset.filter(Exists(credited))
