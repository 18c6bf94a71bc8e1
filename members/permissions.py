"""Who may do what, in one place. Views call these through the helpers in members/views_helpers.py,
and services call them again, so a rule holds whether the request comes from the UI, a URL typed by
hand, the admin or a management command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from .models import KpmiRole, Level

if TYPE_CHECKING:
    from .models import Kpmi, Member

COMMUNITIES = "communities"  # associations.Association.Code.COMMUNITIES, without importing upward


def is_komtik_admin(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _with_roles(queryset: Any, *, member: bool = True) -> Any:
    """`queryset` of users with what every page's frame asks of its user next: the officer record and
    its association, the member record (unless `member` is False) and whether the user keeps any group
    (the offline outbox of every page asks), in the same statement."""
    related = ["officer__association", "member"] if member else ["officer__association"]
    keeps = Exists(KpmiRole.objects.current().filter(user=OuterRef("pk")))
    return queryset.select_related(*related).annotate(keeps_kpmi=keeps)


def _remember_roles(user: Any, found: Any) -> None:
    """Keep on `user` what _with_roles read into `found` (the same user), so no helper asks again."""
    officer = getattr(found, "officer", None)
    user._officer_code = officer.association.code if officer is not None else None
    user._keeps_kpmi = bool(found and found.keeps_kpmi)


def user_with_roles(user_id: Any) -> Any:
    """The user with this id, its roles read along (see _with_roles) in one query, or None. The
    session's user is loaded this way (kpmi_si.accounts.backends.UserBackend): the menu, the role
    checks and the offline outbox then ask nothing more."""
    user_model = get_user_model()
    try:
        user = _with_roles(user_model._default_manager.all()).get(pk=user_id)
    except (user_model.DoesNotExist, ValueError, TypeError):
        return None
    _remember_roles(user, user)
    return user


def officer_association_code(user: Any) -> str | None:
    """The code of the association this user is an officer of, or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_officer_code"):
        # Officer lives in the associations app, which builds on this one; going through the
        # reverse relation keeps this module free of an upward import. One query, cached; it brings
        # the user's member record along (every page's menu reads both), unless that is already known.
        # A session's user comes with all of it already (user_with_roles).
        user_model = get_user_model()
        member_known = user_model.member.related.is_cached(user)
        found = _with_roles(user_model.objects.all(), member=not member_known).filter(pk=user.pk).first()
        _remember_roles(user, found)
        if found is not None and not member_known:
            user_model.member.related.set_cached_value(user, getattr(found, "member", None))
        if found is not None and not user_model.officer.related.is_cached(user):
            # user.officer (and its association) without another query: the dashboard reads it.
            user_model.officer.related.set_cached_value(user, getattr(found, "officer", None))
    return user._officer_code


def keeps_any_kpmi(user: Any) -> bool:
    """Is the user a current manager or supervisor of some KPMI? Read with the officer code."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if hasattr(user, "_managed_kpmi_ids"):
        return bool(user._managed_kpmi_ids)
    officer_association_code(user)
    if not hasattr(user, "_keeps_kpmi"):  # the officer code was known before: ask on its own
        return bool(managed_kpmi_ids(user))
    return user._keeps_kpmi


def is_officer(user: Any, association_code: str | None = None) -> bool:
    code = officer_association_code(user)
    return code is not None and (association_code is None or code == association_code)


def managed_kpmi_ids(user: Any) -> frozenset[int]:
    """KPMI this user keeps as one of its managers or supervisors. Cached on the user object."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, "_managed_kpmi_ids"):
        user._managed_kpmi_ids = frozenset(
            KpmiRole.objects.current().filter(user=user).values_list("kpmi_id", flat=True)
        )
    return user._managed_kpmi_ids


def can_manage_kpmi(user: Any, kpmi: Kpmi) -> bool:
    """Add and edit members, edit the group's record."""
    return is_komtik_admin(user) or kpmi.pk in managed_kpmi_ids(user)


def can_view_kpmi_members(user: Any, kpmi: Kpmi) -> bool:
    """See the member list with personal data: the group's keepers, KOMTIK admin, and officers,
    whose oversight covers every KPMI of the regency."""
    return can_manage_kpmi(user, kpmi) or is_officer(user)


def can_view_member(user: Any, member: Member) -> bool:
    """May `user` open `member`'s page? The one check behind the page (members.views) and behind every
    link to it (the `may_view_member` template filter), so no page links where the viewer gets a 404."""
    if user and user.is_authenticated and member.user_id == user.pk:
        return True
    return can_view_kpmi_members(user, member.kpmi)


def can_create_kpmi(user: Any) -> bool:
    """Registering a new group (rintisan KPMI) is watched by the Communities association."""
    return is_komtik_admin(user) or is_officer(user, COMMUNITIES)


def can_assign_kpmi_roles(user: Any) -> bool:
    """Giving a KPMI its supervisors and managers, and ending their roles: the people who register
    groups (a group's own keepers cannot appoint more keepers)."""
    return can_create_kpmi(user)


def can_edit_kpmi(user: Any, kpmi: Kpmi) -> bool:
    return can_manage_kpmi(user, kpmi) or is_officer(user, COMMUNITIES)


def allowed_level_targets(user: Any, member: Member) -> list[int]:
    """The levels `user` may move `member` to, following the ladder rules:

    - one step up at a time;
    - trainer candidate -> trainer: an officer of the Communities association (a central ToT is
      held by that association) or the KOMTIK admin;
    - trainer -> manager: the member's KPMI managers/supervisors, any association officer, the admin;
    - manager -> pioneer: by founding a KPMI (members.services.kpmi_create) or the admin;
    - a step down, a skip or any other correction: the KOMTIK admin only.
    Nobody but the admin changes their own level.
    """
    if is_komtik_admin(user):
        return [level for level in Level.values if level != member.level]
    if user is None or not user.is_authenticated or member.user_id == user.pk:
        return []
    next_level = member.level + 1
    if next_level == Level.TRAINER and is_officer(user, COMMUNITIES):
        return [next_level]
    if next_level == Level.MANAGER and (can_manage_kpmi(user, member.kpmi) or is_officer(user)):
        return [next_level]
    return []


def allowed_initial_levels(user: Any) -> list[int]:
    """A new member starts as a trainer candidate; only the admin may register someone higher
    (e.g. when entering the records of a group that existed before the system)."""
    if is_komtik_admin(user):
        return list(Level.values)
    return [Level.TRAINER_CANDIDATE]
