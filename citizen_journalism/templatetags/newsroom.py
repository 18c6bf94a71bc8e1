from __future__ import annotations

from typing import Any

from django import template

from members.models import Level

register = template.Library()


@register.filter
def is_pioneer(member: Any) -> bool:
    return getattr(member, "level", None) == Level.PIONEER
