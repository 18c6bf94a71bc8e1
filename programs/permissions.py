"""Who may do what with logged work, in one place. Views check these before showing a page and the
services check them again, so a rule holds whatever the entry point.

- A group's keepers (its managers and supervisors) log work for it, approved at once.
- A member with a login but no keeper role logs their own work; it waits for approval by a keeper
  of their group and counts only once approved.
- Whoever logged a record and the keepers of the group it was logged for change or delete it
  while its period is open (programs.periods); the KOMTIK admin always may.
- A record is seen by the group it was logged for, the groups of its credited members, the
  credited members themselves, association officers and the admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from members.permissions import can_manage_kpmi, is_komtik_admin, is_officer, managed_kpmi_ids

if TYPE_CHECKING:
    from members.models import Kpmi, Member

    from .models import Activity


def member_of(user: Any) -> Member | None:
    """The user's own member record, if they are a member. Django caches the answer on the user."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    return getattr(user, "member", None)


def is_self_logger(user: Any, kpmi: Kpmi) -> bool:
    """A member of `kpmi` logging their own work without being one of its keepers."""
    member = member_of(user)
    return member is not None and member.kpmi_id == kpmi.pk and not can_manage_kpmi(user, kpmi)


def can_log_for_kpmi(user: Any, kpmi: Kpmi) -> bool:
    return can_manage_kpmi(user, kpmi) or is_self_logger(user, kpmi)


def can_log_work(user: Any) -> bool:
    return is_komtik_admin(user) or bool(managed_kpmi_ids(user)) or member_of(user) is not None


def can_view_kpmi_work(user: Any, kpmi: Kpmi) -> bool:
    """The "our work" list of a group: its keepers, officers (their oversight covers every group)
    and the admin."""
    return can_manage_kpmi(user, kpmi) or is_officer(user)


def can_view_all_work(user: Any) -> bool:
    return is_komtik_admin(user) or is_officer(user)


def can_view_activity(user: Any, activity: Activity) -> bool:
    if can_view_all_work(user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    if activity.created_by_id == user.pk:
        return True
    managed = managed_kpmi_ids(user)
    if activity.kpmi_id in managed:
        return True
    member = member_of(user)
    return any(
        credit.kpmi_id in managed or (member is not None and credit.member_id == member.pk)
        for credit in activity.credits.all()
    )


def can_change_activity(user: Any, activity: Activity) -> bool:
    """Edit or delete, as far as the role goes; whether the period is still open is
    programs.periods' question (the admin alone ignores it)."""
    if is_komtik_admin(user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    return activity.created_by_id == user.pk or activity.kpmi_id in managed_kpmi_ids(user)


def can_decide_activity(user: Any, activity: Activity) -> bool:
    """Approve or reject self-logged work: the keepers of the group it was logged for."""
    return is_komtik_admin(user) or activity.kpmi_id in managed_kpmi_ids(user)


def can_view_history(user: Any) -> bool:
    return can_view_all_work(user)
