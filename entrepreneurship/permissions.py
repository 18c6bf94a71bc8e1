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


# --- pioneers' businesses (ledger part) ---------------------------------------------------------------


def linked_member(user: Any) -> Any:
    """The Member this user account is (None for keepers without a member record, or anonymous).
    Cached on the user object: a page asks several times."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_linked_member"):
        from members.models import Member

        user._linked_member = Member.objects.filter(user=user).only("pk", "kpmi_id", "level").first()
    return user._linked_member


def is_pioneer_of(user: Any, kpmi: Kpmi) -> bool:
    from members.models import Level

    member = linked_member(user)
    return member is not None and member.kpmi_id == kpmi.pk and member.level == Level.PIONEER


def can_register_business(user: Any, kpmi: Kpmi) -> bool:
    """The group's keepers (on behalf of one of its pioneers) and the pioneers themselves."""
    return can_keep_money(user, kpmi) or is_pioneer_of(user, kpmi)


def can_view_businesses(user: Any, kpmi: Kpmi) -> bool:
    return can_view_money(user, kpmi) or is_pioneer_of(user, kpmi)


def can_run_business(user: Any, business: Any) -> bool:
    """Record income and costs, settle a month, close: the group's keepers and the owner."""
    if can_keep_money(user, business.kpmi):
        return True
    member = linked_member(user)
    return member is not None and member.pk == business.owner_id
