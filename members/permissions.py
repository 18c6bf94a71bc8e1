"""Who may do what, in one place. Views call these through the helpers in members/views_helpers.py,
and services call them again, so a rule holds whether the request comes from the UI, a URL typed by
hand, the admin or a management command."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.query import get_related_populators

from kpmi_si.kept import Kept
from kpmi_si.prepared import prepared_cursor

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


class _CompiledUserWithRoles:
    """The statement of user_with_roles, compiled by the ORM once per process and database (it is the
    same for every user but the id): every logged-in request loads its user with it, and compiling
    the joins and the subquery cost about half of that load (README, Benchmark, issue #16). The rows
    become instances exactly as the ORM's own iterator builds them (ModelIterable): the same user,
    member, officer and association objects, the same `keeps_kpmi` annotation."""

    _SENTINEL = -7_654_321  # an id no user has, to find where the id goes among the parameters

    def __init__(self, user_model: Any, alias: str, pk_sql: str | None = None) -> None:
        # With pk_sql, the id is that SQL expression of an enclosing statement (the session's read,
        # kpmi_si.accounts.sessions), not a parameter.
        pk = RawSQL(pk_sql, ()) if pk_sql is not None else self._SENTINEL  # noqa: S611  # nosec B611 - the caller's constant
        queryset = _with_roles(user_model._default_manager.using(alias).all()).filter(pk=pk)
        compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.id_index = self.params.index(self._SENTINEL) if pk_sql is None else None
        self.alias = alias
        self.compiler = compiler
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.model_slice = slice(start, end)
        self.init_list = [column[0].target.attname for column in select[start:end]]
        self.related_populators = get_related_populators(klass_info, select, alias)
        self.annotation_col_map = dict(compiler.annotation_col_map)
        self.converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        self.pk_field = user_model._meta.pk
        self.pk_position = self.init_list.index(self.pk_field.attname)

    def fetch(self, user_id: Any) -> Any:
        """The user with this id, or None; ValueError/TypeError for an id that is not one (as the ORM)."""
        connection = connections[self.alias]
        value = self.pk_field.get_db_prep_value(self.pk_field.get_prep_value(user_id), connection)
        low, high = connection.ops.integer_field_range(self.pk_field.get_internal_type())
        if value is None or (low is not None and value < low) or (high is not None and value > high):
            return None  # as the ORM, which asks nothing for an id its column cannot hold
        params = list(self.params)
        params[self.id_index] = value
        with prepared_cursor(self.alias) as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        # One at most: the id is the primary key, the joins follow one-to-one relations.
        return self.user_from(rows[0]) if rows else None

    def user_from(self, row: tuple[Any, ...]) -> Any:
        """The user (with its roles, unremembered) from the statement's columns; None when they are
        NULL (the user of an outer join that found none)."""
        if row[self.model_slice.start + self.pk_position] is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        user = self.model.from_db(self.alias, self.init_list, row[self.model_slice])
        for populator in self.related_populators:
            populator.populate(row, user)
        for name, position in self.annotation_col_map.items():
            setattr(user, name, row[position])
        return user


# Per database, user model and id expression; forgotten at a settings change (kpmi_si.kept).
_compiled: Kept[_CompiledUserWithRoles] = Kept(16)


def _plan(pk_sql: str | None = None) -> _CompiledUserWithRoles:
    user_model = get_user_model()
    alias = router.db_for_read(user_model)
    key = (alias, connections[alias].vendor, user_model, pk_sql)
    return _compiled.get(key, lambda: _CompiledUserWithRoles(user_model, alias, pk_sql))


def user_with_roles_statement(pk_sql: str) -> tuple[str, list[Any], Callable[[tuple[Any, ...]], Any]]:
    """user_with_roles' statement for the user whose id is `pk_sql`, an SQL expression of the statement
    it is put in (a LATERAL join), with its parameters, and the function that makes its columns (a row
    sliced to them) into that user with its roles, or None when they are NULL."""
    plan = _plan(pk_sql)

    def user_from(row: tuple[Any, ...]) -> Any:
        user = plan.user_from(row)
        if user is not None:
            _remember_roles(user, user)
        return user

    return plan.sql, plan.params, user_from


def user_with_roles(user_id: Any) -> Any:
    """The user with this id, its roles read along (see _with_roles) in one query, or None. The
    session's user is loaded this way (kpmi_si.accounts.backends.UserBackend): the menu, the role
    checks and the offline outbox then ask nothing more."""
    try:
        user = _plan().fetch(user_id)
    except (ValueError, TypeError):
        return None
    if user is None:
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
