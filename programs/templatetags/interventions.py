"""The interventions' tags for other pages (the main menu is built in kpmi_si.layout.menu)."""

from __future__ import annotations

from typing import Any

from django import template

from programs import permissions

register = template.Library()


@register.inclusion_tag("programs/_member_invitations.html", takes_context=True)
def member_invitations(context: dict[str, Any], member: Any) -> dict[str, Any]:
    """The member's ToT and collaboration invitations, on their page (whose view checked who may
    see it). One query, however many invitations; the permission checks read what the user caches."""
    from programs import selectors

    request = context.get("request")
    user = getattr(request, "user", None)
    rows = selectors.member_invitations(member)
    return {
        "rows": rows,
        "linked": {row.invitation.pk for row in rows if permissions.can_view_invitation(user, row.invitation)},
    }
