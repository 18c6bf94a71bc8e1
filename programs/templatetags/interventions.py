"""The navigation's share of the interventions: the bell, and the links to the ToT and to
invitations. No query of its own: the officer check is cached on the user by the navigation, and
the unread count is fetched by static/js/notifications.js after the page loads."""

from __future__ import annotations

from typing import Any

from django import template

from programs import permissions

register = template.Library()


@register.inclusion_tag("programs/_intervention_nav.html", takes_context=True)
def intervention_nav(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "can_run_tot": permissions.can_run_tot(user),
        "can_grant_awards": permissions.can_grant_awards(user),
        "can_run_collaborations": permissions.can_run_collaborations(user),
    }


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
