"""Writing the KPMI ledger: a posting, or the reversal of one. Nothing else writes `Posting` rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log
from kpmi_si.money import to_rupiah
from members.models import Kpmi

from .. import permissions
from ..models import INCOME_CATEGORIES, MANUAL_CATEGORIES, OPERATING_CATEGORIES, BusinessSettlement, Order, Posting


def _signed(category: str, amount: Decimal) -> Decimal:
    """Amounts are typed positive; the category decides the direction."""
    amount = to_rupiah(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    if category in OPERATING_CATEGORIES:
        return -amount
    if category in INCOME_CATEGORIES:
        return amount
    raise ValidationError({"category": _("Choose a category.")})


@transaction.atomic
def posting_record(
    *,
    actor: Any,
    kpmi: Kpmi,
    date: dt.date,
    category: str,
    amount: Decimal,
    description: str,
    order: Order | None = None,
    settlement: BusinessSettlement | None = None,
    sale: Any = None,
    check_permission: bool = True,
) -> Posting:
    """One money movement. `amount` is positive; income categories post it as money in, operating
    costs as money out. Orders and settlements post once (a database constraint, so two requests
    racing to post the same payment cannot both succeed)."""
    if check_permission and not permissions.can_keep_money(actor, kpmi):
        raise PermissionDenied
    if date > timezone.localdate():
        raise ValidationError({"date": _("A posting cannot be dated in the future.")})
    posting = Posting(
        kpmi=kpmi,
        date=date,
        category=category,
        amount=_signed(category, amount),
        description=description.strip(),
        order=order,
        settlement=settlement,
        sale=sale,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # No user when a job posts (the monthly settlement of businesses): `created_by` stays empty.
    posting.full_clean(exclude=["created_by"])
    try:
        with transaction.atomic():
            posting.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(_("This payment is already in the ledger.")) from None
    audit_log(
        actor=actor,
        action="posting_record",
        target=posting,
        changes={"amount": [None, str(posting.amount)], "category": [None, category]},
    )
    return posting


@transaction.atomic
def posting_reverse(
    *, actor: Any, posting: Posting, reason: str, date: dt.date | None = None, check_permission: bool = True
) -> Posting:
    """Correct a mistake: a posting of the opposite amount in the same category, pointing at the one
    it reverses. A posting is reversed once; a reversal is not reversed (record the right posting).
    `check_permission=False`: the caller (a cancelled article sale) has checked who may do it."""
    if check_permission and not permissions.can_keep_money(actor, posting.kpmi):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this posting is reversed.")})
    # Lock the original: two reversals racing for the same posting queue here; the second sees the first.
    original = Posting.objects.select_for_update().get(pk=posting.pk)
    if original.reverses_id is not None:
        raise ValidationError(_("A reversal cannot be reversed; record the correct posting instead."))
    if Posting.objects.filter(reverses=original).exists():
        raise ValidationError(_("This posting has already been reversed."))
    reversal = Posting(
        kpmi=original.kpmi,
        date=date or timezone.localdate(),
        category=original.category,
        amount=-original.amount,
        description=(_("Reversal: %(reason)s") % {"reason": reason})[:200],
        order=original.order,
        settlement=original.settlement,
        sale_id=original.sale_id,
        reverses=original,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    reversal.full_clean(exclude=["created_by"])
    reversal.save(force_insert=True)
    audit_log(
        actor=actor,
        action="posting_reverse",
        target=original,
        changes={"reversed_by": [None, reversal.pk], "amount": [str(original.amount), str(reversal.amount)]},
        note=reason,
    )
    return reversal


@transaction.atomic
def posting_record_manual(
    *, actor: Any, kpmi: Kpmi, date: dt.date, category: str, amount: Decimal, description: str
) -> Posting:
    """What a keeper types on the ledger page: an operating cost or a donation. Service income and
    business contributions are refused here: they come from paid orders and settled business months,
    each with its source, and a hand-typed one would count the same money twice."""
    if category not in MANUAL_CATEGORIES:
        raise ValidationError(
            {"category": _("Service income and business contributions come from orders and settlements.")}
        )
    if not description.strip():
        raise ValidationError({"description": _("Say what this money was for.")})
    return posting_record(actor=actor, kpmi=kpmi, date=date, category=category, amount=amount, description=description)
