"""The dashboard's result rows, joined in Python.

A page of 25 results rendered through the template language cost more than the SQL that reads them
(variable lookups, a `{% url %}` and a `get_absolute_url()` reversal per row, the number filters, then
`{% cardtable %}` labelling every cell by regular expression): see the README, Benchmark, issue #16.
The markup is the template's: the same cells, classes, links and the `data-label` of each column that
`{% cardtable %}` would add (it leaves a cell that has one alone).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

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


def _percent(ratio: Any) -> str:
    """`{% widthratio ratio 1 100 %}`: the ratio as a whole percent, "" when there is none."""
    try:
        return str(round(float(ratio) * 100))
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def result_rows(rows: Iterable[dict[str, Any]], metric: Any, association_code: str, per_manager: bool) -> SafeString:
    labels = (_("Manager") if per_manager else "KPMI", _("District"), _("Target"), _("Actual"), "%", _("Status"))
    statuses = dict(TargetResult.Status.choices)
    unit = getattr(metric, "unit", "")
    records_head, records_tail = _url_pattern("associations:result_records", association_code)
    kpmi_head, kpmi_tail = _url_pattern("directory:kpmi_detail")
    title = _("Show the records behind this number")

    def cells(r: dict[str, Any]) -> tuple[Any, ...]:
        if per_manager:
            subject = format_html(
                '{}<div class="small text-muted">{}</div>', r["member__full_name"] or "", r["kpmi__name"] or ""
            )
        else:
            subject = format_html('<a href="{}{}{}">{}</a>', kpmi_head, r["kpmi_id"], kpmi_tail, r["kpmi__name"])
        return (
            labels[0],
            subject,
            labels[1],
            r["kecamatan__name"] or "",
            labels[2],
            metric_display(r["target"], unit),
            labels[3],
            records_head,
            r["pk"],
            records_tail,
            title,
            metric_display(r["actual"], unit),
            labels[4],
            _percent(r["ratio"]),
            labels[5],
            BADGE.get(r["status"], "text-bg-secondary"),
            statuses.get(r["status"], r["status"]),
        )

    return format_html_join(
        "\n",
        "<tr>\n"
        '      <td data-label="{}">{}</td>\n'
        '      <td class="d-none d-md-table-cell" data-label="{}">{}</td>\n'
        '      <td class="text-end" data-label="{}">{}</td>\n'
        '      <td class="text-end" data-label="{}"><a href="{}{}{}" title="{}">{}</a></td>\n'
        '      <td class="text-end" data-label="{}">{}%</td>\n'
        '      <td data-label="{}"><span class="badge {}">{}</span></td>\n'
        "    </tr>",
        (cells(r) for r in rows),
    )
