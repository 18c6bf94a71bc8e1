"""The demo work: plausible, deterministic, and loaded once however often seed_demo runs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from kpmi_si.demo.work import WorkDemoBuilder
from members.models import Level
from programs import metrics
from programs.models import Activity, ActivityCredit, Status
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def groups(kpmi_a, kpmi_b):
    for kpmi in (kpmi_a, kpmi_b):
        for level in (Level.TRAINER_CANDIDATE, Level.TRAINER, Level.MANAGER, Level.MANAGER):
            factories.MemberFactory(kpmi=kpmi, level=level, joined_on=dt.date(2018, 1, 1))
    return kpmi_a, kpmi_b


def _fingerprint():
    return list(Activity.objects.order_by("pk").values_list("kind", "title", "date", "status"))


def test_deterministic_and_consistent(groups):
    WorkDemoBuilder(today=TODAY).build()
    first = _fingerprint()
    assert len(first) > 100
    Activity.objects.all().delete()
    WorkDemoBuilder(today=TODAY).build()
    assert _fingerprint() == first
    # The counting copies agree with their activity, and nothing is dated after "today".
    assert not ActivityCredit.objects.exclude(date__lte=TODAY).exists()
    for credit in ActivityCredit.objects.select_related("activity")[:200]:
        assert (credit.kind, credit.date, credit.status) == (
            credit.activity.kind,
            credit.activity.date,
            credit.activity.status,
        )
    assert metrics.work_total() == Activity.objects.filter(status=Status.APPROVED).count()


def test_seed_demo_twice_adds_work_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    count = Activity.objects.count()
    assert count > 1000
    call_command("seed_demo", stdout=io.StringIO())
    assert Activity.objects.count() == count
