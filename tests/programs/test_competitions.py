"""Competitions: a live leaderboard from the logged work, frozen with its winners at closing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from associations import services as association_services
from kpmi_si.audit.models import AuditEntry
from members.models import Level
from programs import selectors, services
from programs.models import Competition, CompetitionStanding, Kind
from tests import factories
from tests.programs.factories import make_activity

pytestmark = pytest.mark.django_db


def u(name: str, *args) -> str:
    return reverse(f"interventions:{name}", args=args)


@pytest.fixture
def period(admin_user):
    return association_services.period_open_year(actor=admin_user, year=2025)


@pytest.fixture
def managers(kpmi_a, kpmi_b):
    """Three managers, with 3, 2 and 1 publications in 2025; a trainer with 5 who may not compete."""
    people = [
        factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Asep"),
        factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Budi"),
        factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Cucu"),
    ]
    for person, n in zip(people, (3, 2, 1), strict=True):
        for i in range(n):
            make_activity(kpmi=person.kpmi, credited=[person], kind=Kind.PUBLICATION, date=dt.date(2025, 3, 1 + i))
    trainer = factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER, full_name="Dadang")
    for i in range(5):
        make_activity(kpmi=kpmi_b, credited=[trainer], kind=Kind.PUBLICATION, date=dt.date(2025, 4, 1 + i))
    # Outside the period, and another kind: not counted.
    make_activity(kpmi=kpmi_b, credited=[people[2]], kind=Kind.PUBLICATION, date=dt.date(2024, 12, 31))
    make_activity(kpmi=kpmi_b, credited=[people[2]], kind=Kind.EDUCATION, date=dt.date(2025, 5, 1))
    return people


@pytest.fixture
def competition(officer_users, period):
    return services.competition_create(
        actor=officer_users,
        title="Terbitan terbanyak 2025",
        period=period,
        kind=Kind.PUBLICATION,
        entrants="managers",
        winners=2,
    )


def test_live_leaderboard_from_the_logged_work(competition, managers):
    board = selectors.competition_leaderboard(competition)
    assert [(s.member.full_name, s.score, s.rank) for s in board] == [("Asep", 3, 1), ("Budi", 2, 2), ("Cucu", 1, 3)]


def test_kpmi_competition(officer_users, period, managers):
    competition = services.competition_create(
        actor=officer_users, title="KPMI", period=period, kind=Kind.PUBLICATION, entrants="kpmi"
    )
    board = selectors.competition_leaderboard(competition)
    # KPMI Beta: Budi's 2 and the trainer's 5 (a group's work counts whoever did it).
    assert [(s.kpmi.name, s.score) for s in board] == [("KPMI Beta", 7), ("KPMI Alfa", 4)]


def test_closing_freezes_and_records_winners(competition, managers, officer_users, kpmi_a):
    services.competition_close(actor=officer_users, competition=competition)
    competition.refresh_from_db()
    assert competition.status == Competition.Status.CLOSED
    winners = CompetitionStanding.objects.filter(competition=competition, is_winner=True)
    assert {w.member.full_name for w in winners} == {"Asep", "Budi"}
    assert AuditEntry.objects.filter(action="competition.close").exists()
    # More work after closing changes nothing.
    make_activity(kpmi=kpmi_a, credited=[managers[2]], kind=Kind.PUBLICATION, date=dt.date(2025, 6, 1))
    make_activity(kpmi=kpmi_a, credited=[managers[2]], kind=Kind.PUBLICATION, date=dt.date(2025, 6, 2))
    make_activity(kpmi=kpmi_a, credited=[managers[2]], kind=Kind.PUBLICATION, date=dt.date(2025, 6, 3))
    board = selectors.competition_leaderboard(competition)
    assert [(s.member.full_name, s.score) for s in board][:1] == [("Asep", 3)]
    with pytest.raises(ValidationError):
        services.competition_close(actor=officer_users, competition=competition)
    assert CompetitionStanding.objects.filter(competition=competition).count() == 3


def test_only_the_users_officer_runs_competitions(officer_platform, manager_a, period):
    for user in (officer_platform, manager_a):
        with pytest.raises(PermissionDenied):
            services.competition_create(actor=user, title="x", period=period, kind=Kind.PUBLICATION, entrants="kpmi")


class TestViews:
    def test_anyone_signed_in_sees_the_board(self, client_for, manager_b, competition, managers):
        body = client_for(manager_b).get(u("competition_detail", competition.pk)).content.decode()
        assert body.index("Asep") < body.index("Budi") < body.index("Cucu")
        assert "Dadang" not in body

    def test_create_and_close_from_the_url(self, client_for, officer_users, period, managers):
        client = client_for(officer_users)
        response = client.post(
            u("competition_create"),
            {"title": "Lomba", "period": period.pk, "kind": "publication", "entrants": "managers", "winners": 1},
        )
        competition = Competition.objects.get()
        assert response["Location"] == competition.get_absolute_url()
        client.post(u("competition_close", competition.pk))
        assert CompetitionStanding.objects.get(is_winner=True).member.full_name == "Asep"

    @pytest.mark.parametrize("who", ["officer_platform", "officer_communities", "manager_a", "outsider"])
    def test_wrong_role(self, request, client_for, who, competition):
        client = client_for(request.getfixturevalue(who))
        assert client.get(u("competition_create")).status_code == 403
        assert client.post(u("competition_close", competition.pk)).status_code == 403
        assert Competition.objects.get().status == Competition.Status.OPEN

    def test_wrong_method(self, client_for, officer_users, competition):
        assert client_for(officer_users).get(u("competition_close", competition.pk)).status_code == 405

    def test_anonymous(self, client_for, competition):
        assert client_for(None).get(u("competition_detail", competition.pk)).status_code == 302
