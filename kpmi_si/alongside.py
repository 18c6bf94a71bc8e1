"""Work that reads committed rows, run on a second database connection while the caller goes on.

The evaluation's write (associations.services) is one INSERT of every new result: a single server
process busy for most of a first evaluation (1.0-1.4 s of ~2.4 at Province) while the database's
other cores idle. The regency's month series only read committed rows, so they are counted meanwhile
on a connection of their own instead of before (README, Benchmark, issue #16, fifth pass).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, connections
from django.utils import timezone


class Alongside:
    """Runs `compute` on a second database connection, in a thread, while the caller goes on; `result()`
    waits for it (and raises what it raised), `join()` only waits.

    Only on PostgreSQL, and only outside a transaction: a second connection cannot see what the caller
    has not committed (a test's transaction; an in-process run inside a request's); there `compute`
    runs in place, in the caller's thread, when `result()` asks for it.
    """

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute = compute
        self._thread: threading.Thread | None = None
        self._value: Any = None
        self._error: BaseException | None = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            zone = timezone.get_current_timezone()  # a date's condition may name the caller's zone
            self._thread = threading.Thread(target=self._run, args=(zone,), name="alongside", daemon=True)
            self._thread.start()

    def _run(self, zone: Any) -> None:
        try:
            with timezone.override(zone):
                self._value = self._compute()
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc
        finally:
            # This thread's own connection: a thread's connections are never reused by another.
            connections.close_all()

    def join(self) -> None:
        """Wait for the thread without taking its result: the caller failed and leaves."""
        if self._thread is not None:
            self._thread.join()

    def result(self) -> Any:
        if self._thread is None:
            return self._compute()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
