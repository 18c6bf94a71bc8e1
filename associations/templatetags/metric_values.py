"""How a metric's stored whole numbers read on a page: a count, Rupiah (stored in thousands), or a
percentage (see associations.metrics)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import NoReverseMatch

from kpmi_si.money import format_rupiah

from ..metrics import PERCENT, THOUSAND_RUPIAH

register = template.Library()


def metric_display(value: Any, unit: str) -> str:
    if value is None or value == "":
        return ""
    if unit == THOUSAND_RUPIAH:
        return format_rupiah(int(value) * 1000)
    if unit == PERCENT:
        return f"{value}%"
    return intcomma(value)


@register.filter
def metric_value(value: Any, metric: Any) -> str:
    """`{{ r.actual|metric_value:metric }}` -> `12`, `Rp 1.250.000` or `85%`."""
    return metric_display(value, getattr(metric, "unit", ""))


@register.filter
def link_or_empty(obj: Any) -> str:
    """The page of a record, or "" while that page's URL does not exist (the order and business pages
    belong to the entrepreneurship app's own screens)."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""
