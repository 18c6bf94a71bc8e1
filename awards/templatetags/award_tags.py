"""Awards received, listed on the member and KPMI pages, so those pages (members app) need no import
of this app: they load this tag library."""

from typing import Any

from django import template

from awards.selectors import awards_for_kpmi, awards_for_member

register = template.Library()


@register.inclusion_tag("awards/_awards_received.html")
def member_awards(member: Any) -> dict[str, Any]:
    return {"entries": awards_for_member(member)}


@register.inclusion_tag("awards/_awards_received.html")
def kpmi_awards(kpmi: Any) -> dict[str, Any]:
    return {"entries": awards_for_kpmi(kpmi), "show_recipient": True}
