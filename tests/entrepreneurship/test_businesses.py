"""Pioneers' businesses: who registers one, what it records, closing, and settling a month into the
KPMI ledger (one settlement, one posting, rounded half up to the sen)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from entrepreneurship.models import Business, BusinessEntry, BusinessSettlement, Category, Posting
from entrepreneurship.services import businesses as services
from kpmi_si.audit.models import AuditEntry
from members.models import Level
from tests import factories

from .ledger_world import TODAY, business, months_ago, pioneer

pytestmark = pytest.mark.django_db


@pytest.fixture
def asep(kpmi_a):
    return pioneer(kpmi_a)


@pytest.fixture
def shop(kpmi_a, asep):
    return business(kpmi_a, asep, share="12.5")


def _entry(actor, biz, kind, amount, day):
    return services.business_entry_record(
        actor=actor, business=biz, date=day, kind=kind, amount=Decimal(amount), description="Catatan"
    )


# --- registering ------------------------------------------------------------------------------------


def _register_url(kpmi):
    return reverse("entrepreneurship:business_create", args=[kpmi.pk])


def _business_data(owner=None, **changes):
    data = {"name": "Warnet Asep", "kind": "internet", "started_on": months_ago(2).isoformat(), "pledged_share": "25"}
    if owner is not None:
        data["owner"] = owner.pk
    return {**data, **changes}


def test_a_keeper_registers_a_business_for_a_pioneer_of_the_group(client_for, manager_a, kpmi_a, asep):
    response = client_for(manager_a).post(_register_url(kpmi_a), _business_data(asep))
    biz = Business.objects.get()
    assert response.status_code == 302 and response["Location"] == biz.get_absolute_url()
    assert (biz.owner, biz.pledged_share, biz.created_by) == (asep, Decimal("25"), manager_a)
    assert AuditEntry.objects.filter(action="business_register", target_id=str(biz.pk)).exists()


def test_a_pioneer_registers_their_own_business(client_for, kpmi_a):
    user = factories.UserFactory(username="asep")
    me = pioneer(kpmi_a, user=user)
    client = client_for(user)
    page = client.get(_register_url(kpmi_a))
    assert page.status_code == 200 and "owner" not in page.context["form"].fields
    assert client.post(_register_url(kpmi_a), _business_data()).status_code == 302
    assert Business.objects.get().owner == me


def test_a_plain_member_or_another_groups_pioneer_cannot_register(client_for, member_user_a, kpmi_a, kpmi_b):
    other = factories.UserFactory(username="perintis_b")
    pioneer(kpmi_b, user=other)
    assert client_for(member_user_a).get(_register_url(kpmi_a)).status_code == 403
    assert client_for(other).post(_register_url(kpmi_a), _business_data()).status_code == 403
    assert not Business.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pledged_share", "0", "lebih dari 0"),
        ("pledged_share", "150", "lebih dari 0"),
        ("pledged_share", "-5", "lebih dari 0"),
        ("pledged_share", "12.345", ""),
        ("pledged_share", "dua puluh", ""),
        ("started_on", (TODAY.replace(year=TODAY.year + 1)).isoformat(), "masa depan"),
        ("name", "   ", ""),
    ],
)
def test_bad_business_input_is_a_field_message(client_for, manager_a, kpmi_a, asep, field, value, message):
    response = client_for(manager_a).post(_register_url(kpmi_a), _business_data(asep, **{field: value}))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert errors and message in errors
    assert not Business.objects.exists()


def test_a_non_pioneer_owner_is_refused_on_the_field(client_for, manager_a, kpmi_a, kpmi_b):
    trainer = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
    response = client_for(manager_a).post(_register_url(kpmi_a), _business_data(trainer))
    assert "perintis" in " ".join(response.context["form"].errors["owner"])
    # Another group's pioneer is not among the group's members at all.
    response = client_for(manager_a).post(_register_url(kpmi_a), _business_data(pioneer(kpmi_b, name="Lain")))
    assert response.context["form"].errors["owner"]
    with pytest.raises(ValidationError):
        services.business_register(
            actor=manager_a,
            kpmi=kpmi_a,
            owner=trainer,
            name="X",
            kind="repair",
            started_on=TODAY,
            pledged_share=Decimal("10"),
        )
    assert not Business.objects.exists()


# --- income and costs -------------------------------------------------------------------------------


def test_entries_are_refused_outside_the_business_life_and_in_a_settled_month(manager_a, shop):
    with pytest.raises(ValidationError, match="belum mulai"):
        _entry(manager_a, shop, "income", "1000", shop.started_on - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="masa depan"):
        _entry(manager_a, shop, "income", "1000", TODAY.replace(year=TODAY.year + 1))
    with pytest.raises(ValidationError):
        _entry(manager_a, shop, "income", "0", TODAY)
    services.business_settle_month(actor=manager_a, business=shop, month=months_ago(2))
    with pytest.raises(ValidationError, match="sudah disetel|sudah ditutup|sudah"):
        _entry(manager_a, shop, "income", "1000", months_ago(2, 15))
    services.business_close(actor=manager_a, business=shop, closed_on=months_ago(1, 5))
    with pytest.raises(ValidationError, match="ditutup"):
        _entry(manager_a, shop, "income", "1000", months_ago(1, 20))
    assert not BusinessEntry.objects.exists()


@pytest.mark.parametrize("amount", ["-5000", "abc", "1,234", "12.345,678", "999999999999999", "0"])
def test_bad_amounts_on_the_entry_form_save_nothing(client_for, manager_a, kpmi_a, shop, amount):
    url = reverse("entrepreneurship:business_entry_create", args=[kpmi_a.pk, shop.pk])
    data = {"kind": "income", "date": TODAY.isoformat(), "amount": amount, "description": "Servis laptop"}
    response = client_for(manager_a).post(url, data)
    # ("1,234" is one Rupiah and 23.4 sen: more than two decimals.)
    assert response.status_code == 200 and response.context["form"].errors["amount"]
    assert not BusinessEntry.objects.exists()


def test_the_owner_records_an_entry_from_the_page(client_for, kpmi_a):
    user = factories.UserFactory(username="asep")
    biz = business(kpmi_a, pioneer(kpmi_a, user=user))
    url = reverse("entrepreneurship:business_entry_create", args=[kpmi_a.pk, biz.pk])
    data = {"kind": "income", "date": TODAY.isoformat(), "amount": "150.000", "description": "Servis laptop"}
    assert client_for(user).post(url, data).status_code == 302
    assert BusinessEntry.objects.get().amount == Decimal("150000")


def test_another_groups_keeper_cannot_touch_a_business(client_for, manager_b, kpmi_a, kpmi_b, shop):
    client = client_for(manager_b)
    for name in ("business_detail", "business_entry_create", "business_close", "business_settle"):
        assert client.get(reverse(f"entrepreneurship:{name}", args=[kpmi_a.pk, shop.pk])).status_code == 403
        # Under their own group's address, A's business does not exist.
        assert client.get(reverse(f"entrepreneurship:{name}", args=[kpmi_b.pk, shop.pk])).status_code == 404
    url = reverse("entrepreneurship:business_entry_create", args=[kpmi_b.pk, shop.pk])
    client.post(url, {"kind": "income", "date": TODAY.isoformat(), "amount": "1000", "description": "x"})
    assert not BusinessEntry.objects.exists()


# --- closing ----------------------------------------------------------------------------------------


def test_closing_is_refused_before_the_start_in_the_future_or_twice(manager_a, shop):
    with pytest.raises(ValidationError):
        services.business_close(actor=manager_a, business=shop, closed_on=months_ago(8))
    with pytest.raises(ValidationError):
        services.business_close(actor=manager_a, business=shop, closed_on=TODAY.replace(year=TODAY.year + 1))
    services.business_close(actor=manager_a, business=shop, closed_on=TODAY)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        services.business_close(actor=manager_a, business=shop, closed_on=TODAY)
    assert AuditEntry.objects.filter(action="business_close").count() == 1


# --- settling ---------------------------------------------------------------------------------------


def test_settling_posts_the_pledged_share_of_the_profit_rounded_half_up(manager_a, kpmi_a, shop):
    month = months_ago(2)
    _entry(manager_a, shop, "income", "100000.04", months_ago(2, 3))
    _entry(manager_a, shop, "income", "50000", months_ago(2, 20))
    _entry(manager_a, shop, "cost", "30000", months_ago(2, 21))
    _entry(manager_a, shop, "income", "999999", months_ago(3, 21))  # another month: not counted

    settlement = services.business_settle_month(actor=manager_a, business=shop, month=month)

    # profit 120000.04 × 12.5 % = 15000.005 → 15000.01 (half up)
    assert (settlement.income, settlement.costs, settlement.contribution) == (
        Decimal("150000.04"),
        Decimal("30000.00"),
        Decimal("15000.01"),
    )
    posting = Posting.objects.get()
    assert (posting.kpmi, posting.category, posting.amount, posting.settlement) == (
        kpmi_a,
        Category.BUSINESS_CONTRIBUTION,
        Decimal("15000.01"),
        settlement,
    )
    assert posting.date == services.month_end(month.replace(day=1))
    assert AuditEntry.objects.filter(action="business_settle_month").count() == 1


def test_a_month_without_profit_settles_with_nothing_posted(manager_a, shop):
    _entry(manager_a, shop, "income", "10000", months_ago(2))
    _entry(manager_a, shop, "cost", "25000", months_ago(2))
    settlement = services.business_settle_month(actor=manager_a, business=shop, month=months_ago(2))
    assert settlement.contribution == Decimal("0")
    assert not Posting.objects.exists()


def test_a_month_is_settled_once_and_never_before_it_ends(manager_a, shop):
    services.business_settle_month(actor=manager_a, business=shop, month=months_ago(1))
    with pytest.raises(ValidationError, match="sudah"):
        services.business_settle_month(actor=manager_a, business=shop, month=months_ago(1))
    for month in (TODAY, TODAY.replace(year=TODAY.year + 1)):
        with pytest.raises(ValidationError, match="berakhir"):
            services.business_settle_month(actor=manager_a, business=shop, month=month)
    assert BusinessSettlement.objects.count() == 1


def test_settling_from_the_page(client_for, manager_a, kpmi_a, shop):
    _entry(manager_a, shop, "income", "80000", months_ago(1))
    url = reverse("entrepreneurship:business_settle", args=[kpmi_a.pk, shop.pk])
    client = client_for(manager_a)
    month = months_ago(1).strftime("%Y-%m")
    assert client.post(url, {"month": month}).status_code == 302
    assert Posting.objects.get().amount == Decimal("10000.00")
    again = client.post(url, {"month": month})
    assert again.status_code == 200 and again.context["form"].errors["month"]
    this_month = client.post(url, {"month": TODAY.strftime("%Y-%m")})
    assert this_month.status_code == 200 and this_month.context["form"].errors["month"]
    assert client.post(url, {"month": "bulan-lalu"}).context["form"].errors["month"]
    assert Posting.objects.count() == 1


def test_a_viewer_cannot_settle(officer_entrepreneurs, shop):
    with pytest.raises(PermissionDenied):
        services.business_settle_month(actor=officer_entrepreneurs, business=shop, month=months_ago(1))


def test_business_list_and_detail_per_role(client_for, manager_a, officer_users, member_user_a, kpmi_a, shop):
    for user in (manager_a, officer_users):
        page = client_for(user).get(reverse("entrepreneurship:business_list", args=[kpmi_a.pk]))
        assert page.status_code == 200 and shop.name in page.content.decode()
        assert client_for(user).get(shop.get_absolute_url()).status_code == 200
    assert client_for(member_user_a).get(shop.get_absolute_url()).status_code == 403
    assert client_for(None).get(shop.get_absolute_url()).status_code == 302
