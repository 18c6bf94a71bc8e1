"""The sum of the postings equals every total shown: the ledger page's totals, the money page's
monthly series and coverage, the XLSX's closing balance and category totals, on random postings and
reversals across months and categories (hypothesis)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from entrepreneurship import metrics
from entrepreneurship.models import EARNED_CATEGORIES, OPERATING_CATEGORIES, Category, Posting
from entrepreneurship.services.ledger import posting_reverse
from kpmi_si.money import format_rupiah

from .ledger_world import TODAY, paid_order_posting, post

pytestmark = pytest.mark.django_db

YEAR = TODAY.year - 1
HAND = [Category.DONATION, Category.RENT, Category.INTERNET, Category.ELECTRICITY, Category.EQUIPMENT,
        Category.TRANSPORT, Category.OTHER_COST]  # fmt: skip

posting_st = st.tuples(
    st.sampled_from(["order", "contribution", *HAND]),
    st.dates(min_value=dt.date(YEAR - 1, 11, 1), max_value=dt.date(YEAR + 1, 1, 31)).filter(lambda d: d <= TODAY),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000000"), places=2),
    st.booleans(),  # reversed later?
    st.integers(min_value=0, max_value=40),  # days between the posting and its reversal
)


def _sum(rows) -> Decimal:
    # Added up in Python: the database's own sum is what the pages are checked against.
    return sum((posting.amount for posting in rows), Decimal("0.00"))


def _make(kpmi, actor, spec):
    kind, day, amount, reverse_it, later = spec
    if kind == "order":
        posting = paid_order_posting(kpmi, actor, total=str(amount), day=day)
    elif kind == "contribution":
        # A business month's contribution as the settlement posts it (the settlement's own rules are
        # tested elsewhere; here only its posting matters).
        posting = post(kpmi, actor, Category.BUSINESS_CONTRIBUTION, str(amount), day, "Kontribusi")
    else:
        posting = post(kpmi, actor, kind, str(amount), day, "Acak")
    if reverse_it:
        posting_reverse(actor=actor, posting=posting, reason="Koreksi", date=min(TODAY, day + dt.timedelta(days=later)))


def _cell(sheet, label, column=8):
    for row in sheet.iter_rows():
        if row[0].value == label:
            return Decimal(str(row[column - 1].value)).quantize(Decimal("0.01"))
    raise AssertionError(label)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(posting_st, min_size=0, max_size=14))
def test_every_total_shown_is_the_sum_of_the_postings(client_for, kpmi_a, kpmi_b, manager_a, manager_b, specs):
    with transaction.atomic():
        for spec in specs:
            _make(kpmi_a, manager_a, spec)
        post(kpmi_b, manager_b, Category.DONATION, "777", dt.date(YEAR, 6, 1))  # another group's money stays out
        _check(client_for(manager_a), kpmi_a)
        transaction.set_rollback(True)


def _check(client, kpmi):
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    mine = Posting.objects.filter(kpmi=kpmi)
    in_year = mine.filter(date__range=(start, end))

    # The ledger page.
    ledger = client.get(reverse("entrepreneurship:ledger", args=[kpmi.pk]), {"tahun": YEAR})
    totals = ledger.context["totals"]
    assert totals.opening == _sum(mine.filter(date__lt=start))
    assert totals.money_in == _sum(in_year.filter(amount__gt=0))
    assert totals.money_out == _sum(in_year.filter(amount__lt=0))
    assert totals.net == _sum(in_year)
    assert totals.closing == _sum(mine.filter(date__lte=end))
    for code, _label, amount in totals.per_category:
        assert amount == _sum(in_year.filter(category=code)), code
    assert format_rupiah(totals.closing) in ledger.content.decode()
    if in_year.exists():  # the newest posting's running balance is the closing balance
        assert ledger.context["page"][0].balance == totals.closing

    # The money page: its months add up to its year, and to the postings; the coverage is metrics'.
    money_page = client.get(reverse("entrepreneurship:money", args=[kpmi.pk]), {"tahun": YEAR}).context
    money, chart = money_page["money"], money_page["chart"]
    earned = _sum(in_year.filter(category__in=EARNED_CATEGORIES))
    costs = -_sum(in_year.filter(category__in=OPERATING_CATEGORIES))
    assert sum(m.earned for m in money.months) == money.earned == earned
    assert sum(m.costs for m in money.months) == money.costs == costs
    # The chart's series are the table's months, as sent to the page.
    assert sum(Decimal(v) for v in chart["earned"]) == earned
    assert sum(Decimal(v) for v in chart["costs"]) == costs
    assert sum(Decimal(v) for v in chart["donations"]) == money.donations
    assert sum(m.donations for m in money.months) == money.donations == _sum(in_year.filter(category="donation"))
    for m in money.months:
        month = in_year.filter(date__month=m.month.month)
        assert m.earned == _sum(month.filter(category__in=EARNED_CATEGORIES))
        assert m.costs == -_sum(month.filter(category__in=OPERATING_CATEGORIES))
    row = next(iter(metrics.money_per_kpmi(start, end).filter(kpmi_id=kpmi.pk)), {"earned": 0, "costs": 0})
    assert (row["earned"], row["costs"]) == (earned, costs)
    assert money.coverage == metrics.coverage_percent(earned=earned, costs=costs)

    # The XLSX.
    response = client.get(reverse("entrepreneurship:ledger_export", args=[kpmi.pk]), {"tahun": YEAR})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert _cell(sheet, "Saldo awal") == totals.opening
    assert _cell(sheet, "Saldo akhir") == totals.closing
    for _code, label, amount in totals.per_category:
        assert _cell(sheet, str(label)) == amount
