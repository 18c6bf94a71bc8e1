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

from collections.abc import Iterable
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


# --- Interventions ----------------------------------------------------------------------------------

COMMUNITIES = "communities"  # the association that runs the central ToT


def can_run_tot(user: Any) -> bool:
    """Schedule a ToT, review and send its invitations, record attendance and results."""
    return is_komtik_admin(user) or is_officer(user, COMMUNITIES)


def can_answer_invitation(user: Any, invitation: Any) -> bool:
    """The invited member, or a keeper of their group (members often have no login of their own)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return invitation.member.user_id == user.pk or can_manage_kpmi(user, invitation.member.kpmi)


def can_view_invitation(user: Any, invitation: Any) -> bool:
    return can_answer_invitation(user, invitation) or can_view_invitation_as_officer(user, invitation)


PLATFORM = "platform"  # the association that offers volunteer projects


def can_run_projects(user: Any) -> bool:
    """Publish volunteer projects, confirm teams, complete projects."""
    return is_komtik_admin(user) or is_officer(user, PLATFORM)


def can_sign_up_member(user: Any, member: Member) -> bool:
    """A manager signs themselves up; a keeper of a group signs up its managers."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return member.user_id == user.pk or can_manage_kpmi(user, member.kpmi)


def award_association_code(user: Any) -> str | None:
    """The association an officer grants awards for; the admin may pick any (None here)."""
    from members.permissions import officer_association_code

    return officer_association_code(user)


def can_grant_awards(user: Any) -> bool:
    return is_komtik_admin(user) or is_officer(user)


USERS = "users"  # the association that runs competitions (and collaboration programmes)


def can_run_competitions(user: Any) -> bool:
    return is_komtik_admin(user) or is_officer(user, USERS)


def can_run_collaborations(user: Any) -> bool:
    return is_komtik_admin(user) or is_officer(user, USERS)


def collaboration_members_of(user: Any, participants: Iterable[Member]) -> list[Member]:
    """The programme participants a user acts for: themselves, and the participants of the groups
    they keep (as with invitations, a keeper answers and logs for members without a login).
    Empty: the user is not on the participants' side."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    managed = managed_kpmi_ids(user)
    people = [m for m in participants if m.user_id == user.pk or m.kpmi_id in managed]
    # Their own record first: a participant logs for their own group.
    return sorted(people, key=lambda m: m.user_id != user.pk)


def can_view_collaboration(user: Any, participants: Iterable[Member]) -> bool:
    """The programme's page: its officers, and the participants' side (see above)."""
    return can_run_collaborations(user) or bool(collaboration_members_of(user, participants))


def can_run_event(user: Any, event: Any) -> bool:
    """Send and withdraw the invitations of a ToT (Communities) or a collaboration programme (Users)."""
    from .models import TotEvent

    return can_run_tot(user) if isinstance(event, TotEvent) else can_run_collaborations(user)


def can_view_invitation_as_officer(user: Any, invitation: Any) -> bool:
    return can_run_event(user, invitation.event)
