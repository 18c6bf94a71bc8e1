"""Certificates: the PDF renders any name in an embedded Unicode font, and codes are random, unique
and readable."""

from __future__ import annotations

import base64
import re
import zlib

import pytest

from awards import selectors
from awards.certificates import CODE_ALPHABET, CODE_LENGTH, new_code, render_certificate
from awards.models import Award

pytestmark = pytest.mark.django_db

VERIFY_URL = "https://si.komtik-garut.id/penghargaan/verifikasi/X/"


# --- reading a PDF back, enough for reportlab's output (no PDF library in the requirements) ----------


def _decode(head: bytes, data: bytes) -> bytes:
    if b"ASCII85Decode" in head:
        data = base64.a85decode(data.strip().removesuffix(b"~>"))
    if b"FlateDecode" in head:
        data = zlib.decompress(data)
    return data


def pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Every indirect object: its dictionary, and for a stream its decoded data."""
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    position = 0
    for match in re.finditer(rb"(\d+) 0 obj\b", pdf):
        if match.start() < position:
            continue  # inside the binary data of a stream read already
        start = match.end()
        stream, end = pdf.find(b"stream", start), pdf.find(b"endobj", start)
        if stream != -1 and stream < end:
            head = pdf[start:stream]
            length = int(re.search(rb"/Length (\d+)", head)[1])
            data_start = stream + len(b"stream") + (2 if pdf[stream + 6 : stream + 8] == b"\r\n" else 1)
            objects[int(match[1])] = (head, _decode(head, pdf[data_start : data_start + length]))
            position = data_start + length
        else:
            objects[int(match[1])] = (pdf[start:end], None)
            position = end
    return objects


def _unescape(raw: bytes) -> bytes:
    """A PDF literal string's bytes: backslash escapes, octal codes included."""
    out, i = bytearray(), 0
    simple = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    while i < len(raw):
        if raw[i : i + 1] != b"\\":
            out += raw[i : i + 1]
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal[0], 8) & 0xFF)
            i += 1 + len(octal[0])
        else:
            out += simple.get(raw[i + 1 : i + 2], raw[i + 1 : i + 2])
            i += 2
    return bytes(out)


def _to_unicode(cmap: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return mapping


def pdf_fonts(pdf: bytes) -> dict[str, dict]:
    """The fonts by their resource name (/F3+0): base font, embedded or not, and how codes map to text."""
    objects = pdf_objects(pdf)
    fonts = {}
    for head, data in objects.values():
        if data is not None or not re.search(rb"/Type /Font\b(?!Descriptor)", head):
            continue
        name = re.search(rb"/Name /(\S+)", head)[1].decode()
        base = re.search(rb"/BaseFont /(\S+)", head)[1].decode()
        descriptor = re.search(rb"/FontDescriptor (\d+) 0 R", head)
        embedded = bool(descriptor) and b"/FontFile2" in objects[int(descriptor[1])][0]
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", head)
        cmap = _to_unicode(objects[int(to_unicode[1])][1]) if to_unicode else None
        fonts[name] = {"base": base, "embedded": embedded, "cmap": cmap}
    return fonts


def pdf_text(pdf: bytes) -> str:
    """The page's text, one line per text object, decoded through each font's ToUnicode map (as a
    reader's copy and paste or a search engine does)."""
    fonts = pdf_fonts(pdf)
    token = re.compile(rb"/(\S+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj|\bET\b", re.S)
    lines, current, font = [], "", None
    for _head, data in pdf_objects(pdf).values():
        if data is None or b"Tf" not in data:
            continue
        for match in token.finditer(data):
            if match[1] is not None:
                font = fonts[match[1].decode()]
            elif match[2] is not None:
                raw = _unescape(match[2])
                cmap = font["cmap"]
                current += raw.decode("cp1252") if cmap is None else "".join(cmap.get(b, "\ufffd") for b in raw)
            else:
                lines.append(current)
                current = ""
    return "\n".join(line for line in lines if line)


def pdf_content(pdf: bytes) -> bytes:
    """The decoded page content (the drawing operators)."""
    return b"".join(data for _head, data in pdf_objects(pdf).values() if data is not None and b"Tf" in data)


# --- the tests ------------------------------------------------------------------------------------------


def test_codes_are_random_and_use_no_look_alikes():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01IO") & set(CODE_ALPHABET)


def test_codes_are_found_typed_with_dashes_spaces_or_lower_case(published):
    award = Award.objects.first()
    for typed in (award.code, award.code_display, award.code.lower(), " ".join(award.code_display.split("-"))):
        assert selectors.award_by_code(typed) == award
    assert selectors.award_by_code("") is None
    assert selectors.award_by_code("----") is None


@pytest.mark.parametrize(
    "name",
    [
        "Dédé Şukma Ŋ",  # Latin Extended-A: Ş and Ŋ are beyond Latin-1
        "Siti Nur’aini — Ṡaleha",  # the typographic apostrophe and the dash of Indonesian names
        "Ğülşen Ďurović Łukasz Ωmega",
    ],
)
def test_names_beyond_latin_1_print_in_embedded_dejavu_and_extract_as_typed(published, garut, name):
    award = Award.objects.get(finalist__member=garut.asep)
    award.finalist.member.full_name = name
    pdf = render_certificate(award, verify_url=VERIFY_URL)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")

    fonts = pdf_fonts(pdf).values()
    # Every text font is the embedded DejaVu (a subset, "ABCDEF+DejaVuSans"), except the code's Courier.
    text_fonts = {f["base"].split("+")[-1] for f in fonts if f["base"] != "Courier-Bold"}
    assert text_fonts == {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}
    assert all(f["embedded"] and f["cmap"] for f in fonts if f["base"] != "Courier-Bold")
    assert b"Helvetica" not in pdf

    lines = pdf_text(pdf).splitlines()
    assert name in lines  # the whole name on its own line, every character mapped back
    assert award.code_display in lines
    assert VERIFY_URL in lines
    assert "\ufffd" not in "".join(lines)


def test_a_long_name_shrinks_to_fit_the_frame(published, garut):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from awards.certificates import FONT_BOLD

    award = Award.objects.get(finalist__member=garut.asep)
    award.finalist.member.full_name = "Raden Ayu Siti Nurhalimah Kusumawardhani Sukmawati Permana Putri"
    pdf = render_certificate(award, verify_url=VERIFY_URL)
    size = float(re.search(rb"/F\d\+0 ([\d.]+) Tf \S+ TL \(Raden", pdf_content(pdf))[1])
    assert size < 26
    assert stringWidth(award.finalist.name, FONT_BOLD, size) <= landscape(A4)[0] - 160 + 0.01


def test_every_award_of_a_round_renders(published):
    for award in selectors.round_awards(round=published):
        pdf = render_certificate(award, verify_url="http://testserver/x")
        assert pdf.startswith(b"%PDF")
        assert award.finalist.name in pdf_text(pdf).splitlines()


def test_the_certificate_names_the_winner_category_year_komtik_and_code(published, garut):
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext

    award = Award.objects.get(finalist__member=garut.asep)
    lines = pdf_text(render_certificate(award, verify_url=VERIFY_URL)).splitlines()
    # Official documents are in Indonesian whatever the reader's language.
    with translation.override(settings.LANGUAGE_CODE):
        category = award.category.label
        annual = gettext("KOMTIK Garut annual awards %(year)s") % {"year": 2025}
    assert "KOMTIK Garut" in lines and "Asep" in lines and annual in lines
    assert any(line.endswith(category) for line in lines)
    assert award.code_display in lines and VERIFY_URL in lines


def test_the_certificate_is_dated_in_garut_time(published, garut):
    import datetime as dt

    from django.conf import settings
    from django.utils import formats, translation

    from awards.models import AwardRound

    # 18:00 UTC on 1 January is 01:00 on 2 January in Garut (UTC+7): the day the round page shows.
    AwardRound.objects.filter(pk=published.pk).update(published_at=dt.datetime(2026, 1, 1, 18, 0, tzinfo=dt.UTC))
    award = Award.objects.select_related("round").get(finalist__member=garut.asep)
    with translation.override(settings.LANGUAGE_CODE):
        expected = "Garut, " + formats.date_format(dt.date(2026, 1, 2), "j F Y")
    assert expected in pdf_text(render_certificate(award, verify_url=VERIFY_URL)).splitlines()
