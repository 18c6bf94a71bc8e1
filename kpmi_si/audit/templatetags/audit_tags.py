from __future__ import annotations

from django import template

from kpmi_si.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """`{{ entry.action|action_label }}`: the audit code in words, on every history page."""
    return _action_label(code)
