"""A member's page shows their credited work and totals; a group's page its work this year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Kind, Status
from tests import factories

from .factories import make_activity

pytestmark = pytest.mark.django_db


def _member_url(member) -> str:
    return reverse("members:member_detail", args=[member.pk])


@pytest.fixture
def history(kpmi_a, kpmi_b, member_a, member_b):
    make_activity(kpmi=kpmi_a, credited=[member_a], date=dt.date(2024, 5, 1))
    make_activity(kpmi=kpmi_a, credited=[member_a], date=dt.date(2024, 6, 1), kind=Kind.EDUCATION)
    make_activity(kpmi=kpmi_b, credited=[member_b, member_a], date=dt.date(2025, 2, 1), kind=Kind.DEPLOYMENT)
    make_activity(kpmi=kpmi_a, credited=[member_a], date=dt.date(2025, 3, 1), status=Status.PENDING)


def test_member_sees_their_work_and_totals_per_kind_per_year(client_for, member_user_a, member_a, history):
    response = client_for(member_user_a).get(_member_url(member_a))
    assert response.status_code == 200
    work = response.context["work"]
    assert len(work["recent"]) == 4  # pending included in the list...
    rows = {year: (counts, total) for year, counts, total in work["totals"].rows}
    assert rows == {2025: ([0, 0, 1, 0], 1), 2024: ([1, 1, 0, 0], 2)}  # ...but not in the totals
    assert work["more_url"] == reverse("programs:my_work")


def test_keeper_gets_a_link_to_the_filtered_group_list(client_for, manager_a, member_a, kpmi_a, history):
    work = client_for(manager_a).get(_member_url(member_a)).context["work"]
    assert work["more_url"] == f"{reverse('programs:work_list')}?kpmi={kpmi_a.pk}&member={member_a.pk}"


def test_member_page_queries_do_not_grow_with_the_work(
    django_assert_max_num_queries, client_for, manager_a, member_a, kpmi_a, kpmi_b
):
    client = client_for(manager_a)
    make_activity(kpmi=kpmi_a, credited=[member_a])
    with django_assert_max_num_queries(20) as few:
        client.get(_member_url(member_a))
    others = [factories.MemberFactory(kpmi=kpmi_b) for _ in range(3)]
    for n in range(40):
        day = dt.date(2020 + n % 5, 1 + n % 12, 1)
        make_activity(kpmi=kpmi_a, credited=[member_a, *others], date=day, kind=list(Kind)[n % 4])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_member_url(member_a))
    assert len(response.context["work"]["totals"].rows) == 6


def test_kpmi_page_shows_work_this_year_to_signed_in_users(client_for, outsider, kpmi_a, member_a):
    make_activity(kpmi=kpmi_a, credited=[member_a], date=timezone.localdate().replace(month=1, day=1))
    url = kpmi_a.get_absolute_url()
    summary = client_for(outsider).get(url).context["kpmi_work"]
    assert dict(summary["per_kind"])[Kind.PUBLICATION.label] == 1
    assert client_for(None).get(url).context["kpmi_work"] is None
