"""The member page's share of personal data (members app templates load this library, so members
imports nothing from here): the download of one's own data, and for the admin the anonymisation."""

from __future__ import annotations

from typing import Any

from django import template

from kpmi_si.privacy import permissions

register = template.Library()


@register.inclusion_tag("privacy/_member_privacy.html", takes_context=True)
def member_privacy(context: dict[str, Any], member: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "member": member,
        "can_export": permissions.can_export_member_data(user, member),
        "can_anonymise": permissions.can_anonymise(user) and not member.is_anonymised,
        "is_self": bool(user and user.is_authenticated and member.user_id == user.pk),
    }
