"""The one definition of "how much work", as dashboards, targets and awards will read it."""

from __future__ import annotations

import datetime as dt

import pytest

from programs import metrics
from programs.models import Kind, Status
from tests import factories

from .factories import make_activity

pytestmark = pytest.mark.django_db

MARCH = dt.date(2025, 3, 10)
APRIL = dt.date(2025, 4, 2)
LAST_YEAR = dt.date(2024, 11, 20)


@pytest.fixture
def work(kpmi_a, kpmi_b, manager_member_a, trainer_a, member_b):
    """KPMI A and B: one joint publication (A's two members and B's member), one publication of A
    alone, one education session of B, one pending and one rejected publication of A, and a
    deployment of last year."""
    joint = make_activity(kpmi=kpmi_a, credited=[manager_member_a, trainer_a, member_b], date=MARCH)
    make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=APRIL)
    make_activity(kpmi=kpmi_b, credited=[member_b], kind=Kind.EDUCATION, date=APRIL)
    make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=APRIL, status=Status.PENDING)
    make_activity(kpmi=kpmi_a, credited=[trainer_a], date=APRIL, status=Status.REJECTED)
    make_activity(kpmi=kpmi_a, credited=[trainer_a], kind=Kind.DEPLOYMENT, date=LAST_YEAR)
    return joint


def _rows(qs, *keys):
    return {tuple(row[k] for k in keys): row["n"] for row in qs}


def test_each_credited_member_counts_joint_work_once(work, manager_member_a, trainer_a, member_b):
    counts = _rows(metrics.work_counts(by=("member", "kind")), "member_id", "kind")
    assert counts == {
        (manager_member_a.pk, Kind.PUBLICATION): 2,
        (trainer_a.pk, Kind.PUBLICATION): 1,
        (trainer_a.pk, Kind.DEPLOYMENT): 1,
        (member_b.pk, Kind.PUBLICATION): 1,
        (member_b.pk, Kind.EDUCATION): 1,
    }


def test_a_group_counts_joint_work_once_however_many_of_its_members_share_it(work, kpmi_a, kpmi_b):
    counts = _rows(metrics.per_kpmi(), "kpmi_id", "kind")
    assert counts == {
        (kpmi_a.pk, Kind.PUBLICATION): 2,  # the joint one (two members of A) and A's own
        (kpmi_a.pk, Kind.DEPLOYMENT): 1,
        (kpmi_b.pk, Kind.PUBLICATION): 1,  # the joint one, logged by A, counts for B too
        (kpmi_b.pk, Kind.EDUCATION): 1,
    }


def test_the_logging_group_counts_work_it_logged_for_others(kpmi_a, kpmi_b, member_b):
    """A's keeper logs a training that B's trainer gave for A: it counts for both groups, and for
    the trainer."""
    make_activity(kpmi=kpmi_a, credited=[member_b], kind=Kind.TRAINING, date=MARCH)
    assert _rows(metrics.per_kpmi(), "kpmi_id", "kind") == {
        (kpmi_a.pk, Kind.TRAINING): 1,
        (kpmi_b.pk, Kind.TRAINING): 1,
    }
    assert metrics.work_total(member=member_b) == 1


def test_pending_and_rejected_work_never_counts(work, manager_member_a, trainer_a):
    assert metrics.work_total(member=manager_member_a, kinds=[Kind.PUBLICATION]) == 2
    assert metrics.work_total(member=trainer_a, start=APRIL, end=APRIL) == 0


def test_per_month_and_year(work):
    months = _rows(metrics.per_month(), "month", "kind")
    assert months == {
        (dt.date(2024, 11, 1), Kind.DEPLOYMENT): 1,
        (dt.date(2025, 3, 1), Kind.PUBLICATION): 1,
        (dt.date(2025, 4, 1), Kind.PUBLICATION): 1,
        (dt.date(2025, 4, 1), Kind.EDUCATION): 1,
    }
    assert _rows(metrics.work_counts(by=("year",)), "year") == {(2024,): 1, (2025,): 3}


def test_per_kpmi_per_month_as_targets_will_count(work, kpmi_a):
    rows = metrics.work_counts(by=("month",), kpmi=kpmi_a, kinds=[Kind.PUBLICATION])
    assert _rows(rows, "month") == {(dt.date(2025, 3, 1),): 1, (dt.date(2025, 4, 1),): 1}


def test_per_kecamatan_counts_where_the_work_took_place(work, kpmi_a, kpmi_b, manager_member_a):
    elsewhere = factories.kecamatan("Cilawu")
    make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=APRIL, kecamatan=elsewhere)
    counts = _rows(metrics.work_counts(by=("kecamatan",)), "kecamatan_id")
    assert counts == {(kpmi_a.kecamatan_id,): 3, (kpmi_b.kecamatan_id,): 1, (elsewhere.pk,): 1}
    # Read through the credits (a group is involved) the same definition gives the same numbers.
    assert _rows(metrics.work_counts(by=("kecamatan",), kpmi=kpmi_a), "kecamatan_id") == {
        (kpmi_a.kecamatan_id,): 3,
        (elsewhere.pk,): 1,
    }


def test_totals_agree_whichever_table_is_read(work, kpmi_a):
    assert metrics.work_total() == 4
    assert sum(metrics.per_kind().values()) == 4
    assert metrics.work_total(kecamatan=kpmi_a.kecamatan) == 3


def test_counting_is_one_query_however_many_records(django_assert_num_queries, kpmi_a, manager_member_a):
    for day in range(1, 21):
        make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=dt.date(2025, 1, day))
    with django_assert_num_queries(1):
        rows = list(metrics.per_kpmi())
    assert rows == [{"kpmi_id": kpmi_a.pk, "kind": Kind.PUBLICATION, "n": 20}]


def test_unknown_dimension_is_a_programming_error():
    with pytest.raises(ValueError):
        metrics.work_counts(by=("colour",))
