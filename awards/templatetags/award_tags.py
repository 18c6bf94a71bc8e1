"""Awards received, listed on the member and KPMI pages, so those pages (members app) need no import
of this app: they load this tag library."""

from typing import Any

from django import template

from awards.selectors import awards_for_kpmi, awards_for_member

register = template.Library()


@register.inclusion_tag("awards/_awards_received.html")
def member_awards(member: Any) -> dict[str, Any]:
    """On the member's page, whose view checked who may see it: every award with its reason."""
    return {"entries": awards_for_member(member), "show_notes": True}


@register.inclusion_tag("awards/_awards_received.html")
def kpmi_awards(kpmi: Any, show_names: bool = False) -> dict[str, Any]:
    """On the KPMI page, which is public: the recipients of published awards always, the names of the
    others (an association's award to a member) only for whom `show_names` (who may see the members)."""
    return {"entries": awards_for_kpmi(kpmi), "show_recipient": True, "show_names": show_names}
