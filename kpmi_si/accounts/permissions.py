"""Who may invite whom to an account, in one place (services and views both ask)."""

from __future__ import annotations

from typing import Any

from members import permissions as member_permissions
from members.models import KpmiRole, Member


def can_invite_user(actor: Any, user: Any) -> bool:
    """The admin anyone; a KPMI's keepers their own members; whoever appoints KPMI keepers (the
    Communities association) the keepers they appointed."""
    if member_permissions.is_komtik_admin(actor):
        return True
    member = Member.objects.filter(user=user).select_related("kpmi").first()
    if member is not None and member_permissions.can_manage_kpmi(actor, member.kpmi):
        return True
    return member_permissions.can_assign_kpmi_roles(actor) and KpmiRole.objects.current().filter(user=user).exists()
