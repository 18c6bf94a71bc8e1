"""The work sections of the member and KPMI pages: the members app renders its pages and leaves what
belongs to logged work to this app, so that members (the base every app stands on) imports nothing
from programs."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from programs import permissions, selectors

register = template.Library()


@register.inclusion_tag("programs/_member_work.html", takes_context=True)
def member_work(context: template.Context, member: Any) -> dict[str, Any]:
    """A member's credited work per year and the latest records, with a link to all of it for the
    member themselves and for those who may see their group's work."""
    user = context["request"].user
    work = selectors.member_work_summary(member=member)
    if user.is_authenticated and member.user_id == user.pk:
        work["more_url"] = reverse("programs:my_work")
    elif permissions.can_view_kpmi_work(user, member.kpmi):
        work["more_url"] = f"{reverse('programs:work_list')}?kpmi={member.kpmi_id}&member={member.pk}"
    return {"work": work, "member": member}


@register.inclusion_tag("programs/_kpmi_work.html", takes_context=True)
def kpmi_work(context: template.Context, kpmi: Any) -> dict[str, Any]:
    """This year's work of a group, per kind: counts only, no names, and still for signed-in users
    only while the directory is public."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"kpmi_work": None}
    return {
        "kpmi": kpmi,
        "kpmi_work": selectors.kpmi_year_summary(kpmi=kpmi),
        "can_view_work": permissions.can_view_kpmi_work(user, kpmi),
    }
