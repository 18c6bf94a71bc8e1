"""The issue's journey on a phone: a manager records a training order for a trainer candidate (free,
and the page says why) and one for a school (paid; the receipt PDF opens), then sees the paid one in
the ledger, both in the orders, and the group's operations coverage move."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from entrepreneurship.models import Category, Order, PaymentStatus, Posting
from entrepreneurship.services import catalogue
from entrepreneurship.services.ledger import posting_record
from members.models import Level
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_free_training_and_a_paid_one_reach_the_receipt_ledger_and_coverage(
    page, login, live_server, manager_a, kpmi_a, kpmi_b
):
    today = timezone.localdate()
    training = catalogue.service_create(
        actor=manager_a,
        kpmi=kpmi_a,
        data={"name": "Pelatihan perawatan komputer", "unit": "participant", "price": Decimal("150000")},
    )
    catalogue.rule_add(actor=manager_a, service=training, client_level=Level.TRAINER_CANDIDATE)
    candidate = factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER_CANDIDATE, full_name="Neng Calon Pelatih")
    posting_record(
        actor=manager_a, kpmi=kpmi_a, date=today, category=Category.RENT, amount=Decimal("1000000"), description="Sewa"
    )

    login("manager_a", PASSWORD)
    page.goto(f"{live_server.url}/usaha/kpmi/{kpmi_a.pk}/keuangan/")
    assert page.locator("#coverage").inner_text().strip() == "0,0%"

    # A trainer candidate of another KPMI: free, and the page says why before and after saving.
    page.goto(f"{live_server.url}{kpmi_a.get_absolute_url()}")
    page.get_by_role("link", name="Pesanan", exact=True).first.click()
    page.get_by_role("link", name="Catat pesanan").first.click()
    page.fill("#member-q", "Neng Calon")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Pilih").first.click()
    page.select_option("select[name=service]", str(training.pk))
    page.fill("input[name=date]", today.isoformat())
    page.get_by_role("button", name="Hitung harga").click()
    assert page.get_by_role("status").get_by_text("Gratis — calon pelatih").is_visible()
    page.get_by_role("button", name="Simpan pesanan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Gratis — calon pelatih").first.is_visible()
    free = Order.objects.get(member=candidate)
    assert (free.total, free.payment_status) == (Decimal("0.00"), PaymentStatus.WAIVED)

    # A school, new to the group: two participants at the group's price.
    page.goto(f"{live_server.url}/usaha/kpmi/{kpmi_a.pk}/pesanan/baru/")
    page.check("input[name=client_type][value=new]")
    page.fill("input[name=new_client_name]", "SDN 2 Tarogong")
    page.select_option("select[name=new_client_category]", "school")
    page.select_option("select[name=new_client_kecamatan]", str(kpmi_a.kecamatan_id))
    page.select_option("select[name=service]", str(training.pk))
    page.fill("input[name=quantity]", "2")
    page.fill("input[name=date]", today.isoformat())
    page.get_by_role("button", name="Hitung harga").click()
    assert page.get_by_role("status").get_by_text("Rp 150.000 × 2").is_visible()
    page.get_by_role("button", name="Simpan pesanan").click()
    page.wait_for_load_state()
    paid = Order.objects.get(client__name="SDN 2 Tarogong")
    assert paid.total == Decimal("300000.00") and paid.receipt_number == free.receipt_number + 1

    page.select_option("select[name=method]", "cash")
    page.fill("input[name=paid_on]", today.isoformat())
    page.get_by_role("button", name="Dibayar: Rp 300.000").click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="Kuitansi (PDF)").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename.endswith(".pdf")

    # Both orders are on the group's list; the payment is in the ledger; the coverage moved.
    page.goto(f"{live_server.url}/usaha/kpmi/{kpmi_a.pk}/pesanan/")
    assert page.get_by_text(free.receipt_label).is_visible() and page.get_by_text(paid.receipt_label).is_visible()
    page.get_by_role("link", name="Buku kas", exact=True).click()
    income = page.locator("tbody tr", has_text=paid.receipt_label)
    assert income.count() == 1 and "Pendapatan layanan" in income.inner_text() and "Rp 300.000" in income.inner_text()
    assert Posting.objects.filter(order=paid).count() == 1 and not Posting.objects.filter(order=free).exists()
    page.get_by_role("link", name="Keuangan dan cakupan").first.click()
    assert page.locator("#coverage").inner_text().strip() == "30,0%"
