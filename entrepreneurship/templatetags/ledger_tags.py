"""The KPMI page's links to the group's money and businesses, for those who may see them (the members
app shows the page; this app decides who sees its part of it)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import permissions

register = template.Library()


@register.inclusion_tag("entrepreneurship/_kpmi_money_links.html", takes_context=True)
def kpmi_money_links(context: Any, kpmi: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "kpmi": kpmi,
        "can_view_money": permissions.can_view_money(user, kpmi),
        "can_view_businesses": permissions.can_view_businesses(user, kpmi),
    }
