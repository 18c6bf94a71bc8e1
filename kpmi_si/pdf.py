"""What every PDF of the site shares (award certificates, order receipts, earnings statements): the
vendored DejaVu Sans, registered with reportlab once per process, and the site's green. Names,
villages and titles are Indonesian and may carry any character; reportlab's built-in fonts cover
Latin-1 only, so every PDF sets its text in these (see fonts/README.md for their origin and licence)."""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

GREEN = colors.HexColor("#198754")
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD, FONT_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"


@functools.cache
def register_fonts() -> None:
    """Register the vendored TTFs once per process (reportlab's registry is global; parsing the files
    for every document would be wasted work)."""
    for name in (FONT, FONT_BOLD, FONT_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
