"""The content market's writes: buyers, revenue shares, sales and their cancellation, payouts. Each
is one transaction with its audit row; the money ones also write the author's earnings and the
KPMI's ledger (entrepreneurship's `posting_record`, the only writer of the ledger)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entrepreneurship.models import Category as LedgerCategory
from entrepreneurship.models import Posting
from entrepreneurship.services.ledger import posting_record, posting_reverse
from kpmi_si.audit.services import audit_log
from kpmi_si.concurrency import field_differences, version_check
from kpmi_si.money import format_rupiah, to_rupiah
from members.models import Kpmi, Member

from .. import permissions
from ..models import (
    DEFAULT_AUTHOR_PERCENT,
    Article,
    AuthorBalance,
    Buyer,
    Earning,
    EarningKind,
    Payout,
    RevenueShare,
    Sale,
    split_amount,
)
from ..states import State

BUYER_FIELDS = ("name", "kind", "contact", "active")


def _require_manager(actor: Any) -> None:
    if not permissions.can_manage_sales(actor):
        raise PermissionDenied


def _not_in_future(date: dt.date) -> None:
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})


# --- buyers -----------------------------------------------------------------------------------------------


@transaction.atomic
def buyer_create(*, actor: Any, data: dict[str, Any]) -> Buyer:
    _require_manager(actor)
    buyer = Buyer(**{name: data[name] for name in BUYER_FIELDS if name in data})
    buyer.name = buyer.name.strip()
    buyer.full_clean()
    buyer.save()
    audit_log(
        actor=actor,
        action="buyer.create",
        target=buyer,
        changes={name: [None, str(getattr(buyer, name))] for name in BUYER_FIELDS},
    )
    return buyer


@transaction.atomic
def buyer_update(*, actor: Any, buyer: Buyer, data: dict[str, Any], version: str | None = None) -> Buyer:
    _require_manager(actor)
    stored = Buyer.objects.select_for_update().get(pk=buyer.pk)
    data = {**data, "name": data.get("name", stored.name).strip()}
    version_check(stored=stored, version=version, differences=field_differences(stored, BUYER_FIELDS, data))
    changes = {}
    for name in BUYER_FIELDS:
        if name in data and getattr(stored, name) != data[name]:
            changes[name] = [str(getattr(stored, name)), str(data[name])]
            setattr(stored, name, data[name])
    if changes:
        stored.full_clean()
        stored.save()
        audit_log(actor=actor, action="buyer.update", target=stored, changes=changes)
    return stored


# --- revenue shares -----------------------------------------------------------------------------------------


def share_for(author: Member) -> tuple[Decimal, str]:
    """The author's share (percent) of a sale of their article now, and where it comes from: their own
    override, else their KPMI's, else the default (else 50 % until the default is set)."""
    rows = {
        row.scope: row.author_percent
        for row in RevenueShare.objects.filter(author=author)
        | RevenueShare.objects.filter(kpmi_id=author.kpmi_id)
        | RevenueShare.objects.filter(scope=RevenueShare.Scope.DEFAULT)
    }
    for scope in (RevenueShare.Scope.AUTHOR, RevenueShare.Scope.KPMI, RevenueShare.Scope.DEFAULT):
        if scope in rows:
            return rows[scope], str(scope)
    return DEFAULT_AUTHOR_PERCENT, str(RevenueShare.Scope.DEFAULT)


@transaction.atomic
def revenue_share_set(
    *, actor: Any, percent: Decimal, kpmi: Kpmi | None = None, author: Member | None = None
) -> RevenueShare:
    """Set the default share (neither kpmi nor author), a KPMI's or an author's. Sales already made
    keep the share they used."""
    _require_manager(actor)
    if kpmi is not None and author is not None:
        raise ValidationError(_("A share is either a KPMI's or an author's, not both."))
    if percent is None or not (Decimal("0") <= percent <= Decimal("100")):
        raise ValidationError({"author_percent": _("A share is between 0 and 100 %.")})
    if author is not None:
        lookup: dict[str, Any] = {"scope": RevenueShare.Scope.AUTHOR, "author": author}
    elif kpmi is not None:
        lookup = {"scope": RevenueShare.Scope.KPMI, "kpmi": kpmi}
    else:
        lookup = {"scope": RevenueShare.Scope.DEFAULT}
    row = RevenueShare.objects.select_for_update().filter(**lookup).first()
    before = None if row is None else str(row.author_percent)
    if row is None:
        row = RevenueShare(**lookup)
    row.author_percent = percent
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError(_("Someone set this share at the same moment; reload the page.")) from None
    audit_log(actor=actor, action="revenue_share.set", target=row, changes={"author_percent": [before, str(percent)]})
    return row


@transaction.atomic
def revenue_share_remove(*, actor: Any, share: RevenueShare) -> None:
    """Drop a KPMI's or an author's override: the next level applies again. The default stays."""
    _require_manager(actor)
    if share.scope == RevenueShare.Scope.DEFAULT:
        raise ValidationError(_("The default share can be changed but not removed."))
    audit_log(
        actor=actor,
        action="revenue_share.remove",
        target=share,
        changes={"author_percent": [str(share.author_percent), None]},
    )
    share.delete()


# --- the author's balance -------------------------------------------------------------------------------------


def _locked_balance(author: Member) -> AuthorBalance:
    """The author's balance row, locked for this transaction (created first if needed; a race to create
    it is settled by the primary key: ON CONFLICT DO NOTHING, then lock)."""
    AuthorBalance.objects.bulk_create([AuthorBalance(author=author)], ignore_conflicts=True)
    return AuthorBalance.objects.select_for_update().get(author=author)


def _earn(*, author: Member, date: dt.date, kind: str, amount: Decimal, sale=None, payout=None) -> Earning:
    balance = _locked_balance(author)
    earning = Earning(author=author, date=date, kind=kind, amount=amount, sale=sale, payout=payout)
    earning.full_clean(validate_constraints=False)
    earning.save()
    balance.balance = balance.balance + amount
    balance.save(update_fields=["balance"])
    return earning


# --- sales ------------------------------------------------------------------------------------------------------


@transaction.atomic
def sale_record(*, actor: Any, article: Article, buyer: Buyer, kind: str, amount: Decimal, date: dt.date) -> Sale:
    """A buyer licenses (non-exclusive) or buys outright (exclusive) a published article. The fee is
    split by the share in force now (stored on the sale); the author's share becomes their earning,
    the KPMI's share income in the KPMI's ledger, all in this one transaction."""
    _require_manager(actor)
    amount = to_rupiah(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Enter a fee above zero.")})
    _not_in_future(date)
    # Lock the article: two sales of it at once queue here, and the second sees the first.
    article = Article.objects.select_for_update().select_related("author").get(pk=article.pk)
    if article.state not in State.PUBLIC:
        raise ValidationError({"article": _("Only a published article can be sold.")})
    if not buyer.active:
        raise ValidationError({"buyer": _("This buyer is no longer active.")})
    active_sales = Sale.objects.filter(article=article, cancelled_at__isnull=True)
    if active_sales.filter(kind=Sale.Kind.EXCLUSIVE).exists():
        raise ValidationError({"kind": _("This article was bought outright (exclusively): it cannot be sold again.")})
    author = article.author
    percent, source = share_for(author)
    author_amount, kpmi_amount = split_amount(amount, percent)
    sale = Sale(
        article=article,
        buyer=buyer,
        kind=kind,
        date=date,
        amount=amount,
        author=author,
        kpmi_id=author.kpmi_id,
        author_percent=percent,
        share_source=source,
        author_amount=author_amount,
        kpmi_amount=kpmi_amount,
        created_by=actor,
    )
    sale.full_clean(exclude=["created_by", "cancelled_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            sale.save()
    except IntegrityError:
        raise ValidationError(
            {"kind": _("This article was bought outright (exclusively): it cannot be sold again.")}
        ) from None
    _earn(author=author, date=date, kind=EarningKind.SALE, amount=author_amount, sale=sale)
    if kpmi_amount > 0:
        posting_record(
            actor=actor,
            kpmi=sale.kpmi,
            date=date,
            category=LedgerCategory.CONTENT_SALES,
            amount=kpmi_amount,
            description=(_("Article sold: %(title)s (%(buyer)s)") % {"title": article.title, "buyer": buyer.name})[
                :200
            ],
            sale=sale,
            # Who may record a sale is this app's rule (the market's officers), checked above.
            check_permission=False,
        )
    audit_log(
        actor=actor,
        action="sale.record",
        target=sale,
        changes={
            "kind": [None, kind],
            "amount": [None, str(amount)],
            "author_percent": [None, str(percent)],
            "author_amount": [None, str(author_amount)],
            "kpmi_amount": [None, str(kpmi_amount)],
        },
    )
    return sale


@transaction.atomic
def sale_cancel(*, actor: Any, sale: Sale, reason: str) -> Sale:
    """Undo a sale recorded by mistake: nothing is edited or deleted; the KPMI's posting is reversed
    and the author's share taken back by a negative earning (the author may then owe it)."""
    _require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this sale is cancelled.")})
    sale = Sale.objects.select_for_update().get(pk=sale.pk)
    if sale.cancelled_at is not None:
        raise ValidationError(_("This sale was cancelled already."))
    sale.cancelled_at = timezone.now()
    sale.cancelled_by = actor
    sale.cancel_reason = reason
    sale.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    today = timezone.localdate()
    if sale.author_amount > 0:
        _earn(author=sale.author, date=today, kind=EarningKind.SALE_CANCELLED, amount=-sale.author_amount, sale=sale)
    posting = Posting.objects.filter(sale=sale, reverses__isnull=True).first()
    if posting is not None:
        posting_reverse(actor=actor, posting=posting, reason=reason, date=today, check_permission=False)
    audit_log(actor=actor, action="sale.cancel", target=sale, changes={"cancelled": [False, True]}, note=reason)
    return sale


# --- payouts -------------------------------------------------------------------------------------------------------


@transaction.atomic
def payout_record(
    *, actor: Any, author: Member, amount: Decimal, date: dt.date, method: str, reference: str = ""
) -> Payout:
    """Pay an author (part of) what they earned. The author's balance row is locked first, so two
    payouts at the same moment queue: the second sees what the first took and cannot overdraw."""
    _require_manager(actor)
    amount = to_rupiah(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    _not_in_future(date)
    # An author who never earned has no balance row: refused without creating one.
    balance = AuthorBalance.objects.select_for_update().filter(author=author).first() or AuthorBalance(author=author)
    if amount > balance.balance:
        raise ValidationError(
            {
                "amount": _("This is more than the author's balance (%(balance)s).")
                % {"balance": format_rupiah(max(balance.balance, Decimal("0")))}
            }
        )
    payout = Payout(
        author=author, date=date, amount=amount, method=method, reference=reference.strip(), created_by=actor
    )
    payout.full_clean(exclude=["created_by", "author"])
    payout.save()
    _earn(author=author, date=date, kind=EarningKind.PAYOUT, amount=-amount, payout=payout)
    audit_log(
        actor=actor,
        action="payout.record",
        target=payout,
        changes={"amount": [None, str(amount)], "balance": [str(balance.balance), str(balance.balance - amount)]},
    )
    return payout
