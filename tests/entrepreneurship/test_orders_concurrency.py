"""Orders under concurrency, on PostgreSQL with real threads and connections: concurrent orders of one
KPMI get receipt numbers 1..n with no gap and no duplicate (the counter row is created on first use by
whichever comes first), and a payment sent several times at once is recorded and posted once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from entrepreneurship.models import Order, PaymentStatus, Posting, ReceiptSequence
from entrepreneurship.services.orders import order_pay

from .orders_helpers import (
    client_of,
    indonesian,  # noqa: F401 - a fixture
    record_order,
    today,
    training_service,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("indonesian")]


def _at_once(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in n threads released together, each on its own database connection; the
    answers (or the exceptions) in order."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server that runs requests at the same time (CI: PostgreSQL)")
    start = threading.Barrier(n)
    answers: list[Any] = [RuntimeError("not run")] * n

    def run(i: int) -> None:
        try:
            start.wait(timeout=30)
            answers[i] = work(i)
        except BaseException as exc:  # reported by the caller, with the other answers
            answers[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_eight_concurrent_orders_get_receipt_numbers_one_to_eight(manager_a, kpmi_a):
    service, school = training_service(kpmi_a), client_of(kpmi_a)
    assert not ReceiptSequence.objects.exists()  # the first orders race to create the counter too

    answers = _at_once(8, lambda i: record_order(manager_a, service, client=school).receipt_number)

    assert all(isinstance(a, int) for a in answers), answers
    assert sorted(answers) == list(range(1, 9))
    assert sorted(Order.objects.filter(kpmi=kpmi_a).values_list("receipt_number", flat=True)) == list(range(1, 9))
    assert ReceiptSequence.objects.get(kpmi=kpmi_a).last == 8


def test_a_payment_sent_four_times_at_once_is_posted_once(manager_a, supervisor_a, kpmi_a):
    order = record_order(manager_a, training_service(kpmi_a), quantity=2, client=client_of(kpmi_a))
    actors = [manager_a, supervisor_a, manager_a, supervisor_a]

    answers = _at_once(4, lambda i: order_pay(actor=actors[i], order=order, method="cash", paid_on=today()))

    paid = [a for a in answers if isinstance(a, Order)]
    refused = [a for a in answers if isinstance(a, ValidationError)]
    assert len(paid) == 1 and len(refused) == 3, answers
    assert all("sudah dibayar" in r.messages[0] for r in refused)
    assert Posting.objects.filter(order=order).count() == 1
    assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.PAID
