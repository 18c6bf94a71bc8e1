"""- `{% kpmi_progress kpmi %}`: the group's own targets, shown on its KPMI page to the people who keep
  or oversee it.
- `{% association_nav active %}`: the tabs of an association's pages (associations/_nav.html)."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from associations.selectors import kpmi_progress as select_progress
from associations.selectors import results_computed_at
from kpmi_si.kept import Kept

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


# The tabs rendered per association, tab, tab set, period, language, script prefix and URLconf: all
# their markup depends on. Included as a template, they took ~4% of a dashboard's time (README,
# Benchmark, issue #16). Renewed when full (periods come and go), forgotten at a settings change.
_NAVS: Kept[str] = Kept(512, renew_when_full=True)


@register.simple_tag(takes_context=True)
def association_nav(context: template.Context, active: str, can_manage_targets: bool | None = None) -> SafeString:
    """The tabs: the dashboard, the targets (for those who may manage them, or on the targets page),
    the periods; the dashboard and targets tabs keep the period shown."""
    association, period = context["association"], context.get("period")
    if can_manage_targets is None:
        can_manage_targets = bool(context.get("can_manage_targets"))
    values = {
        "association": association,
        "active": active,
        "can_manage_targets": can_manage_targets,
        "period": period,
    }
    key = (association.code, active, can_manage_targets, getattr(period, "pk", None), get_language())
    key += (get_script_prefix(), get_urlconf())
    html = _NAVS.get(key, lambda: render_to_string("associations/_nav.html", values))
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 - rendered (and escaped) by its template
