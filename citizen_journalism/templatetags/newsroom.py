from __future__ import annotations

from typing import Any

from django import template

from members.models import Level

from .. import permissions

register = template.Library()


@register.filter
def is_pioneer(member: Any) -> bool:
    return getattr(member, "level", None) == Level.PIONEER


@register.inclusion_tag("citizen_journalism/_nav.html", takes_context=True)
def newsroom_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The news links of the main menu: the site for everyone, writing for members, the queue for editors."""
    user = context.get("user")
    return {"can_write": permissions.can_write(user), "is_editor": permissions.is_editor(user)}
