"""The receipt (kwitansi) of an order as PDF, drawn with reportlab the way award certificates are
(awards/certificates.py): in Indonesian whatever language the keeper reads the site in, set in the
vendored DejaVu Sans so that any client's name prints."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from kpmi_si.money import format_rupiah
from kpmi_si.pdf import FONT, FONT_BOLD, GREEN, register_fonts

from .models import Order, PaymentStatus


def _payment_line(order: Order) -> str:
    status = order.get_payment_status_display()
    if order.payment_status == PaymentStatus.PAID:
        return _("%(status)s, %(method)s, %(date)s") % {
            "status": status,
            "method": order.get_payment_method_display(),
            "date": formats.date_format(order.paid_on, "j F Y"),
        }
    return str(status)


def render_receipt(order: Order) -> bytes:
    """The receipt of one order as PDF bytes (the order as `selectors.orders.order_detail` loads it)."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A5)
    c = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1, initialFontName=FONT)
    with translation.override(settings.LANGUAGE_CODE):
        kpmi = order.kpmi
        c.setTitle(_("Receipt %(label)s") % {"label": order.receipt_label})
        c.setAuthor(kpmi.name)

        c.setFillColor(GREEN)
        c.setFont(FONT_BOLD, 16)
        c.drawString(40, height - 50, kpmi.name)
        c.setFont(FONT, 10)
        c.drawString(40, height - 66, _("District of %(kecamatan)s, Garut") % {"kecamatan": kpmi.kecamatan.name})
        c.setFillColor(colors.black)
        c.setFont(FONT_BOLD, 20)
        c.drawRightString(width - 40, height - 50, _("RECEIPT"))
        c.setFont(FONT_BOLD, 11)
        c.drawRightString(width - 40, height - 66, order.receipt_label)
        c.setStrokeColor(GREEN)
        c.line(40, height - 78, width - 40, height - 78)

        rows = [
            (_("Date"), formats.date_format(order.date, "j F Y")),
            (_("Client"), order.client_name),
            (_("Service"), order.service.name),
            (
                _("Quantity × unit price"),
                f"{order.quantity} {order.service.get_unit_display()} × {format_rupiah(order.unit_price)}",
            ),
            (_("Price"), order.price_reason),
            (_("Payment"), _payment_line(order)),
        ]
        if order.override_reason:
            rows.append((_("Reason for the changed price"), order.override_reason))
        y = height - 104
        for label, value in rows:
            c.setFont(FONT, 10)
            c.drawString(40, y, label)
            c.setFont(FONT_BOLD if label == _("Price") else FONT, 10)
            lines = simpleSplit(str(value), FONT, 10, width - 230)[:3] or [""]
            for line in lines:
                c.drawString(190, y, line)
                y -= 14
            y -= 4

        c.line(40, y, width - 40, y)
        c.setFont(FONT_BOLD, 14)
        c.drawString(40, y - 22, _("Total"))
        c.drawRightString(width - 40, y - 22, format_rupiah(order.total))
        if order.payment_status == PaymentStatus.CANCELLED:
            c.setFillColor(colors.red)
            c.setFont(FONT_BOLD, 28)
            c.drawCentredString(width / 2, 40, _("CANCELLED"))
        c.showPage()
        c.save()
    return buffer.getvalue()
