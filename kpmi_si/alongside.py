"""Work run on a second database connection while the caller goes on: reads of committed rows
(`Alongside`), and a generator whose items the caller consumes as they come (`Ahead`).

The evaluation's write (associations.services) keeps a single server process busy for much of a first
evaluation (1.0-1.4 s of ~2.4 at Province) while the database's other cores would idle. So the
regency's month series, which only read committed rows, are counted meanwhile on a connection of their
own, and the results are staged on another, association by association, each written as soon as it is
staged (README, Benchmark, issue #16, fifth and tenth passes).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from django.db import connection, connections
from django.utils import timezone

T = TypeVar("T")


def _separate() -> bool:
    """Whether work can move to a second connection: on PostgreSQL, outside a transaction (a second
    connection cannot see what the caller has not committed: a test's transaction, an in-process run
    inside a request's)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


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
        if _separate():
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


_DONE = object()


class Ahead(Generic[T]):
    """Runs the generator `produce` on a second database connection, in a thread, and hands its items
    to the caller as they come: iterating an `Ahead` waits for the next item, and raises what the
    generator raised. What an item names (a table the thread created) must be committed by then.

    The evaluation stages its results one association at a time and writes each while the next is
    being computed: the write (one server process) and the counting (one or more) then share the
    database's cores instead of taking turns (associations.services, issue #16).

    Where a second connection cannot see the caller's data (see `_separate`), the generator runs in
    place, in the caller's thread, as the caller iterates. `stop()` asks the thread to produce no
    further item and waits for it: the caller failed and leaves.
    """

    def __init__(self, produce: Callable[[], Iterable[T]]) -> None:
        self._produce = produce
        self._items: queue.Queue[Any] = queue.Queue()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._in_place: Iterator[T] | None = None
        if _separate():
            zone = timezone.get_current_timezone()
            self._thread = threading.Thread(target=self._run, args=(zone,), name="ahead", daemon=True)
            self._thread.start()

    def _run(self, zone: Any) -> None:
        try:
            with timezone.override(zone):
                for item in self._produce():
                    self._items.put((item, None))
                    if self._stopping.is_set():
                        break
        except BaseException as exc:  # handed to the caller by __iter__
            self._items.put((None, exc))
        finally:
            # Closed before the caller hears the end: none of this thread's work is left open then.
            connections.close_all()
            self._items.put(_DONE)

    def __iter__(self) -> Iterator[T]:
        if self._thread is None:
            self._in_place = iter(self._produce())
            yield from self._in_place
            return
        while (entry := self._items.get()) is not _DONE:
            item, error = entry
            if error is not None:
                raise error
            yield item
        self._thread.join()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        # In place, a generator the caller left half-way is closed now (its cleanup runs here, on
        # this connection), not whenever it is collected.
        close = getattr(self._in_place, "close", None)
        if close is not None:
            close()
