"""A KPMI's books as XLSX, in the layout a treasurer hands to an auditor: the ledger of a period (opening
balance, every posting with its source and reversals, totals per category, closing balance) and the
orders of the period. Written through `kpmi_si.exports`, so typed-in text never runs as a formula and
amounts are numbers with the Rupiah format."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kpmi_si.exports import xlsx_workbook_response
from members.models import Kpmi

from .models import Order, Posting
from .selectors import ledger as ledger_selectors


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    first = start.strftime("%d-%m-%Y") if start else _("the beginning")
    last = end.strftime("%d-%m-%Y") if end else _("today")
    return f"{first} – {last}"


def posting_source(posting: Posting) -> str:
    """Where a posting's money came from: a receipt, a business month, or typed by hand."""
    if posting.order_id is not None:
        return posting.order.receipt_label
    if posting.settlement_id is not None:
        settlement = posting.settlement
        month = f"{settlement.month:%m/%Y}"
        return _("Business %(name)s, %(month)s") % {"name": settlement.business.name, "month": month}
    return _("Manual")


def _header(title: str, kpmi: Kpmi, start: dt.date | None, end: dt.date | None) -> list[list[Any]]:
    return [
        [title],
        [_("KPMI"), kpmi.name],
        [_("Period"), period_label(start, end)],
        [_("Generated at"), date_format(timezone.localtime(), "d-m-Y H:i")],
        [],
    ]


LEDGER_COLUMNS = 10  # number, date, category, description, source, in, out, balance, reverses, reversed by


def ledger_rows(kpmi: Kpmi, start: dt.date | None, end: dt.date | None) -> Iterator[list[Any]]:
    totals = ledger_selectors.ledger_totals(kpmi=kpmi, start=start, end=end)
    yield from _header(_("KPMI ledger"), kpmi, start, end)
    yield [_("Opening balance"), "", "", "", "", "", "", totals.opening]
    yield [
        _("No."),
        _("Date"),
        _("Category"),
        pgettext("ledger", "Description"),
        _("Source"),
        _("Money in"),
        _("Money out"),
        _("Balance"),
        _("Reverses"),
        _("Reversed by"),
    ]
    balance = totals.opening
    for posting in ledger_selectors.ledger_rows(kpmi=kpmi, start=start, end=end, newest_first=False).iterator(
        chunk_size=2000
    ):
        balance += posting.amount
        reversed_by = getattr(posting, "reversed_by", None)
        yield [
            posting.pk,
            posting.date,
            posting.get_category_display(),
            posting.description,
            posting_source(posting),
            posting.amount if posting.amount > 0 else "",
            -posting.amount if posting.amount < 0 else "",
            balance,
            f"#{posting.reverses_id}" if posting.reverses_id else "",
            f"#{reversed_by.pk}" if reversed_by is not None else "",
        ]
    yield []
    yield [_("Total"), "", "", "", "", totals.money_in, -totals.money_out, ""]
    yield [_("Net of the period"), "", "", "", "", "", "", totals.net]
    yield [_("Closing balance"), "", "", "", "", "", "", totals.closing]
    yield []
    yield [_("Totals per category")]
    for _code, label, amount in totals.per_category:
        yield [label, "", "", "", "", "", "", amount]


def client_kind(order: Order) -> str:
    if order.member_id is not None:
        return order.member.get_level_display()
    return order.client.get_category_display()


def order_rows(kpmi: Kpmi, start: dt.date | None, end: dt.date | None) -> Iterator[list[Any]]:
    yield from _header(_("Service orders"), kpmi, start, end)
    yield [
        _("Receipt"),
        _("Date"),
        _("Client"),
        _("Client category or level"),
        _("Service"),
        _("Quantity"),
        _("Unit price"),
        _("Total"),
        _("Why this price"),
        _("Reason for changing the price"),
        _("Payment"),
        _("Payment method"),
        _("Paid on"),
    ]
    for order in ledger_selectors.orders_between(kpmi=kpmi, start=start, end=end).iterator(chunk_size=2000):
        yield [
            order.receipt_label,
            order.date,
            order.client_name,
            client_kind(order),
            order.service.name,
            order.quantity,
            order.unit_price,
            order.total,
            order.price_reason,
            order.override_reason,
            order.get_payment_status_display(),
            order.get_payment_method_display() if order.payment_method else "",
            order.paid_on or "",
        ]


def _basename(kind: str, kpmi: Kpmi, start: dt.date | None, end: dt.date | None) -> str:
    first = f"{start:%Y%m%d}" if start else "awal"
    last = f"{end:%Y%m%d}" if end else "kini"
    return f"{kind}-kpmi-{kpmi.pk}-{first}-{last}"


def ledger_xlsx(*, kpmi: Kpmi, start: dt.date | None, end: dt.date | None) -> HttpResponse:
    return xlsx_workbook_response(
        basename=_basename("buku-kas", kpmi, start, end), sheets=[(_("Ledger"), ledger_rows(kpmi, start, end))]
    )


def orders_xlsx(*, kpmi: Kpmi, start: dt.date | None, end: dt.date | None) -> HttpResponse:
    return xlsx_workbook_response(
        basename=_basename("pesanan", kpmi, start, end), sheets=[(_("Orders"), order_rows(kpmi, start, end))]
    )
