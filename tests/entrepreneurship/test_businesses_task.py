"""The monthly settlement job: safe to run twice, and a run killed half-way is finished by the next
one without a second posting for any business-month."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings

from entrepreneurship import tasks
from entrepreneurship.models import BusinessSettlement, Posting
from entrepreneurship.services import businesses as services

from .ledger_world import TODAY, business, months_ago, pioneer

pytestmark = pytest.mark.django_db

LAST_MONTH = services.previous_month(TODAY)


@pytest.fixture
def shops(kpmi_a, kpmi_b, manager_a):
    owners = [pioneer(kpmi_a, name="Asep"), pioneer(kpmi_a, name="Dadang"), pioneer(kpmi_b, name="Ujang")]
    made = []
    for i, owner in enumerate(owners):
        shop = business(owner.kpmi, owner, name=f"Usaha {i}", share="10")
        shop.entries.create(date=months_ago(1, 5), kind="income", amount=Decimal(100000 * (i + 1)), description="x")
        made.append(shop)
    # Closed before last month: nothing to settle for it.
    gone = business(kpmi_a, owners[0], name="Usaha lama", started=months_ago(6, 1))
    gone.closed_on = months_ago(3, 1)
    gone.save()
    return made


def test_the_job_is_in_the_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "entrepreneurship.services.businesses.settle_businesses_task" in tasks_scheduled
    assert tasks.settle_businesses_task.name in tasks_scheduled


def test_running_the_job_twice_posts_once_per_business_month(shops):
    assert tasks.settle_businesses_task.delay().get() == 3
    assert tasks.settle_businesses_task.delay().get() == 0

    assert BusinessSettlement.objects.filter(month=LAST_MONTH).count() == 3
    assert sorted(Posting.objects.values_list("amount", flat=True)) == [
        Decimal("10000.00"),
        Decimal("20000.00"),
        Decimal("30000.00"),
    ]
    assert all(p.created_by is None and p.settlement.month == LAST_MONTH for p in Posting.objects.all())


def test_a_run_killed_half_way_is_finished_by_the_next(shops, monkeypatch):
    real = services.business_settle_month
    calls = []

    def dies_on_the_second(**kwargs):
        calls.append(kwargs["business"].pk)
        if len(calls) == 2:
            raise SystemExit("worker killed")  # what a SIGTERM's unwinding looks like to the loop
        return real(**kwargs)

    monkeypatch.setattr(services, "business_settle_month", dies_on_the_second)
    with pytest.raises(SystemExit):
        services.businesses_settle_last_month()
    # The first business is settled whole; the second's transaction died with nothing written.
    assert BusinessSettlement.objects.count() == 1 and Posting.objects.count() == 1

    monkeypatch.setattr(services, "business_settle_month", real)
    assert services.businesses_settle_last_month() == 2
    assert services.businesses_settle_last_month() == 0
    assert BusinessSettlement.objects.filter(month=LAST_MONTH).count() == 3
    assert Posting.objects.count() == 3
    assert Posting.objects.values("settlement").distinct().count() == 3


def test_a_month_a_keeper_settled_already_is_skipped(shops, manager_a):
    services.business_settle_month(actor=manager_a, business=shops[0], month=LAST_MONTH)
    assert services.businesses_settle_last_month() == 2
    assert Posting.objects.count() == 3
