"""The dashboard's filter box, joined in Python.

The box was `{% include "_filter_form.html" with extra="associations/_dashboard_filter.html" %}`: two
includes, loops over the periods, the metrics and the filter fields, a dozen `{% if %}` and
`{% translate %}` nodes, the largest single piece of the page's rendering after the rows (README,
Benchmark, issue #16). The markup is those two templates' output, whitespace included; each filter field
still goes through `filter_field` (crispy's markup, and crispy itself for a field with an error).
The filter fields' markup is kept per process for the request's filter values, language and districts
(_filter_fields): building the FilterSet, its form and three fields, and drawing them, was the largest
part of the box. Everything the markup depends on is in the key — the districts are the ones the
dashboard's statement read for this request, so a new district shows at once.
The shared layout `_filter_form.html` still draws every other list's box: a change to it must be made
here too, which tests/associations/test_dashboard_filter.py checks (it renders the layout with the
period and metric fields the dashboard's own template had, and compares).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from kpmi_si.layout.templatetags.layout import filter_field, filters_in_use
from kpmi_si.templating import Kept

from ..filters import ResultFilter
from ..models import TargetResult

register = template.Library()

_FIELDS = Kept()


def _filter_fields(data: QueryDict, districts: list[tuple[str, str]]) -> str:
    """The filter fields' markup for the request's values (GET) and the districts read for this page."""
    names = tuple(ResultFilter.base_filters)
    key = (get_language(), tuple(districts), tuple(tuple(data.getlist(name)) for name in names), bool(data))
    return _FIELDS.get(key, lambda: _draw_filter_fields(data, districts))


def _draw_filter_fields(data: QueryDict, districts: list[tuple[str, str]]) -> str:
    filterset = ResultFilter(data or None, queryset=TargetResult.objects.none())
    kecamatan = filterset.form.fields["kecamatan"]
    # The districts the dashboard's statement read, instead of querying them again.
    kecamatan.widget.choices = [("", kecamatan.empty_label), *districts]
    return "".join(
        f'\n      <div class="col-12 col-sm-6 col-md-3">{filter_field(field)}</div>\n    ' for field in filterset.form
    )


def _options(chosen: Any, choices: Iterable[tuple[Any, str]]) -> str:
    # The template wrote `value="…" selected>` for the chosen option and `value="…" >` for the others.
    return "".join(
        f'<option value="{escape(str(value))}" {"selected" if value == chosen else ""}>{label}</option>'
        for value, label in choices
    )


@register.simple_tag(takes_context=True)
def dashboard_filter(context: template.Context) -> SafeString:
    """The shared filter layout with the period and metric fields in front, for the dashboard's context
    (periods, period, metrics, metric, district_choices, request)."""
    request = context["request"]
    period, metric = context["period"], context.get("metric")
    closed = f" ({escape(_('closed'))})"
    periods = _options(
        period.pk, ((p.pk, f"{escape(str(p.name))}{closed if p.is_closed else ''}") for p in context["periods"])
    )
    metrics = _options(getattr(metric, "code", None), ((m.code, escape(str(m.label))) for m in context["metrics"]))
    fields = _filter_fields(request.GET, context["district_choices"])
    n_active = filters_in_use(request.GET, ResultFilter.base_filters)
    badge = (
        f' <span class="badge text-bg-success">{n_active}<span class="visually-hidden">'
        f" {escape(pgettext('filters', 'active'))}</span></span>"
        if n_active
        else ""
    )
    filter_label = escape(_("Filter"))
    return mark_safe(  # noqa: S308  # nosec B308 B703 - every value is escaped above; filter_field's output is safe
        "\n\n\n\n\n"
        '<details class="filter-box mb-2" data-filter-box>\n'
        f'  <summary class="btn btn-outline-success btn-sm">{filter_label}{badge}</summary>\n'
        '  <form method="get" class="row g-2 align-items-end mb-2">\n'
        '    <div class="col-12 col-sm-6 col-md-3 mb-3">\n'
        f'  <label class="form-label" for="id_period">{escape(_("Period"))}</label>\n'
        '  <select class="form-select" name="period" id="id_period">\n'
        f"    {periods}\n"
        "  </select>\n"
        "</div>\n"
        '<div class="col-12 col-sm-6 col-md-3 mb-3">\n'
        f'  <label class="form-label" for="id_metric">{escape(_("Metric"))}</label>\n'
        '  <select class="form-select" name="metric" id="id_metric">\n'
        f"    {metrics}\n"
        "  </select>\n"
        "</div>\n"
        "\n"
        f"    {fields}\n"
        '    <div class="col-12 col-md-3 d-flex gap-2 mb-3">\n'
        f'      <button type="submit" class="btn btn-success">{filter_label}</button>\n'
        f'      <a class="btn btn-outline-secondary" href="{escape(request.path)}">{escape(_("Reset"))}</a>\n'
        "    </div>\n"
        "  </form>\n"
        "</details>\n"
    )
