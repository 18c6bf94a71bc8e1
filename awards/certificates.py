"""Certificates (piagam penghargaan): the verification code and the PDF.

The code is random (secrets), 16 characters from an alphabet without look-alikes (no 0/O, 1/I):
32^16 = 2^80 possibilities, so nobody finds a valid code by guessing, and it stays readable when
typed from paper. It is stored without dashes and printed in groups of four.

The PDF is drawn with reportlab (pure Python, no system libraries) in Indonesian, the language of
KOMTIK Garut's official documents, whatever language the person downloading it reads the site in.
Its text is set in DejaVu Sans, vendored under kpmi_si/fonts/ (see the README there): reportlab's
built-in Helvetica has no glyphs beyond Latin-1, and names like "Şukma" or "Nur’aini" must print.
"""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from kpmi_si.pdf import FONT, FONT_BOLD, FONT_ITALIC, GREEN, register_fonts

from .models import Award

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
# The code is drawn from CODE_ALPHABET (ASCII) only, so the built-in Courier, whose equal widths keep
# the groups of four aligned, needs no embedded font.
CODE_FONT = "Courier-Bold"


def _fitting_size(text: str, font: str, size: float, max_width: float, smallest: float = 12) -> float:
    """The largest size up to `size` at which `text` fits `max_width` (long names stay inside the frame)."""
    width = pdfmetrics.stringWidth(text, font, size)
    return size if width <= max_width else max(smallest, size * max_width / width)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _place_label(award: Award) -> str:
    if award.category.winners_count == 1:
        return _("Winner")
    return _("Winner, place %(place)s") % {"place": award.place}


def _qr(c: canvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(text)
    x0, y0, x1, y1 = widget.getBounds()
    # The drawing's own initial font, else reportlab puts Helvetica in the PDF for a QR code with no text.
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0], initialFontName=FONT)
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)


def render_certificate(award: Award, *, verify_url: str) -> bytes:
    """The certificate of one award as PDF bytes. `verify_url` is the public address that confirms
    the code (printed, and as a QR code)."""
    register_fonts()
    finalist = award.finalist
    kpmi = finalist.kpmi
    buffer = io.BytesIO()
    width, height = landscape(A4)
    # The initial font too: otherwise reportlab lists Helvetica in every page's resources.
    c = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1, initialFontName=FONT)
    with translation.override(settings.LANGUAGE_CODE):
        c.setTitle(_("Certificate of award") + f" {award.round.year} — {finalist.name}")
        c.setAuthor("KOMTIK Garut")
        c.setSubject(award.category.label)

        c.setStrokeColor(GREEN)
        c.setLineWidth(6)
        c.rect(24, 24, width - 48, height - 48)
        c.setLineWidth(1.5)
        c.rect(36, 36, width - 72, height - 72)

        center = width / 2
        c.setFillColor(GREEN)
        c.setFont(FONT_BOLD, 18)
        c.drawCentredString(center, height - 90, "KOMTIK Garut")
        c.setFont(FONT, 10)
        c.drawCentredString(center, height - 106, _("The federation of ICT communities of Garut regency"))

        c.setFillColor(colors.black)
        c.setFont(FONT_BOLD, 30)
        c.drawCentredString(center, height - 160, _("CERTIFICATE OF AWARD"))
        c.setFont(FONT, 13)
        c.drawCentredString(center, height - 195, _("is awarded to"))
        c.setFont(FONT_BOLD, _fitting_size(finalist.name, FONT_BOLD, 26, width - 160))
        c.drawCentredString(center, height - 235, finalist.name)
        c.setFont(FONT, 12)
        c.drawCentredString(
            center,
            height - 258,
            _("%(kpmi)s, district of %(kecamatan)s") % {"kpmi": kpmi.name, "kecamatan": kpmi.kecamatan.name},
        )

        c.setFont(FONT_BOLD, 15)
        c.drawCentredString(center, height - 298, f"{_place_label(award)} — {award.category.label}")
        c.setFont(FONT, 13)
        c.drawCentredString(center, height - 320, _("KOMTIK Garut annual awards %(year)s") % {"year": award.round.year})
        c.setFont(FONT_ITALIC, 11)
        for index, line in enumerate(simpleSplit(award.citation_text(), FONT_ITALIC, 11, width - 260)[:3]):
            c.drawCentredString(center, height - 348 - index * 15, line)

        issued = award.round.published_at or award.round.finalised_at or award.created_at
        c.setFont(FONT, 11)
        # The date in Garut (the site's time zone): a round published after 17:00 UTC is already the
        # next day there, and the certificate must say the day the round page says.
        c.drawCentredString(width - 190, 140, f"Garut, {formats.date_format(timezone.localtime(issued), 'j F Y')}")
        c.drawCentredString(width - 190, 124, _("Chair of KOMTIK Garut"))
        c.line(width - 280, 80, width - 100, 80)

        _qr(c, verify_url, 60, 60, 78)
        c.setFont(FONT, 9)
        c.drawString(148, 118, _("Verification code"))
        c.setFont(CODE_FONT, 13)
        c.drawString(148, 100, award.code_display)
        c.setFont(FONT, 8)
        c.drawString(148, 84, _("Check this certificate at"))
        c.drawString(148, 72, verify_url)
        c.showPage()
        c.save()
    return buffer.getvalue()
