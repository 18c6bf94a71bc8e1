"""/beranda/ answers "what needs me now" for each role: a manager's group waiting work, invitations and
targets behind; an officer's KPMI behind target and proposals to send; a juror's finalists to score.
Each in a fixed number of queries, however much is waiting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from associations.models import Association, Period, TargetResult
from members.models import Level
from programs.models import Invitation, TotEvent
from programs.models.work import Status
from tests import factories
from tests.programs.factories import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    year = timezone.localdate().year
    return Period.objects.create(name=str(year), start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))


def _behind(period, kpmi, code="communities", metric="new_trainers", member=None):
    return TargetResult.objects.create(
        period=period,
        association=Association.objects.get(code=code),
        metric=metric,
        kpmi=kpmi,
        member=member,
        kecamatan=kpmi.kecamatan,
        target=5,
        actual=1,
        ratio=Decimal("0.2"),
        status=TargetResult.Status.BEHIND,
        evaluated_at=timezone.now(),
    )


def _tot(name="ToT Pusat 9"):
    return TotEvent.objects.create(name=name, date=timezone.localdate() + dt.timedelta(days=20), capacity=10)


def _group_waiting(kpmi, period, n: int, behind: bool = True):
    for i in range(n):
        candidate = factories.MemberFactory(kpmi=kpmi, level=Level.TRAINER_CANDIDATE, full_name=f"Calon {i}")
        make_activity(kpmi=kpmi, credited=[candidate], status=Status.PENDING, title=f"Berita desa {i}")
        sent = Invitation.Status.SENT
        Invitation.objects.create(tot_event=_tot(f"ToT {i}"), member=candidate, kpmi=kpmi, status=sent)
    if behind:
        _behind(period, kpmi)


def test_a_manager_sees_what_waits_for_the_group(client_for, manager_a, kpmi_a, kpmi_b, period):
    _group_waiting(kpmi_a, period, 2)
    _group_waiting(kpmi_b, period, 1)  # another group's work is none of this manager's business
    body = client_for(manager_a).get(reverse("home")).content.decode()
    assert "Berita desa 0" in body and "Berita desa 1" in body
    assert "Calon 0" in body and "ToT 1" in body
    assert "1 / 5" in body  # the target behind: actual / target
    assert "ToT 0" in body
    # kpmi_b's rows carry the same titles: count that only kpmi_a's two show.
    assert body.count("Berita desa 0") == 1


def test_a_managers_home_costs_the_same_however_much_waits(
    client_for, manager_a, kpmi_a, period, django_assert_max_num_queries
):
    client = client_for(manager_a)
    _group_waiting(kpmi_a, period, 1)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("home")).status_code == 200
    _group_waiting(kpmi_a, period, 8, behind=False)
    with django_assert_max_num_queries(16):
        body = client.get(reverse("home")).content.decode()
    assert "Semua pekerjaan menunggu" in body  # more than fit: a link to the whole list


def test_an_officer_sees_kpmi_behind_and_proposals_to_send(
    client_for, officer_communities, kpmi_a, period, django_assert_max_num_queries
):
    _behind(period, kpmi_a)
    tot = _tot("ToT Pusat Garut")
    for _ in range(3):
        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE)
        Invitation.objects.create(tot_event=tot, member=member, kpmi=kpmi_a)
    client = client_for(officer_communities)
    with django_assert_max_num_queries(14):
        body = client.get(reverse("home")).content.decode()
    assert "KPMI Alfa" in body
    assert "ToT Pusat Garut" in body and "3 usulan" in body
    assert reverse("interventions:tot_detail", args=[tot.pk]) in body


def test_another_associations_officer_does_not_see_them(client_for, officer_platform, kpmi_a, period):
    _behind(period, kpmi_a)
    body = client_for(officer_platform).get(reverse("home")).content.decode()
    assert "KPMI Alfa" not in body


def test_a_juror_sees_the_finalists_still_to_score(client_for, admin_user):
    from awards.models import AwardCategory, AwardRound, Finalist, JuryMember, Vote

    juror = factories.UserFactory(username="juri")
    kpmi = factories.KpmiFactory(name="KPMI Juri")
    round = AwardRound.objects.create(year=2025, status=AwardRound.Status.IN_REVIEW, created_by=admin_user)
    category = AwardCategory.objects.create(round=round, subject="trainer", achievement="publications")
    seat = JuryMember.objects.create(round=round, user=juror, added_by=admin_user)
    seat.categories.add(category)
    scored, waiting = (
        Finalist.objects.create(
            category=category,
            rank=rank,
            member=factories.MemberFactory(kpmi=kpmi, full_name=name),
            kpmi=kpmi,
            score=10 - rank,
            previous=0,
        )
        for rank, name in ((1, "Sudah Dinilai"), (2, "Belum Dinilai"))
    )
    Vote.objects.create(jury_member=seat, finalist=scored, score=4)
    body = client_for(juror).get(reverse("home")).content.decode()
    assert "Belum Dinilai" in body
    assert "Sudah Dinilai" not in body
    assert reverse("awards:jury_finalist", args=[waiting.pk]) in body
