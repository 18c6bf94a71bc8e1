"""Orders of a KPMI's services: recording one (price computed and explained, receipt number given),
paying it into the ledger, cancelling it, and turning a delivered one into logged work.

Every write locks what it decides on (the receipt counter, the order row), so a double submit, two
tabs or two keepers at once end in one result and a clear message, never in two payments or two
receipts with one number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log
from kpmi_si.money import format_rupiah, to_rupiah
from members.models import Kpmi, Member

from .. import permissions
from ..models import (
    MAX_QUANTITY,
    Category,
    Client,
    Order,
    PaymentMethod,
    PaymentStatus,
    Posting,
    ReceiptSequence,
    Service,
    WorkKind,
)
from .ledger import posting_record, posting_reverse
from .pricing import Price, price_compute

CLIENT_FIELDS = ("name", "category", "kecamatan", "desa", "contact")


def _check_keeper(actor: Any, kpmi: Kpmi) -> None:
    if not permissions.can_keep_money(actor, kpmi):
        raise PermissionDenied


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- clients -------------------------------------------------------------------------------------------


@transaction.atomic
def client_create(*, actor: Any, kpmi: Kpmi, data: dict[str, Any]) -> Client:
    """An outside client of this KPMI. The same name in the same district is the same client: it is
    reused, not refused, so typing a known school again does not stop an order."""
    _check_keeper(actor, kpmi)
    values = {name: data.get(name) for name in CLIENT_FIELDS}
    values = {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}
    values["contact"] = values.get("contact") or ""
    desa = values.get("desa")
    kecamatan = values.get("kecamatan")
    if desa is not None and kecamatan is not None and desa.kecamatan_id != kecamatan.pk:
        raise ValidationError({"new_client_desa": _("This village is not in the chosen district.")})
    existing = Client.objects.filter(kpmi=kpmi, name=values.get("name") or "", kecamatan=kecamatan).first()
    if existing is not None:
        return existing
    client = Client(kpmi=kpmi, **values)
    try:
        client.full_clean()
    except ValidationError as exc:
        raise ValidationError({f"new_client_{name}": errors for name, errors in exc.message_dict.items()}) from None
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        # Typed at the same moment by another keeper: theirs is the one.
        return Client.objects.get(kpmi=kpmi, name=client.name, kecamatan=kecamatan)
    audit_log(actor=actor, action="client_create", target=client, changes={"name": [None, client.name]})
    return client


# --- recording an order --------------------------------------------------------------------------------


def _next_receipt_number(kpmi: Kpmi) -> int:
    """The KPMI's next receipt number. The counter row is created on first use without a race (an
    INSERT that does nothing when the row exists), then locked: concurrent orders of one KPMI queue
    here until the first commits, so numbers are never shared and never skipped (a rolled-back
    order gives its number back with its transaction)."""
    ReceiptSequence.objects.bulk_create([ReceiptSequence(kpmi=kpmi, last=0)], ignore_conflicts=True)
    sequence = ReceiptSequence.objects.select_for_update().get(kpmi=kpmi)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def price_with_override(
    *, price: Price, quantity: int, override_unit_price: Decimal | None, override_reason: str
) -> tuple[Decimal, Decimal, bool, str]:
    """(unit price, total, free, reason) once a keeper's override is applied to the computed price."""
    if override_unit_price is None:
        return price.unit_price, price.total, price.is_free, price.reason
    unit = to_rupiah(override_unit_price)
    total = to_rupiah(unit * quantity)
    reason = _("Price changed: %(price)s × %(quantity)s (computed: %(computed)s)") % {
        "price": format_rupiah(unit),
        "quantity": quantity,
        "computed": price.reason,
    }
    return unit, total, False, reason[:200]


@transaction.atomic
def order_create(
    *,
    actor: Any,
    kpmi: Kpmi,
    service: Service,
    quantity: int,
    date: dt.date,
    member: Member | None = None,
    client: Client | None = None,
    new_client: dict[str, Any] | None = None,
    override_unit_price: Decimal | None = None,
    override_reason: str = "",
    note: str = "",
) -> Order:
    """Record an order. The price is computed by `price_compute` and stored with its reason; a
    keeper may set another unit price only with a written reason (audited: computed → charged). An
    order that costs nothing is settled at once ("Free"); the receipt number is the KPMI's next."""
    _check_keeper(actor, kpmi)
    errors: dict[str, str] = {}
    if service.kpmi_id != kpmi.pk or not service.is_active:
        errors["service"] = _("Choose a service this KPMI offers.")
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        errors["quantity"] = _("The quantity must be between 1 and %(max)s.") % {"max": MAX_QUANTITY}
    if date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    if client is not None and client.kpmi_id != kpmi.pk:
        errors["client"] = _("Choose a client of this KPMI.")
    if sum(x is not None for x in (member, client, new_client)) != 1:
        errors["client_type"] = _("Choose one client: a member, a client of this KPMI, or a new client.")
    override_reason = (override_reason or "").strip()
    if override_unit_price is not None and not override_reason:
        errors["override_reason"] = _("Say why the price is changed.")
    if override_unit_price is not None and override_unit_price < 0:
        errors["override_unit_price"] = _("A price cannot be negative.")
    if errors:
        raise ValidationError(errors)
    if new_client is not None:
        client = client_create(actor=actor, kpmi=kpmi, data=new_client)

    price = price_compute(service=service, quantity=quantity, member=member, client=client)
    unit_price, total, is_free, reason = price_with_override(
        price=price, quantity=quantity, override_unit_price=override_unit_price, override_reason=override_reason
    )
    order = Order(
        kpmi=kpmi,
        service=service,
        member=member,
        client=client,
        quantity=quantity,
        date=date,
        unit_price=unit_price,
        total=total,
        is_free=is_free,
        free_rule=price.rule if is_free else None,
        price_reason=reason,
        override_reason=override_reason if override_unit_price is not None else "",
        # Nothing to pay: settled at once, and no zero posting in the ledger.
        payment_status=PaymentStatus.WAIVED if total == 0 else PaymentStatus.UNPAID,
        note=(note or "").strip(),
        created_by=_user(actor),
        receipt_number=0,  # set below, once everything else is known to be valid
    )
    order.full_clean(exclude=["receipt_number", "created_by"])
    order.receipt_number = _next_receipt_number(kpmi)
    order.save(force_insert=True)
    audit_log(
        actor=actor,
        action="order_create",
        target=order,
        changes={
            "total": [None, str(order.total)],
            "price_reason": [None, order.price_reason],
            "payment_status": [None, order.payment_status],
            "receipt_number": [None, order.receipt_number],
        },
    )
    if order.override_reason:
        audit_log(
            actor=actor,
            action="order_price_override",
            target=order,
            changes={
                "unit_price": [str(price.unit_price), str(order.unit_price)],
                "total": [str(price.total), str(order.total)],
            },
            note=order.override_reason,
        )
    return order


# --- payment and cancellation --------------------------------------------------------------------------


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("kpmi", "service").get(pk=order.pk)


@transaction.atomic
def order_pay(*, actor: Any, order: Order, method: str, paid_on: dt.date) -> Order:
    """Record the payment of an unpaid order: paid, and its total posted to the KPMI ledger as
    service income, together. The order row is locked, so a second submit (a double tap, another tab,
    another keeper) waits, then finds it paid and is refused; the ledger's "order posted once"
    constraint stands behind that."""
    stored = _locked(order)
    _check_keeper(actor, stored.kpmi)
    if stored.payment_status == PaymentStatus.PAID:
        raise ValidationError(_("This order is paid already (on %(date)s).") % {"date": f"{stored.paid_on:%d-%m-%Y}"})
    if stored.payment_status != PaymentStatus.UNPAID:
        raise ValidationError(
            _("Only an unpaid order can be paid; this one is %(status)s.")
            % {"status": stored.get_payment_status_display().lower()}
        )
    errors = {}
    if method not in PaymentMethod.values or not method:
        errors["method"] = _("Choose how it was paid.")
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("The date cannot be in the future.")
    elif paid_on < stored.date:
        # A payment before the order existed is a typing slip; it would also put the income into a
        # month (and a closed settlement) the order never belonged to.
        errors["paid_on"] = _("The payment cannot be dated before the order (%(date)s).") % {
            "date": f"{stored.date:%d-%m-%Y}"
        }
    if errors:
        raise ValidationError(errors)
    stored.payment_status = PaymentStatus.PAID
    stored.payment_method = method
    stored.paid_on = paid_on
    stored.full_clean(exclude=["created_by"])
    stored.save(update_fields=["payment_status", "payment_method", "paid_on", "updated_at"])
    posting_record(
        actor=actor,
        kpmi=stored.kpmi,
        date=paid_on,
        category=Category.SERVICE_INCOME,
        amount=stored.total,
        description=(_("Receipt %(label)s: %(service)s") % {"label": stored.receipt_label, "service": stored.service})[
            :200
        ],
        order=stored,
    )
    audit_log(
        actor=actor,
        action="order_pay",
        target=stored,
        changes={
            "payment_status": [PaymentStatus.UNPAID, PaymentStatus.PAID],
            "payment_method": ["", method],
            "paid_on": [None, paid_on.isoformat()],
        },
    )
    return stored


@transaction.atomic
def order_cancel(*, actor: Any, order: Order, reason: str) -> Order:
    """Cancel an order; the row and its receipt number stay. A paid order's payment is reversed in
    the ledger (a reversing posting, never an edit)."""
    stored = _locked(order)
    _check_keeper(actor, stored.kpmi)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the order is cancelled.")})
    if stored.payment_status == PaymentStatus.CANCELLED:
        raise ValidationError(_("This order is cancelled already."))
    before = stored.payment_status
    if before == PaymentStatus.PAID:
        posting = Posting.objects.filter(order=stored, reverses__isnull=True).first()
        if posting is not None and not Posting.objects.filter(reverses=posting).exists():
            posting_reverse(actor=actor, posting=posting, reason=reason)
    stored.payment_status = PaymentStatus.CANCELLED
    note = _("Cancelled: %(reason)s") % {"reason": reason}
    stored.note = f"{stored.note}\n{note}".strip()[:1000]
    stored.save(update_fields=["payment_status", "note", "updated_at"])
    audit_log(
        actor=actor,
        action="order_cancel",
        target=stored,
        changes={"payment_status": [before, PaymentStatus.CANCELLED]},
        note=reason,
    )
    return stored


# --- a delivered order becomes logged work -------------------------------------------------------------


def log_work_refusal(order: Order) -> str | None:
    """Why this order cannot become logged work now, or None."""
    if order.activity_id is not None:
        return _("This order is already logged as work.")
    if order.payment_status == PaymentStatus.CANCELLED:
        return _("A cancelled order is not logged as work.")
    if order.service.work_kind == WorkKind.NONE:
        return _("This service is not logged as work.")
    return None


@transaction.atomic
def order_log_work(
    *,
    actor: Any,
    order: Order,
    data: dict[str, Any],
    credited: Sequence[Member],
    trainees: Sequence[Member] = (),
    files: Sequence[Any] = (),
) -> Any:
    """Turn a delivered order into the matching logged work, through the same service the
    work-logging form calls, and link it to the order (once: the order row is locked and the link is
    one-to-one). The order is marked delivered on the work's date."""
    from programs.services.work import activity_log

    stored = _locked(order)
    _check_keeper(actor, stored.kpmi)
    refusal = log_work_refusal(stored)
    if refusal is not None:
        raise ValidationError(refusal)
    activity = activity_log(
        actor=actor,
        kind=stored.service.work_kind,
        kpmi=stored.kpmi,
        data=data,
        credited=credited,
        trainees=trainees,
        files=files,
    )
    stored.activity = activity
    stored.delivered_on = activity.date
    stored.save(update_fields=["activity", "delivered_on", "updated_at"])
    audit_log(
        actor=actor,
        action="order_log_work",
        target=stored,
        changes={
            "activity": [None, {"id": activity.pk, "text": str(activity)}],
            "delivered_on": [None, str(activity.date)],
        },
    )
    return activity
