"""The session engine of the site: Django's database sessions (same signing, expiry, logout and
invalidation) in the site's own table (accounts.Session), which also holds the user's id, written from
the session's data at every save. On PostgreSQL a request's session and its user, with the user's roles
(members.permissions.user_with_roles), are then read in one statement: every logged-in page reads both
first, and the second round trip was a tenth of a small dashboard's own time (README, Benchmark, issue
#16). The statement is compiled once per process. The user read along is handed to the site's backend
(kpmi_si.accounts.backends) only through Django's own `get_user`, which still checks the session's
backend and password hash (kpmi_si.accounts.middleware). Elsewhere (the SQLite demo) the session is read
alone and the backend reads the user. Writing, creating, deleting and the async read stay Django's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from celery import shared_task
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.db import connections, router
from django.utils import timezone

from kpmi_si.kept import Kept
from kpmi_si.prepared import prepared_cursor

_KEY = "kpmi-compiled-session-key"  # stands for the key among the compiled statement's parameters
_NOW = datetime(1970, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)  # stands for the current time

NOT_READ = object()  # SessionStore.user before a load that read the user along


def user_id_of(data: dict[str, Any]) -> int | None:
    """The user id a session's data names, for its column: None for none, or for a value no user id
    can be (Django then treats the session as a visitor's)."""
    try:
        number = int(data.get(SESSION_KEY))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


class _CompiledRead:
    """`Session.objects.get(session_key=…, expire_date__gt=now)`'s statement, as Django's SessionStore
    asks it, reading the data (the one column load() decodes) and, on PostgreSQL, the user it names with
    the user's roles (a LATERAL join on the user's id)."""

    def __init__(self, model: Any, alias: str) -> None:
        connection = connections[alias]
        self.alias = alias
        self.expire_field = model._meta.get_field("expire_date")
        queryset = model.objects.using(alias).filter(session_key=_KEY, expire_date__gt=_NOW)
        sql, params = queryset.values_list("session_data", "user_id").query.get_compiler(using=alias).as_sql()
        self.user_from: Callable[[tuple[Any, ...]], Any] | None = None
        if connection.vendor == "postgresql":
            from members.permissions import user_with_roles_statement

            user_sql, user_params, self.user_from = user_with_roles_statement('"session"."user_id"')
            sql = f'SELECT * FROM ({sql}) "session" LEFT JOIN LATERAL ({user_sql}) "user" ON TRUE'  # noqa: S608  # nosec B608 - compiled querysets
            params = (*params, *user_params)
        self.sql, self.params = sql, list(params)
        self.key_index = self.params.index(_KEY)
        self.now_index = self.params.index(self.expire_field.get_db_prep_value(_NOW, connection))

    def read(self, session_key: str) -> tuple[str, int | None, Any] | None:
        """(data, the user id column, the user read along or NOT_READ), or None for no live session."""
        connection = connections[self.alias]
        params = list(self.params)
        params[self.key_index] = session_key
        params[self.now_index] = self.expire_field.get_db_prep_value(timezone.now(), connection)
        with prepared_cursor(self.alias) as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        user = self.user_from(row[2:]) if self.user_from is not None else NOT_READ
        return row[0], row[1], user


# Per database and session model; forgotten at a settings change with the user's statement it holds
# (kpmi_si.kept), as every statement the site compiles once.
_compiled: Kept[_CompiledRead] = Kept(16)


class SessionStore(DbSessionStore):
    # The user the last load read along (None: the session names no user that exists) and the id it was
    # read for; kpmi_si.accounts.backends takes it only for that id.
    user: Any = NOT_READ
    user_id: int | None = None

    @classmethod
    def get_model_class(cls) -> type:
        from .models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        session = super().create_model_instance(data)
        session.user_id = user_id_of(data)
        return session

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        session = await super().acreate_model_instance(data)
        session.user_id = user_id_of(data)
        return session

    def load(self) -> dict[str, Any]:
        alias = router.db_for_read(self.model)
        key = (alias, connections[alias].vendor, self.model)
        read = _compiled.get(key, lambda: _CompiledRead(self.model, alias))
        self.user, self.user_id = NOT_READ, None
        found = read.read(self.session_key) if self.session_key is not None else None
        if found is None:
            # As Django's: no such session, or expired; the next save starts a new one.
            self._session_key = None
            return {}
        data, self.user_id, self.user = found
        return self.decode(data)


# The session whose user Django's get_user is loading now (kpmi_si.accounts.middleware).
_LOADING: ContextVar[Any] = ContextVar("kpmi_session_loading", default=None)


@contextmanager
def loading_user_of(session: Any) -> Iterator[None]:
    token = _LOADING.set(session)
    try:
        yield
    finally:
        _LOADING.reset(token)


def user_read_along(user_id: Any) -> Any:
    """The user the session being loaded read along for this id (None: no such user), or NOT_READ: no
    session is being loaded, it was read without its user, or it names another id than asked (its data
    changed since, as at a login)."""
    session = _LOADING.get()
    user = getattr(session, "user", NOT_READ)
    if user is NOT_READ or session.user_id is None or session.user_id != user_id_of({SESSION_KEY: user_id}):
        return NOT_READ
    return user


def sessions_clear_expired() -> int:
    """Delete the sessions past their expiry (Django's `clearsessions`, which nothing ran before): a
    login's row is otherwise kept for ever once its browser stops coming. Returns how many went."""
    from .models import Session

    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


# kpmi_si.accounts.tasks re-exports it for Celery's autodiscovery.
@shared_task(name="kpmi_si.accounts.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """The daily clean-up (CELERY_BEAT_SCHEDULE); safe to run twice or to stop half-way: it deletes
    rows nobody can use any more, in one statement."""
    return sessions_clear_expired()
