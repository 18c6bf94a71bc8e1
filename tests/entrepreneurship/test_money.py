from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from kpmi_si.money import RupiahFormField, format_rupiah, parse_rupiah, to_rupiah


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1250000"), "Rp 1.250.000"),
        (Decimal("12500.5"), "Rp 12.500,50"),
        (Decimal("0"), "Rp 0"),
        (Decimal("-5000"), "-Rp 5.000"),
        (999, "Rp 999"),
    ],
)
def test_amounts_are_shown_the_indonesian_way(value, shown):
    assert format_rupiah(value) == shown
    assert Template("{% load money %}{{ v|rupiah }}").render(Context({"v": value})) == shown


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("150000", Decimal("150000.00")),
        ("150.000", Decimal("150000.00")),
        ("Rp 150.000", Decimal("150000.00")),
        ("rp150.000,50", Decimal("150000.50")),
        ("1.250.000", Decimal("1250000.00")),
        ("150000.5", Decimal("150000.50")),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, amount):
    assert RupiahFormField().clean(typed) == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("seratus", "Masukkan jumlah dalam Rupiah"),
        ("12.5.0", "Masukkan jumlah dalam Rupiah"),
        ("150000,505", "paling banyak dua angka desimal"),
        ("-5000", "Masukkan jumlah dalam Rupiah"),
        ("999999999999999", "terlalu besar"),
        ("NaN", "Masukkan jumlah dalam Rupiah"),
    ],
)
def test_bad_amounts_get_a_message_in_indonesian(typed, message, settings):
    from django.utils import translation

    with translation.override("id"):
        with pytest.raises(forms.ValidationError) as caught:
            RupiahFormField().clean(typed)
        # Read while Indonesian is active: the messages are lazy, and a test that ran before may have
        # left another language active in this thread (a request with the language switched to English).
        assert message in " ".join(caught.value.messages)


def test_floats_are_refused_for_money():
    with pytest.raises(TypeError):
        to_rupiah(0.1)


@given(st.decimals(min_value=0, max_value=Decimal("99999999999.99"), places=2))
def test_what_is_shown_reads_back_as_the_same_amount(amount):
    assert parse_rupiah(format_rupiah(amount)) == amount


@pytest.mark.django_db
def test_a_sum_of_amounts_in_the_database_is_exact_to_the_cent(kpmi_a, admin_user):
    """SQLite (`make run`) adds decimals as floats: 0.01 + 2.00 - 2.00 read 0.00999999999999979."""
    from django.db.models import Q

    from entrepreneurship.models import Category, Posting
    from kpmi_si.money import rupiah_sum

    from .ledger_world import post

    for category, amount in ((Category.DONATION, "0.01"), (Category.DONATION, "2.00"), (Category.RENT, "2.00")):
        post(kpmi_a, admin_user, category, amount)  # rent is a cost: posted as -2.00
    sums = Posting.objects.filter(kpmi=kpmi_a).aggregate(
        total=rupiah_sum("amount"),
        costs=rupiah_sum("amount", filter=Q(amount__lt=0)),
        none=rupiah_sum("amount", filter=Q(pk=None)),
    )
    assert sums == {"total": Decimal("0.01"), "costs": Decimal("-2.00"), "none": Decimal("0.00")}
    assert str(sums["total"]) == "0.01"
