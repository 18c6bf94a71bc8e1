"""The content market under concurrency, on PostgreSQL with real threads and connections: sales of one
article at the same moment all count (money-wise nothing lost), two exclusive purchases at once make
one, and two payouts at once cannot overdraw the author's balance."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum

from citizen_journalism import services
from citizen_journalism.models import AuthorBalance, Earning, Payout, Sale
from entrepreneurship.models import Posting
from tests import factories

from .conftest import today

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(n: int, work: Callable[[int], Any]) -> list[Any]:
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server that runs requests at the same time (CI: PostgreSQL)")
    start = threading.Barrier(n)
    answers: list[Any] = [RuntimeError("not run")] * n

    def run(i: int) -> None:
        try:
            start.wait(timeout=30)
            answers[i] = work(i)
        except BaseException as exc:  # reported by the test, not lost in the thread
            answers[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


@pytest.fixture
def sellers(officer_entrepreneurs, admin_user):
    return [officer_entrepreneurs, admin_user]


@pytest.fixture
def buyers(officer_entrepreneurs):
    return [
        services.buyer_create(actor=officer_entrepreneurs, data={"name": f"Pembeli {i}", "kind": "media"})
        for i in range(8)
    ]


def test_concurrent_sales_lose_nothing(sellers, buyers, published, pioneer, kpmi_a):
    services.revenue_share_set(actor=sellers[0], percent=Decimal("33.33"))
    fees = [Decimal(10000 * (i + 1)) + Decimal("0.07") for i in range(8)]

    def sell(i: int) -> Sale:
        return services.sale_record(
            actor=sellers[i % 2], article=published, buyer=buyers[i], kind="licence", amount=fees[i], date=today()
        )

    answers = _at_once(8, sell)
    assert all(isinstance(a, Sale) for a in answers), answers
    sales = Sale.objects.filter(article=published)
    assert sales.count() == 8
    author_total = sales.aggregate(s=Sum("author_amount"))["s"]
    kpmi_total = sales.aggregate(s=Sum("kpmi_amount"))["s"]
    assert author_total + kpmi_total == sum(fees)
    assert Posting.objects.filter(kpmi=kpmi_a, sale__isnull=False).aggregate(s=Sum("amount"))["s"] == kpmi_total
    assert AuthorBalance.objects.get(author=pioneer.member).balance == author_total
    assert Earning.objects.filter(author=pioneer.member).aggregate(s=Sum("amount"))["s"] == author_total


def test_two_exclusive_purchases_at_once_make_one(sellers, buyers, published):
    def buy(i: int) -> Sale:
        return services.sale_record(
            actor=sellers[i],
            article=published,
            buyer=buyers[i],
            kind="exclusive",
            amount=Decimal("500000"),
            date=today(),
        )

    answers = _at_once(2, buy)
    assert sum(isinstance(a, Sale) for a in answers) == 1, answers
    assert sum(isinstance(a, ValidationError) for a in answers) == 1, answers
    assert Sale.objects.filter(article=published).count() == 1
    assert Posting.objects.filter(sale__isnull=False).count() == 1


def test_two_payouts_at_once_cannot_overdraw(sellers, buyers, published, pioneer):
    services.sale_record(
        actor=sellers[0], article=published, buyer=buyers[0], kind="licence", amount=Decimal("200000"), date=today()
    )
    author = pioneer.member  # Rp 100.000 to pay out; each payout asks for Rp 60.000

    def pay(i: int) -> Payout:
        return services.payout_record(
            actor=sellers[i], author=author, amount=Decimal("60000"), date=today(), method="transfer"
        )

    answers = _at_once(2, pay)
    assert sum(isinstance(a, Payout) for a in answers) == 1, answers
    refused = [a for a in answers if isinstance(a, ValidationError)]
    assert len(refused) == 1 and "amount" in refused[0].error_dict
    assert AuthorBalance.objects.get(author=author).balance == Decimal("40000.00")
    assert Payout.objects.count() == 1


def test_payouts_to_an_author_who_never_earned(sellers, kpmi_a):
    """An author who never earned (no balance row): both payouts are refused with a message, not a
    database error. (The first sales of an author racing to create the row: the test above.)"""
    user = factories.UserFactory(username="penulis_baru")
    author = factories.MemberFactory(kpmi=kpmi_a, user=user, full_name="Penulis Baru")
    answers = _at_once(
        2,
        lambda i: services.payout_record(
            actor=sellers[i], author=author, amount=Decimal("1000"), date=today(), method="cash"
        ),
    )
    assert all(isinstance(a, ValidationError) and "amount" in a.error_dict for a in answers), answers
    assert not Payout.objects.exists()
