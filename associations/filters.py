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


class TextInput(forms.TextInput):
    """Django's text box, written in Python: the stock widget renders three templates
    (text.html, input.html, attrs.html) for one tag. Same markup: type, name, the value when there is
    one, then the attributes in their order, a True one bare and a False or None one left out. Named
    as Django's, because the filter layout (layout.filter_field) writes the class name into the markup."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        parts = [f'<input type="{escape(self.input_type)}" name="{escape(name)}"']
        if value is not None:
            parts.append(f' value="{escape(str(value))}"')
        for key, attribute in self.build_attrs(self.attrs, attrs).items():
            if attribute is True:
                parts.append(f" {escape(key)}")
            elif attribute is not False and attribute is not None:
                parts.append(f' {escape(key)}="{escape(str(attribute))}"')
        return mark_safe("".join(parts) + ">")  # noqa: S308  # nosec B308 B703 - every part escaped above


class ResultFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="search", widget=TextInput)
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

    def get_form_class(self):
        """The filters' form class, built once: django-filter builds a class and its three fields on
        every request (the dashboard's, README, Benchmark, issue #16). The fields do not depend on the
        request (labels are lazy, the districts a queryset read per form); each form deep-copies them, as
        any Django form does its class's fields, so a page that changes its form's field changes its own."""
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(kpmi__name__icontains=value) | Q(member__full_name__icontains=value))
