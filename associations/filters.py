from html import escape

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from members.models import Kecamatan

from .models import TargetResult


class LightSelect(forms.Select):
    """Django's <select>, with the options joined in Python. The stock widget renders a template per
    option, which made the dashboard's district filter (42 kecamatan) one of the costliest parts of
    the page (see the README, Benchmark); the markup, and so the look, is the same."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        # html.escape, which django.utils.html.escape applies, without format_html's wrappers per option.
        options = "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in selected else ""}>{escape(str(label))}</option>'
            for v, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{attributes}>{options}</select>")  # noqa: S308  # nosec B308 B703 - escaped above; flatatt escapes


class ResultFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="search")
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=Kecamatan.objects.only("code", "name"),
        empty_label=_("All districts"),
        widget=LightSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=TargetResult.Status.choices, empty_label=_("All"), widget=LightSelect
    )

    class Meta:
        model = TargetResult
        fields = ["q", "kecamatan", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(kpmi__name__icontains=value) | Q(member__full_name__icontains=value))
