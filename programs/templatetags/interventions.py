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


@register.inclusion_tag("programs/_member_association_awards.html")
def member_association_awards(member: Any) -> dict[str, Any]:
    """Awards from the associations, on the member's page (whose view checked who may see it)."""
    from programs import selectors

    return {"awards": selectors.association_awards_of(member)}
