"""The demo's money: the Entrepreneurs dashboard is alive after seeding, and the demo ledger reconciles
with the orders, settlements and businesses it came from."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from io import StringIO

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from associations import services
from associations.metrics import metrics_of
from associations.models import Association, TargetResult
from citizen_journalism.demo import seed_citizen_journalism
from entrepreneurship.metrics import money_per_kpmi
from entrepreneurship.models import (
    Business,
    BusinessEntry,
    BusinessSettlement,
    Category,
    EntryKind,
    Order,
    PaymentStatus,
    Posting,
    Service,
)
from kpmi_si.demo import entrepreneurship as demo
from members.models import Level
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_money(admin_user, kpmi_a, kpmi_b):
    """Two groups with members at every level, this year's period open with the Entrepreneurs
    association's default targets, then the demo's money layer (which evaluates the open period)."""
    for kpmi in (kpmi_a, kpmi_b):
        for level in (Level.TRAINER_CANDIDATE, Level.TRAINER_CANDIDATE, Level.MANAGER, Level.PIONEER):
            factories.MemberFactory(kpmi=kpmi, level=level)
        factories.MemberFactory(kpmi=kpmi, level=Level.PIONEER, user=factories.UserFactory())
    period = services.period_open_year(actor=admin_user, year=timezone.localdate().year)
    demo.build()
    return period


@pytest.fixture
def demo_content(demo_money, settings, tmp_path):
    """Then Garut Citizen Journalism's demo (the pioneers with a login write, sell and earn) and the
    evaluation `seed_demo` runs again after it."""
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo articles' photos
    seed_citizen_journalism(StringIO(), password="demo-rahasia-123")
    demo.catch_up_open_periods()
    return demo_money


def test_the_entrepreneurs_dashboard_has_results_for_every_metric(client_for, officer_entrepreneurs, demo_content):
    demo_money = demo_content
    entrepreneurs = Association.objects.get(code="entrepreneurs")
    client = client_for(officer_entrepreneurs)
    for metric in metrics_of("entrepreneurs"):
        assert TargetResult.objects.filter(period=demo_money, metric=metric.code, actual__gt=0).exists(), metric.code
        response = client.get(
            reverse("associations:home", args=["entrepreneurs"]) + f"?period={demo_money.pk}&metric={metric.code}"
        )
        assert response.status_code == 200
        assert response.context["totals"].actual > 0
        assert any(response.context["trend_data"]["values"])
    assert TargetResult.objects.filter(association=entrepreneurs, period=demo_money).count() == 2 * 8


def test_the_demo_adopts_both_templates_with_their_rules_and_prices(demo_money, kpmi_a):
    services_of_a = Service.objects.filter(kpmi=kpmi_a).prefetch_related("rules")
    assert {s.name for s in services_of_a} == {demo.TRAINING, demo.DEPLOYMENT}
    for service in services_of_a:
        assert service.template is not None and service.price > 0
        assert [(r.client_level, r.client_category) for r in service.rules.all()] == [
            (r.client_level, r.client_category) for r in service.template.rules.all()
        ]
    free = Order.objects.filter(kpmi=kpmi_a, is_free=True).select_related("member", "client")
    assert free.exists()
    for order in free:
        assert order.total == 0 and order.payment_status == PaymentStatus.WAIVED
        assert (order.member and order.member.level == Level.TRAINER_CANDIDATE) or (
            order.client and order.client.category == "target_community"
        )


def test_receipt_numbers_run_without_gaps_per_group(demo_money, kpmi_a, kpmi_b):
    for kpmi in (kpmi_a, kpmi_b):
        numbers = sorted(Order.objects.filter(kpmi=kpmi).values_list("receipt_number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))


def test_the_demo_ledger_reconciles(demo_money, kpmi_a, kpmi_b):
    # Every paid order is in the ledger once, for its total; nothing unpaid, free or cancelled is.
    for order in Order.objects.all():
        posted = list(Posting.objects.filter(order=order))
        if order.payment_status == PaymentStatus.PAID:
            assert [(p.category, p.amount, p.date) for p in posted] == [
                (Category.SERVICE_INCOME, order.total, order.paid_on)
            ]
        else:
            assert posted == []
    # Every settled month matches the business's entries of that month and posts the pledged share.
    for settlement in BusinessSettlement.objects.select_related("business"):
        entries = BusinessEntry.objects.filter(
            business=settlement.business, date__year=settlement.month.year, date__month=settlement.month.month
        )
        assert entries.filter(kind=EntryKind.INCOME).aggregate(s=Sum("amount"))["s"] == settlement.income
        assert entries.filter(kind=EntryKind.COST).aggregate(s=Sum("amount"))["s"] == settlement.costs
        profit = max(settlement.income - settlement.costs, Decimal(0))
        share = (profit * settlement.business.pledged_share / 100).quantize(Decimal("1"), rounding=ROUND_DOWN)
        assert settlement.contribution == share
        posted = list(Posting.objects.filter(settlement=settlement).values_list("amount", flat=True))
        assert posted == ([share] if share > 0 else [])
    assert Business.objects.filter(owner__level=Level.PIONEER).count() >= 2
    # The one definition of earned income and costs equals the sums of the postings, per group.
    start, end = demo_money.start, demo_money.end
    for row in money_per_kpmi(start, end):
        postings = Posting.objects.filter(kpmi_id=row["kpmi_id"], date__gte=start, date__lte=end)
        earned = postings.filter(category__in=[Category.SERVICE_INCOME, Category.BUSINESS_CONTRIBUTION])
        costs = postings.exclude(category__in=[Category.SERVICE_INCOME, Category.BUSINESS_CONTRIBUTION, "donation"])
        assert row["earned"] == earned.aggregate(s=Sum("amount"))["s"]
        assert row["costs"] == -costs.aggregate(s=Sum("amount"))["s"]
        contributions = postings.filter(category=Category.BUSINESS_CONTRIBUTION).aggregate(s=Sum("amount"))["s"]
        stored = TargetResult.objects.get(period=demo_money, metric="business_income", kpmi_id=row["kpmi_id"])
        assert stored.actual == int((contributions or 0) // 1000)
    # The corrected mistake: a reversal that nets its posting out.
    reversal = Posting.objects.get(reverses__isnull=False)
    assert reversal.amount == -reversal.reverses.amount
