"""Who may see and remove a member's personal data."""

from __future__ import annotations

from typing import Any

from members.models import Member
from members.permissions import is_komtik_admin


def can_export_member_data(user: Any, member: Member) -> bool:
    """The member themself, and the KOMTIK admin (who answers requests made on paper). Not the group's
    keepers nor officers: they see what their work needs, not a copy of everything."""
    if is_komtik_admin(user):
        return True
    return bool(user and user.is_authenticated and user.is_active and member.user_id == user.pk)


def can_anonymise(user: Any) -> bool:
    return is_komtik_admin(user)


def can_review(user: Any) -> bool:
    return is_komtik_admin(user)
