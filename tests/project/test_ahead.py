"""kpmi_si.alongside.Ahead: a generator run on a second connection whose items the caller takes as
they come (the evaluation's stage, associations.services). PostgreSQL, committed data."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from kpmi_si.alongside import Ahead

pytestmark = pytest.mark.django_db(transaction=True)


def _backend() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_items_come_in_order_from_a_second_connection(postgres_url):
    def produce():
        for n in range(3):
            yield n, threading.current_thread(), _backend()

    items = list(Ahead(produce))

    assert [n for n, _thread, _backend_pid in items] == [0, 1, 2]
    assert {thread for _n, thread, _pid in items} != {threading.current_thread()}
    assert _backend() not in {pid for _n, _thread, pid in items}


def test_what_the_generator_raises_reaches_the_caller_after_the_items_before_it(postgres_url):
    def produce():
        yield 1
        raise LookupError("went away")

    got = []
    with pytest.raises(LookupError, match="went away"):
        for item in Ahead(produce):
            got.append(item)
    assert got == [1]


@pytest.mark.parametrize("in_transaction", [False, True])
def test_a_caller_that_stops_half_way_gets_no_further_work_done(postgres_url, in_transaction):
    produced, closed = [], threading.Event()

    def produce():
        try:
            for n in range(100):
                if n >= 2:
                    time.sleep(0.05)  # a statement of some length: 5 s for all of them
                produced.append(n)
                yield n
        finally:
            closed.set()

    def run():
        ahead = Ahead(produce)
        try:
            for item in ahead:
                if item == 1:
                    raise RuntimeError("the writer failed")
        except RuntimeError:
            pass
        finally:
            ahead.stop()

    if in_transaction:
        with transaction.atomic():  # in place: a second connection would not see this transaction
            run()
    else:
        run()
    # The work under way when the caller failed ends, nothing is started after it, and the generator's
    # own cleanup has run by the time stop() returns.
    assert len(produced) < 10
    assert closed.is_set()
