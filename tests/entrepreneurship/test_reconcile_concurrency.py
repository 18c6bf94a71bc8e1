"""Concurrent postings lose nothing, and two reversals of one posting at the same moment make one.
PostgreSQL only: each keeper is a thread with its own database connection, as two requests would be."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Sum

from entrepreneurship.models import Category, Posting
from entrepreneurship.selectors.ledger import ledger_totals
from entrepreneurship.services.ledger import posting_record, posting_reverse

from .ledger_world import TODAY

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _together(work, n: int) -> list:
    """Run `work(i)` in n threads released at once; their results (or exceptions) in order."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(10)
            results[i] = work(i)
        except BaseException as exc:  # reported by the test, not lost in the thread
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_concurrent_postings_are_all_kept(postgres_url, kpmi_a, manager_a, supervisor_a):
    keepers = [manager_a, supervisor_a]

    def record(i: int):
        category = Category.DONATION if i % 2 else Category.RENT
        return posting_record(
            actor=keepers[i % 2],
            kpmi=kpmi_a,
            date=TODAY,
            category=category,
            amount=Decimal(1000 * (i + 1)) + Decimal("0.01"),
            description=f"Serentak {i}",
        )

    results = _together(record, THREADS)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert Posting.objects.filter(kpmi=kpmi_a).count() == THREADS
    expected = sum((Decimal(1000 * (i + 1)) + Decimal("0.01")) * (1 if i % 2 else -1) for i in range(THREADS))
    assert Posting.objects.filter(kpmi=kpmi_a).aggregate(s=Sum("amount"))["s"] == expected
    assert ledger_totals(kpmi=kpmi_a, start=None, end=None).closing == expected


def test_two_concurrent_reversals_of_one_posting_make_one(postgres_url, kpmi_a, manager_a, supervisor_a):
    rent = posting_record(
        actor=manager_a, kpmi=kpmi_a, date=TODAY, category=Category.RENT, amount=Decimal("500000"), description="Sewa"
    )
    keepers = [manager_a, supervisor_a]
    results = _together(lambda i: posting_reverse(actor=keepers[i], posting=rent, reason=f"Koreksi {i}"), 2)

    succeeded = [r for r in results if isinstance(r, Posting)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(succeeded) == 1 and len(refused) == 1, results
    assert "sudah dibalik" in " ".join(refused[0].messages)
    assert Posting.objects.filter(reverses=rent).count() == 1
    assert Posting.objects.filter(kpmi=kpmi_a).aggregate(s=Sum("amount"))["s"] == Decimal("0.00")
