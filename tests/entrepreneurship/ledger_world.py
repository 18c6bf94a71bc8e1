"""What the ledger's tests build: pioneers, businesses, orders (through the ORM, as the orders part
would leave them: a receipt number from the KPMI's sequence) and postings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from entrepreneurship.models import Business, Category, Order, PaymentStatus, ReceiptSequence, Service
from entrepreneurship.services.ledger import posting_record
from members.models import Kpmi, Level, Member
from tests import factories

TODAY = timezone.localdate()


def months_ago(n: int, day: int = 10) -> dt.date:
    """A day `n` whole months before this month."""
    year, month = TODAY.year, TODAY.month - n
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, day)


def pioneer(kpmi: Kpmi, user: Any = None, name: str = "Asep Perintis") -> Member:
    return factories.MemberFactory(kpmi=kpmi, level=Level.PIONEER, full_name=name, user=user)


def business(kpmi: Kpmi, owner: Member, *, name: str = "Servis Komputer Asep", share: str = "20", started=None):
    return Business.objects.create(
        kpmi=kpmi,
        owner=owner,
        name=name,
        kind="repair",
        started_on=started or months_ago(6, 1),
        pledged_share=Decimal(share),
    )


def order(
    kpmi: Kpmi, *, total: str = "150000", day: dt.date | None = None, client_member: Member | None = None, **kwargs: Any
) -> Order:
    service = Service.objects.filter(kpmi=kpmi).first() or Service.objects.create(
        kpmi=kpmi, name="Pelatihan TIK dasar", price=Decimal("75000")
    )
    sequence, _ = ReceiptSequence.objects.get_or_create(kpmi=kpmi)
    ReceiptSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    member = client_member or factories.MemberFactory(kpmi=kpmi, level=Level.TRAINER_CANDIDATE)
    total_amount = Decimal(total)
    return Order.objects.create(
        kpmi=kpmi,
        service=service,
        member=member,
        quantity=2,
        date=day or TODAY,
        unit_price=total_amount / 2,
        total=total_amount,
        is_free=total_amount == 0,
        price_reason=kwargs.pop("price_reason", "Rp 75.000 × 2"),
        payment_status=kwargs.pop("payment_status", PaymentStatus.PAID),
        payment_method=kwargs.pop("payment_method", "cash"),
        paid_on=kwargs.pop("paid_on", day or TODAY),
        receipt_number=sequence.last,
        **kwargs,
    )


def paid_order_posting(kpmi: Kpmi, actor: Any, *, total: str = "150000", day: dt.date | None = None):
    o = order(kpmi, total=total, day=day)
    return posting_record(
        actor=actor,
        kpmi=kpmi,
        date=o.paid_on,
        category=Category.SERVICE_INCOME,
        amount=o.total,
        description=f"Pembayaran {o.receipt_label}",
        order=o,
    )


def post(kpmi: Kpmi, actor: Any, category: str, amount: str, day: dt.date | None = None, text: str = "Catatan"):
    return posting_record(
        actor=actor, kpmi=kpmi, date=day or TODAY, category=category, amount=Decimal(amount), description=text
    )
