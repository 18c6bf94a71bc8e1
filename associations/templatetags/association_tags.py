"""The group's own targets, shown on its KPMI page to the people who keep or oversee it."""

from typing import Any

from django import template

from associations.selectors import kpmi_progress as select_progress
from associations.selectors import results_computed_at

register = template.Library()


@register.inclusion_tag("associations/_kpmi_progress.html")
def kpmi_progress(kpmi: Any) -> dict[str, Any]:
    period, rows = select_progress(kpmi=kpmi)
    # Stored numbers: say when the evaluation computed them, so nobody takes them for today's.
    return {
        "period": period,
        "rows": rows,
        "computed_at": results_computed_at(period=period, rows=rows) if rows else None,
    }
