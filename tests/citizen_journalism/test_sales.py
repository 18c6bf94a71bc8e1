"""The content market: buyers, sales and their split, the KPMI's ledger, cancellations, statements
and payouts — through the services and from the URL."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from citizen_journalism import services
from citizen_journalism.models import (
    AuthorBalance,
    Buyer,
    Earning,
    Payout,
    RevenueShare,
    Sale,
    split_amount,
)
from entrepreneurship.metrics import money_per_kpmi
from entrepreneurship.models import Category, Posting
from kpmi_si.audit.models import AuditEntry
from tests import factories

from .conftest import article_data, today


@pytest.fixture
def buyer(officer_entrepreneurs):
    return services.buyer_create(
        actor=officer_entrepreneurs, data={"name": "Garut Pos", "kind": "media", "contact": "redaksi@garutpos.example"}
    )


def sell(actor, article, buyer, amount="100000", kind="licence", date=None):
    return services.sale_record(
        actor=actor, article=article, buyer=buyer, kind=kind, amount=Decimal(amount), date=date or today()
    )


def sale_form(article, buyer, amount: str = "1000", kind: str = "licence", **extra) -> dict:
    """What the officer's sale page posts, dated today."""
    return {
        "article": article.pk,
        "buyer": buyer.pk,
        "kind": kind,
        "amount": amount,
        "date": today().isoformat(),
        **extra,
    }


# --- the split ---------------------------------------------------------------------------------------------


@given(
    fee=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000000"), places=2),
    percent=st.decimals(min_value=0, max_value=100, places=2),
)
def test_the_split_adds_up_to_the_fee_and_each_share_is_within_a_cent(fee, percent):
    author, kpmi = split_amount(fee, percent)
    assert author + kpmi == fee
    exact_author = fee * percent / 100
    assert abs(author - exact_author) <= Decimal("0.005")
    assert abs(kpmi - (fee - exact_author)) <= Decimal("0.005")
    assert author >= 0 and kpmi >= 0
    assert author == author.quantize(Decimal("0.01")) and kpmi == kpmi.quantize(Decimal("0.01"))


def test_the_split_rounds_half_up_to_the_author():
    # 33,33 % of Rp 0,15 is 0,049995 → 0,05 to the author, 0,10 to the group.
    assert split_amount(Decimal("0.15"), Decimal("33.33")) == (Decimal("0.05"), Decimal("0.10"))
    assert split_amount(Decimal("0.01"), Decimal("50")) == (Decimal("0.01"), Decimal("0.00"))
    assert Decimal("0.005").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal("0.01")


def test_per_author_share_wins_over_per_kpmi_over_the_default(officer_entrepreneurs, published, pioneer, kpmi_a):
    author = pioneer.member
    assert services.share_for(author) == (Decimal("50.00"), "default")
    services.revenue_share_set(actor=officer_entrepreneurs, percent=Decimal("60"))
    assert services.share_for(author) == (Decimal("60"), "default")
    services.revenue_share_set(actor=officer_entrepreneurs, percent=Decimal("70"), kpmi=kpmi_a)
    assert services.share_for(author) == (Decimal("70"), "kpmi")
    services.revenue_share_set(actor=officer_entrepreneurs, percent=Decimal("80"), author=author)
    assert services.share_for(author) == (Decimal("80"), "author")
    assert AuditEntry.objects.filter(action="revenue_share.set").count() == 3


def test_a_share_above_100_percent_is_refused(officer_entrepreneurs):
    with pytest.raises(ValidationError):
        services.revenue_share_set(actor=officer_entrepreneurs, percent=Decimal("120"))
    assert not RevenueShare.objects.exists()


# --- sales ---------------------------------------------------------------------------------------------------


def test_a_sale_splits_the_fee_posts_the_kpmi_share_and_credits_the_author(
    officer_entrepreneurs, published, buyer, pioneer, kpmi_a
):
    services.revenue_share_set(actor=officer_entrepreneurs, percent=Decimal("62.5"))
    sale = sell(officer_entrepreneurs, published, buyer, amount="150000.01")
    assert (sale.author_amount, sale.kpmi_amount) == (Decimal("93750.01"), Decimal("56250.00"))
    posting = Posting.objects.get(sale=sale)
    assert (posting.kpmi, posting.category, posting.amount) == (kpmi_a, Category.CONTENT_SALES, Decimal("56250.00"))
    assert AuthorBalance.objects.get(author=pioneer.member).balance == Decimal("93750.01")
    assert AuditEntry.objects.filter(action="sale.record").exists()
    # Content sales are earned income of the group (the coverage counts them).
    row = money_per_kpmi(today().replace(day=1), today()).get(kpmi_id=kpmi_a.pk)
    assert row["earned"] == Decimal("56250.00")

    # A later change of the share leaves the recorded split alone.
    services.revenue_share_set(actor=officer_entrepreneurs, percent=Decimal("10"))
    sale.refresh_from_db()
    assert sale.author_percent == Decimal("62.50") and sale.author_amount == Decimal("93750.01")


def test_an_exclusive_sale_after_a_licence_is_allowed_but_nothing_after_it(
    officer_entrepreneurs, published, buyer, client
):
    other = services.buyer_create(actor=officer_entrepreneurs, data={"name": "Yayasan Desa", "kind": "organisation"})
    sell(officer_entrepreneurs, published, buyer)
    sell(officer_entrepreneurs, published, other, kind="exclusive")
    with pytest.raises(ValidationError) as refused:
        sell(officer_entrepreneurs, published, buyer)
    assert "dibeli" in " ".join(refused.value.messages).lower()
    with pytest.raises(ValidationError):
        sell(officer_entrepreneurs, published, buyer, kind="exclusive")
    assert Sale.objects.filter(article=published).count() == 2
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Dibeli oleh Yayasan Desa" in page


def test_an_unpublished_article_is_not_sold(officer_entrepreneurs, submitted, buyer):
    with pytest.raises(ValidationError) as refused:
        sell(officer_entrepreneurs, submitted, buyer)
    assert "article" in refused.value.error_dict
    assert not Sale.objects.exists() and not Posting.objects.exists()


def test_only_the_market_officers_and_the_admin_sell(officer_users, manager_a, published, buyer):
    for actor in (officer_users, manager_a):
        with pytest.raises(PermissionDenied):
            sell(actor, published, buyer)


def test_a_cancelled_sale_is_reversed_in_the_ledger_and_in_the_earnings(
    officer_entrepreneurs, published, buyer, pioneer, kpmi_a
):
    sale = sell(officer_entrepreneurs, published, buyer, kind="exclusive")
    services.sale_cancel(actor=officer_entrepreneurs, sale=sale, reason="Salah catat")
    assert Posting.objects.filter(sale=sale).aggregate(s=Sum("amount"))["s"] == Decimal("0.00")
    assert Posting.objects.filter(sale=sale, reverses__isnull=False).count() == 1
    assert list(Earning.objects.filter(sale=sale).values_list("amount", flat=True).order_by("pk")) == [
        Decimal("50000.00"),
        Decimal("-50000.00"),
    ]
    assert AuthorBalance.objects.get(author=pioneer.member).balance == Decimal("0.00")
    with pytest.raises(ValidationError):
        services.sale_cancel(actor=officer_entrepreneurs, sale=sale, reason="Lagi")
    # The exclusive purchase is gone: the article may be sold again.
    sell(officer_entrepreneurs, published, buyer, kind="exclusive")


# --- payouts and the statement ------------------------------------------------------------------------------------


def test_a_payout_above_the_balance_is_refused(officer_entrepreneurs, published, buyer, pioneer):
    sell(officer_entrepreneurs, published, buyer)  # Rp 50.000 to the author
    author = pioneer.member
    with pytest.raises(ValidationError) as refused:
        services.payout_record(
            actor=officer_entrepreneurs, author=author, amount=Decimal("50000.01"), date=today(), method="cash"
        )
    assert "amount" in refused.value.error_dict
    services.payout_record(
        actor=officer_entrepreneurs, author=author, amount=Decimal("30000"), date=today(), method="cash"
    )
    assert AuthorBalance.objects.get(author=author).balance == Decimal("20000.00")
    assert Payout.objects.count() == 1 and AuditEntry.objects.filter(action="payout.record").exists()


def test_the_statement_carries_the_balance_month_by_month(officer_entrepreneurs, published, buyer, pioneer):
    from citizen_journalism.selectors import earnings_statement

    year = today().year
    sell(officer_entrepreneurs, published, buyer, amount="100000", date=dt.date(year - 1, 12, 31))
    sell(officer_entrepreneurs, published, buyer, amount="40000", date=dt.date(year, 1, 1))
    author = pioneer.member
    services.payout_record(
        actor=officer_entrepreneurs, author=author, amount=Decimal("60000"), date=dt.date(year, 1, 2), method="transfer"
    )
    found = earnings_statement(author=author, year=year, today=today())
    assert found.opening == Decimal("50000.00")
    january = found.months[0]
    assert (january.sale_count, january.earned, january.paid, january.closing) == (
        1,
        Decimal("20000.00"),
        Decimal("60000.00"),
        Decimal("10000.00"),
    )
    assert found.closing == AuthorBalance.objects.get(author=author).balance == Decimal("10000.00")


# --- from the URL ------------------------------------------------------------------------------------------------


def test_the_officer_records_a_sale_from_the_page_once(client, officer_entrepreneurs, published, buyer):
    client.force_login(officer_entrepreneurs)
    url = reverse("citizen_journalism:sale_create")
    form = client.get(url, {"artikel": published.pk}).context["form"]
    data = sale_form(published, buyer, amount="Rp 250.000", idempotency_key=form["idempotency_key"].value())
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same page sent twice
    assert Sale.objects.get().amount == Decimal("250000.00")


@pytest.mark.parametrize(
    ("amount", "kind", "message"),
    [
        ("-5000", "licence", "Rupiah"),
        ("5000000000", "licence", "terlalu besar"),
        ("lima ribu", "licence", "Rupiah"),
        ("0", "licence", "paling sedikit"),
    ],
)
def test_a_bad_fee_gets_a_field_message_and_saves_nothing(
    client, officer_entrepreneurs, published, buyer, amount, kind, message
):
    client.force_login(officer_entrepreneurs)
    data = sale_form(published, buyer, amount=amount, kind=kind)
    response = client.post(reverse("citizen_journalism:sale_create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["amount"])
    assert not Sale.objects.exists()


def test_an_unpublished_article_gets_a_field_message(client, officer_entrepreneurs, submitted, buyer):
    client.force_login(officer_entrepreneurs)
    data = sale_form(submitted, buyer)
    response = client.post(reverse("citizen_journalism:sale_create"), data)
    assert "diterbitkan" in " ".join(response.context["form"].errors["article"])
    assert not Sale.objects.exists()


def test_a_120_percent_share_gets_a_field_message(client, officer_entrepreneurs):
    client.force_login(officer_entrepreneurs)
    response = client.post(reverse("citizen_journalism:shares"), {"scope": "default", "author_percent": "120"})
    assert response.status_code == 200
    assert "0 dan 100" in " ".join(response.context["form"].errors["author_percent"])
    assert not RevenueShare.objects.exists()


def test_a_payout_above_the_balance_gets_a_field_message(client, officer_entrepreneurs, pioneer):
    client.force_login(officer_entrepreneurs)
    url = reverse("citizen_journalism:payout_create", args=[pioneer.member.pk])
    response = client.post(url, {"amount": "1000", "date": today().isoformat(), "method": "cash", "reference": ""})
    assert response.status_code == 200
    assert "saldo" in " ".join(response.context["form"].errors["amount"])
    assert not Payout.objects.exists()


def test_the_statement_is_the_authors_and_the_officers_only(
    client, officer_entrepreneurs, published, buyer, pioneer, member_user_a, manager_b, admin_user
):
    sell(officer_entrepreneurs, published, buyer)
    url = reverse("citizen_journalism:statement", args=[pioneer.member.pk])
    assert client.get(url).status_code == 302  # to the login page
    for user, status in (
        (pioneer, 200),
        (officer_entrepreneurs, 200),
        (admin_user, 200),
        (member_user_a, 404),
        (manager_b, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(pioneer)
    page = client.get(url).content.decode()
    assert "Internet masuk ke saung tani" in page and "Rp 50.000" in page
    pdf = client.get(reverse("citizen_journalism:statement_pdf", args=[pioneer.member.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("citizen_journalism:statement_xlsx", args=[pioneer.member.pk]))
    assert xlsx.status_code == 200
    import io

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert 50000 in values


def test_sales_pages_are_refused_to_others(client, manager_a, officer_users):
    for user in (manager_a, officer_users):
        client.force_login(user)
        for name in ("sale_list", "sale_create", "buyer_list", "buyer_create", "shares"):
            assert client.get(reverse(f"citizen_journalism:{name}")).status_code == 403


def test_buyer_edit_is_audited(client, officer_entrepreneurs, buyer):
    client.force_login(officer_entrepreneurs)
    url = reverse("citizen_journalism:buyer_edit", args=[buyer.pk])
    form = client.get(url).context["form"]
    data = {
        "name": "Garut Pos Daring",
        "kind": "media",
        "contact": "",
        "active": "",
        "version": form["version"].value(),
    }
    assert client.post(url, data).status_code == 302
    buyer.refresh_from_db()
    assert buyer.name == "Garut Pos Daring" and not buyer.active
    entry = AuditEntry.objects.get(action="buyer.update")
    assert entry.changes["name"] == ["Garut Pos", "Garut Pos Daring"]


def test_another_kpmis_article_posts_to_its_authors_kpmi(officer_entrepreneurs, buyer, kpmi_b, category):
    user = factories.UserFactory(username="penulis_b")
    factories.MemberFactory(kpmi=kpmi_b, user=user, full_name="Ujang Beta")
    article = services.article_write(actor=user, data=article_data(kpmi_b, category), submit=True, photos=[])
    editor = factories.UserFactory(username="redaksi_b", is_superuser=True)
    article = services.article_approve(actor=editor, article=article)
    sale = sell(officer_entrepreneurs, article, buyer)
    assert Posting.objects.get(sale=sale).kpmi == kpmi_b
    assert not Buyer.objects.filter(active=False).exists()


def test_the_officer_cancels_a_sale_from_the_page(client, officer_entrepreneurs, published, buyer, kpmi_a):
    sale = sell(officer_entrepreneurs, published, buyer, kind="exclusive")
    client.force_login(officer_entrepreneurs)
    url = reverse("citizen_journalism:sale_cancel", args=[sale.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert client.post(url, {"reason": "Pembeli membatalkan."}).status_code == 302
    sale.refresh_from_db()
    assert sale.is_cancelled and sale.cancel_reason == "Pembeli membatalkan."
    assert Posting.objects.filter(sale=sale).aggregate(s=Sum("amount"))["s"] == Decimal("0.00")
    assert "Dibeli oleh" not in client.get(published.get_absolute_url()).content.decode()


def test_an_override_is_removed_and_the_next_level_applies(client, officer_entrepreneurs, pioneer, kpmi_a):
    services.revenue_share_set(actor=officer_entrepreneurs, percent=Decimal("40"))
    client.force_login(officer_entrepreneurs)
    url = reverse("citizen_journalism:shares")
    data = {"scope": "author", "author": "", "kpmi": "", "author_percent": "90"}
    response = client.post(url, data)
    assert "penulis" in " ".join(response.context["form"].errors["author"]).lower()
    assert client.post(url, {**data, "scope": "kpmi", "kpmi": kpmi_a.pk}).status_code == 302
    override = RevenueShare.objects.get(kpmi=kpmi_a)
    assert services.share_for(pioneer.member) == (Decimal("90.00"), "kpmi")
    assert client.post(reverse("citizen_journalism:share_remove", args=[override.pk])).status_code == 302
    assert services.share_for(pioneer.member) == (Decimal("40.00"), "default")
    assert AuditEntry.objects.filter(action="revenue_share.remove").exists()
