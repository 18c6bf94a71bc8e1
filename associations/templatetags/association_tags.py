"""The group's own targets, shown on its KPMI page to the people who keep or oversee it."""

from typing import Any

from django import template

from associations.selectors import kpmi_progress as select_progress

register = template.Library()


@register.inclusion_tag("associations/_kpmi_progress.html")
def kpmi_progress(kpmi: Any) -> dict[str, Any]:
    period, rows = select_progress(kpmi=kpmi)
    return {"period": period, "rows": rows}
