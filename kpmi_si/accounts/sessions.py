"""The session engine of the site: Django's database sessions (same table, same signing, expiry, logout
and invalidation), reading a request's session with a statement the ORM compiles once per process
instead of on every request. Every logged-in page reads its session first; compiling that lookup was
a good part of the read (README, Benchmark, issue #16). Writing, creating, deleting and the async
read stay Django's own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.db import connections, router
from django.utils import timezone

from kpmi_si.prepared import prepared_cursor

_KEY = "kpmi-compiled-session-key"  # stands for the key among the compiled statement's parameters
_NOW = datetime(1970, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)  # stands for the current time


class _CompiledRead:
    """`Session.objects.get(session_key=…, expire_date__gt=now)`'s statement, as Django's SessionStore
    asks it, reading only the data (the one column load() decodes)."""

    def __init__(self, model: Any, alias: str) -> None:
        connection = connections[alias]
        self.alias = alias
        self.expire_field = model._meta.get_field("expire_date")
        queryset = model.objects.using(alias).filter(session_key=_KEY, expire_date__gt=_NOW)
        self.sql, params = queryset.values_list("session_data").query.get_compiler(using=alias).as_sql()
        self.params = list(params)
        self.key_index = self.params.index(_KEY)
        self.now_index = self.params.index(self.expire_field.get_db_prep_value(_NOW, connection))

    def session_data(self, session_key: str) -> str | None:
        connection = connections[self.alias]
        params = list(self.params)
        params[self.key_index] = session_key
        params[self.now_index] = self.expire_field.get_db_prep_value(timezone.now(), connection)
        with prepared_cursor(self.alias) as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        return row[0] if row is not None else None


_compiled: dict[tuple[str, str, Any], _CompiledRead] = {}


class SessionStore(DbSessionStore):
    def load(self) -> dict[str, Any]:
        alias = router.db_for_read(self.model)
        key = (alias, connections[alias].vendor, self.model)
        read = _compiled.get(key)
        if read is None:
            read = _compiled[key] = _CompiledRead(self.model, alias)
        data = read.session_data(self.session_key) if self.session_key is not None else None
        if data is None:
            # As Django's: no such session, or expired; the next save starts a new one.
            self._session_key = None
            return {}
        return self.decode(data)
