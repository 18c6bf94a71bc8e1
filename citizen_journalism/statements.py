"""An author's yearly earnings statement as PDF (reportlab, in the vendored DejaVu Sans like the
receipts of entrepreneurship/receipts.py) and as rows for the XLSX download (kpmi_si.exports)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from kpmi_si.money import format_rupiah
from kpmi_si.pdf import FONT, FONT_BOLD, GREEN, register_fonts

from .models import Earning, EarningKind
from .selectors.sales import Statement


def line_label(line: Earning) -> str:
    if line.kind == EarningKind.PAYOUT:
        payout = line.payout
        label = _("Payout (%(method)s)") % {"method": payout.get_method_display()}
        return f"{label} {payout.reference}".strip()
    sale = line.sale
    label = _("%(kind)s: “%(title)s” to %(buyer)s") % {
        "kind": sale.get_kind_display(),
        "title": sale.article.title,
        "buyer": sale.buyer.name,
    }
    if line.kind == EarningKind.SALE_CANCELLED:
        label = _("Cancelled: %(sale)s") % {"sale": label}
    return label


def _month(value: Any) -> str:
    return formats.date_format(value, "F Y")


def statement_rows(found: Statement) -> Iterator[list[Any]]:
    """The workbook's rows: a header block, the months, then every line (Decimals are money cells)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield [_("Earnings statement"), found.author.full_name, found.author.kpmi.name, found.year]
        yield []
        yield [_("Month"), _("Sales"), _("Your share"), _("Taken back"), _("Paid out"), _("Balance")]
        yield [_("Carried from last year"), "", "", "", "", found.opening]
        for m in found.months:
            yield [_month(m.month), m.sale_count, m.earned, m.taken_back, m.paid, m.closing]
        yield []
        yield [_("Date"), _("Description"), _("Amount")]
        for line in found.lines:
            yield [line.date, line_label(line), line.amount]


def render_statement(found: Statement) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=FONT)
    with translation.override(settings.LANGUAGE_CODE):
        author = found.author
        c.setTitle(_("Earnings statement %(year)s: %(name)s") % {"year": found.year, "name": author.full_name})
        c.setFillColor(GREEN)
        c.setFont(FONT_BOLD, 15)
        c.drawString(40, height - 50, _("Garut Citizen Journalism"))
        c.setFillColor(colors.black)
        c.setFont(FONT_BOLD, 12)
        c.drawString(40, height - 70, _("Earnings statement %(year)s") % {"year": found.year})
        c.setFont(FONT, 10)
        c.drawString(40, height - 86, f"{author.full_name} — {author.kpmi.name}")
        c.setStrokeColor(GREEN)
        c.line(40, height - 96, width - 40, height - 96)

        columns = [
            (40, _("Month")),
            (170, _("Sales")),
            (300, _("Your share")),
            (390, _("Paid out")),
            (555, _("Balance")),
        ]
        y = height - 116
        c.setFont(FONT_BOLD, 9)
        for x, title in columns:
            (c.drawString if x < 200 else c.drawRightString)(x, y, title)
        y -= 14
        c.setFont(FONT, 9)
        c.drawString(40, y, _("Carried from last year"))
        c.drawRightString(555, y, format_rupiah(found.opening, sign=True))
        for m in found.months:
            y -= 13
            c.drawString(40, y, _month(m.month))
            c.drawString(170, y, str(m.sale_count))
            c.drawRightString(300, y, format_rupiah(m.earned + m.taken_back, sign=True))
            c.drawRightString(390, y, format_rupiah(m.paid))
            c.drawRightString(555, y, format_rupiah(m.closing, sign=True))
        y -= 24
        c.setFont(FONT_BOLD, 9)
        c.drawString(40, y, _("Lines"))
        c.setFont(FONT, 9)
        for line in found.lines:
            y -= 13
            if y < 50:
                c.showPage()
                c.setFont(FONT, 9)
                y = height - 50
            c.drawString(40, y, formats.date_format(line.date, "j M Y"))
            text = simpleSplit(line_label(line), FONT, 9, 330)[:1] or [""]
            c.drawString(110, y, text[0])
            c.drawRightString(555, y, format_rupiah(line.amount, sign=True))
        c.showPage()
        c.save()
    return buffer.getvalue()
