"""The receipt PDF: it opens, and its text (read back through the fonts' ToUnicode maps, as a reader's
search does) names the KPMI, the receipt number, the client, the service, quantity × unit price, the
total in Rupiah, why that price, and the payment. Served as a download kept by no cache; another
KPMI's order or one that does not exist is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from entrepreneurship.receipts import render_receipt
from entrepreneurship.selectors.orders import order_detail
from entrepreneurship.services.orders import order_pay
from tests import factories
from tests.awards.test_certificates import pdf_text

from .orders_helpers import candidate_of, client_of, record_order, today, training_service

pytestmark = pytest.mark.django_db


def _url(order) -> str:
    return reverse("entrepreneurship:order_receipt", args=[order.kpmi_id, order.pk])


def test_a_paid_receipt_names_everything_a_treasurer_checks(client_for, manager_a, kpmi_a):
    order = record_order(
        manager_a, training_service(kpmi_a, price="625000"), quantity=2, client=client_of(kpmi_a, name="SMPN 1 Şukma")
    )
    order_pay(actor=manager_a, order=order, method="transfer", paid_on=today())
    response = client_for(manager_a).get(_url(order))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"kwitansi-{kpmi_a.pk}-000001.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    text = pdf_text(pdf)
    for expected in (
        "KPMI Alfa",
        "Tarogong Kidul",
        order.receipt_label,
        "SMPN 1 Şukma",
        "Pelatihan dasar TIK",
        "Rp 625.000",
        "Rp 1.250.000",
        "Rp 625.000 × 2",
        "Transfer bank",
    ):
        assert expected in text, (expected, text)


def test_a_free_receipt_says_why(manager_a, kpmi_a):
    order = record_order(manager_a, training_service(kpmi_a), member=candidate_of(kpmi_a, "Dede Calon"))
    text = pdf_text(render_receipt(order_detail(kpmi=kpmi_a, pk=order.pk)))
    assert "Gratis — calon pelatih" in text and "Dede Calon" in text and "Rp 0" in text


def test_officers_read_receipts_other_groups_and_members_do_not(
    client_for, manager_a, officer_users, manager_b, member_user_a, kpmi_a
):
    order = record_order(manager_a, training_service(kpmi_a), client=client_of(kpmi_a))
    assert client_for(officer_users).get(_url(order)).status_code == 200
    assert client_for(manager_b).get(_url(order)).status_code == 403
    assert client_for(member_user_a).get(_url(order)).status_code == 403


def test_a_missing_or_foreign_order_is_not_found(client_for, manager_a, kpmi_a, kpmi_b):
    keeper_b = factories.make_keeper(kpmi_b, username="pengelola_b")
    order_b = record_order(keeper_b, training_service(kpmi_b), client=client_of(kpmi_b))
    client = client_for(manager_a)
    assert client.get(reverse("entrepreneurship:order_receipt", args=[kpmi_a.pk, order_b.pk])).status_code == 404
    assert client.get(reverse("entrepreneurship:order_receipt", args=[kpmi_a.pk, 987654])).status_code == 404
    assert client.get(reverse("entrepreneurship:order_receipt", args=[987654, order_b.pk])).status_code == 404
