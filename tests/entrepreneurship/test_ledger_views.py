"""The KPMI ledger and money pages from the URL, per role: who sees them, who records and reverses,
what bad input gets, and how many queries a page costs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from entrepreneurship.models import Category, Posting
from kpmi_si.audit.models import AuditEntry

from .ledger_world import TODAY, months_ago, paid_order_posting, post

pytestmark = pytest.mark.django_db


def _ledger(kpmi):
    return reverse("entrepreneurship:ledger", args=[kpmi.pk])


def _money(kpmi):
    return reverse("entrepreneurship:money", args=[kpmi.pk])


def _create(kpmi):
    return reverse("entrepreneurship:posting_create", args=[kpmi.pk])


def _reverse(kpmi, posting):
    return reverse("entrepreneurship:posting_reverse", args=[kpmi.pk, posting.pk])


def _cost(**changes):
    return {"date": TODAY.isoformat(), "category": "rent", "amount": "250.000", "description": "Sewa", **changes}


@pytest.fixture
def rent(kpmi_a, manager_a):
    return post(kpmi_a, manager_a, Category.RENT, "250000", TODAY, "Sewa sekretariat")


def test_viewers_see_the_ledger_and_money_pages(
    client_for, kpmi_a, rent, manager_a, supervisor_a, admin_user, officer_users, officer_entrepreneurs
):
    for user in (manager_a, supervisor_a, admin_user, officer_users, officer_entrepreneurs):
        client = client_for(user)
        page = client.get(_ledger(kpmi_a))
        assert page.status_code == 200 and "Sewa sekretariat" in page.content.decode()
        assert client.get(_money(kpmi_a)).status_code == 200


def test_others_are_refused_and_anonymous_is_sent_to_login(client_for, kpmi_a, rent, manager_b, member_user_a):
    for url in (_ledger(kpmi_a), _money(kpmi_a), _create(kpmi_a), _reverse(kpmi_a, rent)):
        assert client_for(manager_b).get(url).status_code == 403
        assert client_for(member_user_a).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302
    assert client_for(manager_b).post(_create(kpmi_a), _cost()).status_code == 403
    assert client_for(manager_b).post(_reverse(kpmi_a, rent), {"reason": "Salah"}).status_code == 403
    assert Posting.objects.count() == 1


def test_an_officer_sees_but_does_not_record(client_for, kpmi_a, rent, officer_entrepreneurs):
    client = client_for(officer_entrepreneurs)
    assert client.post(_create(kpmi_a), _cost()).status_code == 403
    assert client.post(_reverse(kpmi_a, rent), {"reason": "Salah"}).status_code == 403
    assert "Catat biaya atau donasi" not in client.get(_ledger(kpmi_a)).content.decode()


def test_a_keeper_records_an_operating_cost_and_a_donation(client_for, kpmi_a, supervisor_a):
    client = client_for(supervisor_a)
    assert client.post(_create(kpmi_a), _cost()).status_code == 302
    assert client.post(_create(kpmi_a), _cost(category="donation", amount="1.000.000")).status_code == 302
    assert sorted(Posting.objects.values_list("category", "amount")) == [
        ("donation", Decimal("1000000.00")),
        ("rent", Decimal("-250000.00")),
    ]
    assert AuditEntry.objects.filter(action="posting_record").count() == 2


# Worked out when the test runs, not when it is collected: a run that crosses midnight in Jakarta would
# otherwise post today's date as tomorrow's.
TOMORROW = "besok"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "-5000"),
        ("amount", "0"),
        ("amount", "lima ribu"),
        ("amount", "150.000,555"),
        ("amount", "1000000000000000"),
        ("date", TOMORROW),
        ("date", "kemarin"),
        ("category", "service_income"),
        ("category", "business_contribution"),
        ("category", "hadiah"),
        ("description", "   "),
    ],
)
def test_bad_postings_are_field_messages_and_save_nothing(client_for, kpmi_a, manager_a, field, value):
    if value is TOMORROW:
        value = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for(manager_a).post(_create(kpmi_a), _cost(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Posting.objects.exists()


def test_reversing_needs_a_reason_and_happens_once(client_for, kpmi_a, manager_a, rent):
    client = client_for(manager_a)
    no_reason = client.post(_reverse(kpmi_a, rent), {"reason": "  "})
    assert no_reason.status_code == 200 and no_reason.context["form"].errors["reason"]
    assert client.post(_reverse(kpmi_a, rent), {"reason": "Salah ketik"}).status_code == 302
    reversal = Posting.objects.get(reverses=rent)
    assert reversal.amount == Decimal("250000.00") and reversal.category == Category.RENT

    again = client.post(_reverse(kpmi_a, rent), {"reason": "Lagi"})
    assert again.status_code == 200 and "sudah dibalik" in again.content.decode()
    of_reversal = client.post(_reverse(kpmi_a, reversal), {"reason": "Balik lagi"})
    assert of_reversal.status_code == 200 and "tidak dapat dibalik" in of_reversal.content.decode()
    assert Posting.objects.count() == 2


def test_another_groups_posting_is_not_found_under_this_groups_address(client_for, kpmi_a, kpmi_b, manager_b, rent):
    response = client_for(manager_b).post(_reverse(kpmi_b, rent), {"reason": "Bukan punya kami"})
    assert response.status_code == 404
    assert Posting.objects.count() == 1


def test_there_is_no_url_to_edit_or_delete_a_posting(client_for, kpmi_a, manager_a, rent):
    client = client_for(manager_a)
    for suffix in ("ubah/", "hapus/", "edit/", "delete/"):
        url = f"/usaha/kpmi/{kpmi_a.pk}/buku-kas/{rent.pk}/{suffix}"
        assert client.post(url, {"amount": "1"}).status_code == 404
    assert Posting.objects.get().amount == Decimal("-250000.00")


@pytest.mark.parametrize("query", ["tahun=abc", "tahun=99999999999999999999", "tahun=1800", "dari=kemarin", "tahun="])
def test_junk_in_the_period_shows_this_year_not_an_error(client_for, kpmi_a, manager_a, rent, query):
    client = client_for(manager_a)
    for url in (_ledger(kpmi_a), _money(kpmi_a)):
        response = client.get(f"{url}?{query}&kategori=bukan&page=xyz")
        assert response.status_code == 200
    assert response.context["money"].year == TODAY.year


def test_the_ledger_filters_by_period_and_category(client_for, kpmi_a, manager_a):
    last_year = dt.date(TODAY.year - 1, 6, 1)
    post(kpmi_a, manager_a, Category.RENT, "100000", last_year)
    post(kpmi_a, manager_a, Category.DONATION, "500000", last_year)
    post(kpmi_a, manager_a, Category.INTERNET, "30000", TODAY)
    client = client_for(manager_a)

    this_year = client.get(_ledger(kpmi_a)).context
    assert [p.category for p in this_year["page"]] == ["internet"]
    assert this_year["totals"].opening == Decimal("400000.00")
    assert this_year["totals"].closing == Decimal("370000.00")
    assert this_year["page"][0].balance == Decimal("370000.00")

    rent_only = client.get(_ledger(kpmi_a), {"tahun": TODAY.year - 1, "kategori": "rent"}).context
    assert [p.amount for p in rent_only["page"]] == [Decimal("-100000.00")]
    assert rent_only["totals"].net == Decimal("-100000.00")

    ranged = client.get(_ledger(kpmi_a), {"dari": last_year.isoformat(), "sampai": TODAY.isoformat()}).context
    assert ranged["totals"].closing == Decimal("370000.00") and len(ranged["page"]) == 3


def test_the_money_page_shows_coverage_or_says_there_are_no_costs(client_for, kpmi_a, manager_a):
    client = client_for(manager_a)
    post(kpmi_a, manager_a, Category.DONATION, "500000", TODAY)
    empty = client.get(_money(kpmi_a))
    assert empty.context["money"].coverage is None
    assert "Belum ada biaya operasional yang tercatat." in empty.content.decode()

    paid_order_posting(kpmi_a, manager_a, total="150000")
    post(kpmi_a, manager_a, Category.ELECTRICITY, "200000", TODAY)
    page = client.get(_money(kpmi_a))
    assert page.context["money"].coverage == Decimal("75.0")
    html = page.content.decode()
    assert 'id="money-data"' in html and "<script>" not in html and "style=" not in html


def test_the_ledger_page_costs_the_same_queries_with_many_postings(
    client_for, kpmi_a, manager_a, django_assert_max_num_queries
):
    for _i in range(3):
        paid_order_posting(kpmi_a, manager_a, total="10000", day=months_ago(0, 1))
    client = client_for(manager_a)
    with django_assert_max_num_queries(11):
        client.get(_ledger(kpmi_a))
    for _i in range(30):
        paid_order_posting(kpmi_a, manager_a, total="10000", day=months_ago(0, 1))
        post(kpmi_a, manager_a, Category.RENT, "1000", months_ago(0, 1))
    with django_assert_max_num_queries(11):
        response = client.get(_ledger(kpmi_a))
    assert len(response.context["page"]) > 20
    with django_assert_max_num_queries(9):
        client.get(_money(kpmi_a))


def test_the_kpmi_page_links_its_viewers_to_the_money_and_businesses(
    client_for, kpmi_a, manager_a, officer_users, manager_b
):
    money, businesses = _money(kpmi_a), reverse("entrepreneurship:business_list", args=[kpmi_a.pk])
    for user in (manager_a, officer_users):
        html = client_for(user).get(kpmi_a.get_absolute_url()).content.decode()
        assert money in html and businesses in html
    for user in (manager_b, None):
        html = client_for(user).get(kpmi_a.get_absolute_url()).content.decode()
        assert money not in html and businesses not in html


def test_the_category_filter_names_the_category(client_for, kpmi_a, manager_a, rent):
    response = client_for(manager_a).get(_ledger(kpmi_a), {"kategori": "rent"})
    assert "Kategori: Sewa" in response.content.decode()
