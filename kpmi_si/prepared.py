"""Statements the process compiles once (the session read, the session's user, the period list, a
dashboard's numbers, the news pages), run as prepared statements of the connection.

Django binds parameters on the client and never prepares: PostgreSQL parses and plans every such
statement afresh. For a dashboard's one statement planning took longer than running it (Garut: 1.3 ms
planned, 1.7 ms run), so the page paid twice for its numbers (README, Benchmark, issue #16). Here
psycopg binds the parameters on the server and prepares the statement on the connection the first time
it runs it (psycopg's own prepared statements, named and kept per connection, at most
`prepared_max`); later runs only execute it. A connection of the pool keeps its prepared statements
from one request to the next.

The plans are generic (planned once for any parameter): PostgreSQL's own choice kept planning the
Province dashboards per run, 3.7 ms against 2.6 ms generic (Communities). The statements here read a
period's results, a session or a user by key: their plans do not depend on the values.

Turned off with DB_PREPARED_STATEMENTS=false (kpmi_si.env), for a transaction-pooling PgBouncer
older than 1.21, which cannot keep a connection's prepared statements; Django's own cursors never
prepare either way. On SQLite these are plain cursors.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorWrapper
from psycopg.pq import TransactionStatus


class _Preparing(psycopg.Cursor):
    """psycopg's cursor binding on the server, preparing every statement it runs."""

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        kwargs["prepare"] = True
        return super().execute(query, params, **kwargs)

    def _send_query_prepared(self, name: bytes, pgq: Any, **kwargs: Any) -> None:
        # psycopg keeps the query it last sent only when it sends its text; Django's query log (DEBUG,
        # CaptureQueriesContext) reads it back from there (`last_executed_query`). Its text with $n.
        self._query = pgq
        super()._send_query_prepared(name, pgq, **kwargs)


# The psycopg connections whose session plans prepared statements generically (see _generic).
_GENERIC: weakref.WeakSet[Any] = weakref.WeakSet()


def _generic(connection: Any, raw: Any) -> None:
    """Plan this session's prepared statements generically, once per connection. Only between
    transactions: a SET inside one would go with its rollback; until then PostgreSQL chooses. (Django's
    atomic block begins its transaction with its first statement, so the psycopg connection still
    reads idle at the top of one: hence autocommit too.)"""
    if raw in _GENERIC or not connection.get_autocommit() or raw.info.transaction_status != TransactionStatus.IDLE:
        return
    raw.execute("SET plan_cache_mode TO force_generic_plan")
    _GENERIC.add(raw)


@contextmanager
def prepared_cursor(alias: str = DEFAULT_DB_ALIAS) -> Iterator[CursorWrapper]:
    """A cursor whose `execute` prepares its statement on this connection (and reuses it after). Still
    Django's cursor wrapper: query logging, execute wrappers and database error translation apply."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # prepared statements turned off for this database
        with connection.cursor() as cursor:
            yield cursor
        return
    with connection.wrap_database_errors:  # a dropped connection is Django's error, as anywhere else
        _generic(connection, raw)
        cursor = connection._prepare_cursor(_Preparing(raw))
    with cursor:
        yield cursor
