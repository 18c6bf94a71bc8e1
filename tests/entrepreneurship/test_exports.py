"""The ledger and the orders of a period as XLSX: the auditor's layout, totals that add up, amounts as
numbers in Rupiah format, typed-in text that never runs as a formula, and the ledger's permission."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from entrepreneurship.models import Category
from entrepreneurship.services import businesses as business_services
from entrepreneurship.services.ledger import posting_reverse
from kpmi_si.exports import RUPIAH_FORMAT

from .ledger_world import TODAY, business, months_ago, order, paid_order_posting, pioneer, post

pytestmark = pytest.mark.django_db

LAST_YEAR = TODAY.year - 1


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).active


def _row(sheet, label):
    for row in sheet.iter_rows():
        if row[0].value == label:
            return row
    raise AssertionError(f"no row {label!r}")


@pytest.fixture
def books(kpmi_a, manager_a):
    """Postings before, in and after last year: an order, a business month, costs, a donation, a reversal."""
    post(kpmi_a, manager_a, Category.DONATION, "1000000", dt.date(LAST_YEAR - 1, 12, 31), "Hibah desa")
    income = paid_order_posting(kpmi_a, manager_a, total="300000", day=dt.date(LAST_YEAR, 2, 3))
    rent = post(kpmi_a, manager_a, Category.RENT, "250000", dt.date(LAST_YEAR, 3, 1), '=HYPERLINK("x")')
    post(kpmi_a, manager_a, Category.INTERNET, "99999.99", dt.date(LAST_YEAR, 4, 1), "Wifi")
    reversal = posting_reverse(actor=manager_a, posting=rent, reason="Salah bulan", date=dt.date(LAST_YEAR, 5, 1))
    shop = business(kpmi_a, pioneer(kpmi_a), started=dt.date(LAST_YEAR, 1, 1))
    shop.entries.create(date=dt.date(LAST_YEAR, 6, 2), kind="income", amount=Decimal("100000"), description="x")
    business_services.business_settle_month(actor=manager_a, business=shop, month=dt.date(LAST_YEAR, 6, 1))
    post(kpmi_a, manager_a, Category.ELECTRICITY, "50000", TODAY, "Listrik")  # after the period
    return {"income": income, "rent": rent, "reversal": reversal}


def test_the_ledger_export_has_the_auditors_layout(client_for, kpmi_a, manager_a, books):
    url = reverse("entrepreneurship:ledger_export", args=[kpmi_a.pk])
    sheet = _sheet(client_for(manager_a).get(url, {"tahun": LAST_YEAR}))

    assert _row(sheet, "KPMI")[1].value == "KPMI Alfa"
    assert _row(sheet, "Periode")[1].value == f"01-01-{LAST_YEAR} – 31-12-{LAST_YEAR}"
    assert _row(sheet, "Dibuat pada")[1].value
    opening = _row(sheet, "Saldo awal")[7]
    assert opening.value == 1000000 and opening.number_format == RUPIAH_FORMAT

    header = [c.value for c in _row(sheet, "No.")]
    assert header[:10] == [
        "No.", "Tanggal", "Kategori", "Keterangan", "Sumber", "Uang masuk", "Uang keluar", "Saldo", "Membalik",
        "Dibalik oleh",
    ]  # fmt: skip
    start = header_row = next(r[0].row for r in sheet.iter_rows() if r[0].value == "No.")
    postings = []
    for row in sheet.iter_rows(min_row=start + 1):
        if row[0].value is None:
            break
        postings.append([c.value for c in row])
    assert len(postings) == 5  # order, rent, internet, reversal, contribution
    by_id = {p[0]: p for p in postings}
    income = by_id[books["income"].pk]
    assert income[4] == books["income"].order.receipt_label and income[5] == 300000
    rent = by_id[books["rent"].pk]
    assert rent[3] == '=HYPERLINK("x")'  # text, never a formula
    assert sheet.cell(row=header_row + 1 + postings.index(rent), column=4).data_type == "s"
    assert rent[6] == 250000 and rent[9] == f"#{books['reversal'].pk}"
    assert by_id[books["reversal"].pk][8] == f"#{books['rent'].pk}"
    contribution = next(p for p in postings if p[2] == "Kontribusi usaha")
    assert contribution[4].startswith("Usaha ") and contribution[5] == 20000
    assert all(isinstance(p[1], dt.datetime) for p in postings)  # dates are dates, not text
    # The running balance ends at the closing balance.
    closing = _row(sheet, "Saldo akhir")[7].value
    assert postings[-1][7] == closing
    assert Decimal(str(closing)) == Decimal("1000000") + Decimal("300000") - Decimal("99999.99") + Decimal("20000")
    assert _row(sheet, "Sewa")[7].value == 0  # the rent and its reversal net to nothing
    assert Decimal(str(_row(sheet, "Internet")[7].value)) == Decimal("-99999.99")
    assert _row(sheet, "Total")[5].value == 300000 + 250000 + 20000
    assert _row(sheet, "Total")[5].number_format == RUPIAH_FORMAT


def test_the_orders_export_lists_the_periods_orders(client_for, kpmi_a, officer_entrepreneurs, manager_a):
    paid = order(kpmi_a, total="150000", day=months_ago(0, 1), override_reason="@SUM(A1) diskon")
    order(kpmi_a, total="0", day=months_ago(0, 1), price_reason="Gratis — calon pelatih", payment_status="waived",
          payment_method="", paid_on=None)  # fmt: skip
    order(kpmi_a, total="99000", day=dt.date(TODAY.year - 2, 1, 1))  # outside the period
    url = reverse("entrepreneurship:orders_export", args=[kpmi_a.pk])
    sheet = _sheet(client_for(officer_entrepreneurs).get(url, {"tahun": TODAY.year}))
    rows = [[c.value for c in r] for r in sheet.iter_rows() if str(r[0].value or "").startswith("KPMI-")]
    assert len(rows) == 2
    first = next(r for r in rows if r[0] == paid.receipt_label)
    assert first[3] == "Calon pelatih" and first[4] == "Pelatihan TIK dasar"
    assert (first[5], first[6], first[7]) == (2, 75000, 150000)
    assert first[9] == "@SUM(A1) diskon" and first[10] == "Lunas" and first[11] == "Tunai"
    free = next(r for r in rows if r[0] != paid.receipt_label)
    assert free[7] == 0 and free[8] == "Gratis — calon pelatih"


def test_exports_have_the_ledgers_permission(client_for, kpmi_a, manager_b, member_user_a):
    for name in ("ledger_export", "orders_export"):
        url = reverse(f"entrepreneurship:{name}", args=[kpmi_a.pk])
        assert client_for(manager_b).get(url).status_code == 403
        assert client_for(member_user_a).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302


def test_a_bad_period_goes_back_to_the_ledger_with_a_message(client_for, kpmi_a, manager_a):
    url = reverse("entrepreneurship:ledger_export", args=[kpmi_a.pk])
    response = client_for(manager_a).get(url, {"dari": "2025-05-01", "sampai": "2025-01-01"})
    assert response.status_code == 302
    assert response["Location"] == reverse("entrepreneurship:ledger", args=[kpmi_a.pk])
