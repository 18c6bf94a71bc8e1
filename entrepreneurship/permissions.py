"""Who may see and touch a KPMI's money. A rule here holds for views, services and exports alike."""

from __future__ import annotations

from typing import Any

from members import permissions as member_permissions
from members.models import Kpmi

ENTREPRENEURS = "entrepreneurs"  # associations.Association.Code.ENTREPRENEURS, without importing upward


def can_keep_money(user: Any, kpmi: Kpmi) -> bool:
    """Record orders, payments, costs and reversals: the group's keepers (managers, supervisors) and
    the KOMTIK admin. Officers oversee; they do not keep another group's books."""
    return member_permissions.can_manage_kpmi(user, kpmi)


def can_view_money(user: Any, kpmi: Kpmi) -> bool:
    """See the group's orders, ledger and coverage: its keepers, the KOMTIK admin and every officer
    (the Entrepreneurs association oversees; the others see it beside the group's other numbers)."""
    return can_keep_money(user, kpmi) or member_permissions.is_officer(user)


def can_manage_templates(user: Any) -> bool:
    """KOMTIK's catalogue templates: the KOMTIK admin and the Entrepreneurs association's officers."""
    return member_permissions.is_komtik_admin(user) or member_permissions.is_officer(user, ENTREPRENEURS)
