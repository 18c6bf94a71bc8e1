"""Template helpers that ask members.permissions, so that a page links only where its viewer may go."""

from __future__ import annotations

from typing import Any

from django import template

from .. import permissions
from ..models import Member

register = template.Library()


@register.filter
def may_view_member(user: Any, member: Member | None) -> bool:
    """`{% if user|may_view_member:other %}`: the same check the member's page makes."""
    return member is not None and permissions.can_view_member(user, member)
