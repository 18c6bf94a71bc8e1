"""The dashboard's result rows, joined in Python.

A page of 25 results rendered through the template language cost more than the SQL that reads them
(variable lookups, a `{% url %}` and a `get_absolute_url()` reversal per row, the number filters, then
`{% cardtable %}` labelling every cell by regular expression): see the README, Benchmark, issue #16.
The markup is the template's: the same cells, classes, links and the `data-label` of each column that
`{% cardtable %}` would add (it leaves a cell that has one alone).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..metrics import COUNT, THOUSAND_RUPIAH
from ..models import TargetResult
from .metric_values import metric_display

register = template.Library()

# The columns a dashboard row reads (selectors.results(...).values(*ROW_FIELDS)): no model instances.
ROW_FIELDS = (
    "pk",
    "target",
    "actual",
    "ratio",
    "status",
    "kpmi_id",
    "kpmi__name",
    "member__full_name",
    "kecamatan__name",
)

BADGE = {
    TargetResult.Status.ACHIEVED: "text-bg-success",
    TargetResult.Status.ON_TRACK: "text-bg-warning",
    TargetResult.Status.BEHIND: "text-bg-danger",
}
# Reversed once per page with a placeholder id, then filled in per row: the same URL as reversing
# each row's (an <int:pk> path segment), without a resolver walk per row.
_PLACEHOLDER = 987654321


def _url_pattern(name: str, *args: Any) -> tuple[str, str]:
    url = reverse(name, args=[*args, _PLACEHOLDER])
    head, _sep, tail = url.rpartition(str(_PLACEHOLDER))
    return head, tail


def _counts_display() -> Any:
    """metric_display for a count, made once per page: intcomma (number_format with the language's
    thousand separator, forced grouping) localises and groups each of the 50 numbers anew, a tenth of
    the rows' time. A whole number grouped by threes reads the same from Python's own grouping; any
    other value or grouping goes to metric_display."""
    separator, grouping = get_format("THOUSAND_SEPARATOR"), get_format("NUMBER_GROUPING")

    def display(value: Any) -> str:
        if type(value) is int and grouping == 3:
            return f"{value:,}".replace(",", separator)
        return metric_display(value, COUNT)

    return display


def _rupiah_display(value: Any) -> str:
    """metric_display for thousands of Rupiah: format_rupiah goes through Decimal, quantising and
    formatting with two places, for the 50 numbers of a page (the Entrepreneurs dashboard's money
    metrics). A stored result is a whole number of thousands, so whole Rupiah, grouped with dots, no
    cents: Python's own grouping gives the same text; anything else goes to metric_display."""
    if type(value) is int and abs(value) < 10**12:
        grouped = f"Rp {abs(value) * 1000:,}".replace(",", ".")
        return f"-{grouped}" if value < 0 else grouped
    return metric_display(value, THOUSAND_RUPIAH)


def _percent(ratio: Any) -> str:
    """`{% widthratio ratio 1 100 %}`: the ratio as a whole percent, "" when there is none."""
    try:
        return str(round(float(ratio) * 100))
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def result_rows(rows: Iterable[dict[str, Any]], metric: Any, association_code: str, per_manager: bool) -> SafeString:
    # html.escape is what django.utils.html.escape applies; called directly, without format_html's
    # lazy-string and SafeString wrappers around each of the ~400 values of a page.
    labels = [
        escape(str(text))
        for text in (_("Manager") if per_manager else "KPMI", _("District"), _("Target"), _("Actual"), "%", _("Status"))
    ]
    statuses = {value: escape(str(label)) for value, label in TargetResult.Status.choices}
    unit = getattr(metric, "unit", "")
    if unit == COUNT:
        shown = _counts_display()
    elif unit == THOUSAND_RUPIAH:
        shown = _rupiah_display
    else:
        shown = lambda value: metric_display(value, unit)  # noqa: E731
    records_head, records_tail = (
        escape(part) for part in _url_pattern("associations:result_records", association_code)
    )
    kpmi_head, kpmi_tail = (escape(part) for part in _url_pattern("directory:kpmi_detail"))
    title = escape(str(_("Show the records behind this number")))

    def row(r: dict[str, Any]) -> str:
        if per_manager:
            subject = (
                f"{escape(r['member__full_name'] or '')}"
                f'<div class="small text-muted">{escape(r["kpmi__name"] or "")}</div>'
            )
        else:
            subject = f'<a href="{kpmi_head}{int(r["kpmi_id"])}{kpmi_tail}">{escape(r["kpmi__name"] or "")}</a>'
        status = r["status"]
        return (
            "<tr>\n"
            f'      <td data-label="{labels[0]}">{subject}</td>\n'
            f'      <td class="d-none d-md-table-cell" data-label="{labels[1]}">'
            f"{escape(r['kecamatan__name'] or '')}</td>\n"
            f'      <td class="text-end" data-label="{labels[2]}">{escape(shown(r["target"]))}</td>\n'
            f'      <td class="text-end" data-label="{labels[3]}"><a href="{records_head}{int(r["pk"])}{records_tail}" '
            f'title="{title}">{escape(shown(r["actual"]))}</a></td>\n'
            f'      <td class="text-end" data-label="{labels[4]}">{_percent(r["ratio"])}%</td>\n'
            f'      <td data-label="{labels[5]}"><span class="badge {BADGE.get(status, "text-bg-secondary")}">'
            f"{statuses.get(status, escape(str(status)))}</span></td>\n"
            "    </tr>"
        )

    return mark_safe("\n".join(row(r) for r in rows))  # noqa: S308  # nosec B308 B703 - every value above is escaped
