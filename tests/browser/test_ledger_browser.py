"""A keeper opens the group's money from the KPMI page: the chart is drawn under the strict CSP, the
coverage shows; records a cost on the ledger and reverses it, and the coverage follows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from entrepreneurship.models import Category, Posting
from entrepreneurship.services.ledger import posting_record
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_keeper_sees_the_chart_records_a_cost_and_reverses_it(page, login, live_server, manager_a, kpmi_a):
    today = timezone.localdate()
    posting_record(
        actor=manager_a,
        kpmi=kpmi_a,
        date=today - dt.timedelta(days=today.day - 1),
        category=Category.BUSINESS_CONTRIBUTION,
        amount=Decimal("300000"),
        description="Kontribusi usaha",
    )
    login("manager_a", PASSWORD)
    page.goto(f"{live_server.url}{kpmi_a.get_absolute_url()}")
    page.get_by_role("link", name="Keuangan dan cakupan").first.click()
    page.wait_for_load_state()
    assert page.locator("#coverage").inner_text().strip() == "—"
    assert page.evaluate("Chart.getChart(document.getElementById('money-chart')) !== undefined")

    page.get_by_role("link", name="Buku kas", exact=True).click()
    page.get_by_role("link", name="Catat biaya atau donasi").click()
    page.select_option("select[name=category]", "electricity")
    page.fill("input[name=amount]", "400.000")
    page.fill("input[name=description]", "Listrik bulan ini")
    page.get_by_role("button", name="Catat").click()
    page.wait_for_load_state()
    assert page.get_by_text("Listrik bulan ini").is_visible()

    page.goto(f"{live_server.url}/usaha/kpmi/{kpmi_a.pk}/keuangan/")
    assert page.locator("#coverage").inner_text().strip() == "75,0%"

    cost = Posting.objects.get(category=Category.ELECTRICITY)
    page.goto(f"{live_server.url}/usaha/kpmi/{kpmi_a.pk}/buku-kas/{cost.pk}/balik/")
    page.fill("textarea[name=reason]", "Salah kelompok")
    page.get_by_role("button", name="Balik").click()
    page.wait_for_load_state()
    assert Posting.objects.filter(reverses=cost).count() == 1
    page.goto(f"{live_server.url}/usaha/kpmi/{kpmi_a.pk}/keuangan/")
    assert page.locator("#coverage").inner_text().strip() == "—"
