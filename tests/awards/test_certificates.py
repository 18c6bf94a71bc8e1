"""Certificates: the PDF renders for any name, and codes are random, unique and readable."""

from __future__ import annotations

import pytest

from awards import selectors
from awards.certificates import CODE_ALPHABET, CODE_LENGTH, new_code, render_certificate
from awards.models import Award

pytestmark = pytest.mark.django_db


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


def test_the_pdf_renders_names_beyond_latin_1(published, garut):
    award = Award.objects.get(finalist__member=garut.asep)
    award.finalist.member.full_name = "Siti Nur’aini Ṡ 漢字"
    pdf = render_certificate(award, verify_url="https://si.komtik-garut.id/penghargaan/verifikasi/X/")
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 2000


def test_every_award_of_a_round_renders(published):
    for award in selectors.round_awards(round=published):
        assert render_certificate(award, verify_url="http://testserver/x").startswith(b"%PDF")
