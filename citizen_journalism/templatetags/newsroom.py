from __future__ import annotations

from typing import Any

from django import template

from members.models import Level
from members.permissions import is_komtik_admin

from .. import permissions

register = template.Library()


@register.filter
def is_pioneer(member: Any) -> bool:
    return getattr(member, "level", None) == Level.PIONEER


@register.inclusion_tag("citizen_journalism/_nav.html", takes_context=True)
def newsroom_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The news links of the main menu: the site for everyone, writing for members (their member record
    is loaded for the menu anyway), the queue for editors. Whether a user is an editor costs a query, so
    it is asked on the news pages only (and is free for the KOMTIK admin): every other page keeps its
    query count."""
    user = context.get("user")
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    on_news_pages = match is not None and match.app_name == "citizen_journalism"
    editor = is_komtik_admin(user) or (on_news_pages and permissions.is_editor(user))
    writer = permissions.writer_member(user)
    return {
        "can_write": writer is not None,
        "writer_pk": writer.pk if writer is not None else None,
        "is_editor": editor,
        # The content market's officers: asked on the news pages only, like the editors.
        "can_sell": is_komtik_admin(user) or (on_news_pages and permissions.can_manage_sales(user)),
    }
