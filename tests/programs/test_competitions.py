"""Competitions: a live leaderboard from the logged work, frozen with its winners at closing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from associations import services as association_services
from kpmi_si.audit.models import AuditEntry
from kpmi_si.notifications.models import Notification
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


def test_the_winners_are_told_a_group_through_its_keepers(officer_users, period, managers, manager_a, manager_b):
    competition = services.competition_create(
        actor=officer_users, title="KPMI terbanyak", period=period, kind=Kind.PUBLICATION, entrants="kpmi", winners=1
    )
    manager_b.language = "en"  # told in their own language; English reads as the msgid
    manager_b.save()
    services.competition_close(actor=officer_users, competition=competition)
    # KPMI Beta won (7 against 4): its manager is told, KPMI Alfa's is not.
    assert list(Notification.objects.filter(recipient=manager_b).values_list("message", "link")) == [
        ("KPMI Beta won place 1 in KPMI terbanyak.", competition.get_absolute_url())
    ]
    assert not Notification.objects.filter(recipient=manager_a).exists()


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
            {
                "title": "Lomba",
                "period": period.pk,
                "kind": "publication",
                "measure": "records",
                "entrants": "managers",
                "winners": 1,
            },
        )
        competition = Competition.objects.get()
        assert response["Location"] == competition.get_absolute_url()
        client.post(u("competition_close", competition.pk), {"confirm": "yes"})
        assert CompetitionStanding.objects.get(is_winner=True).member.full_name == "Asep"

    @pytest.mark.parametrize("who", ["officer_platform", "officer_communities", "manager_a", "outsider"])
    def test_wrong_role(self, request, client_for, who, competition):
        client = client_for(request.getfixturevalue(who))
        assert client.get(u("competition_create")).status_code == 403
        assert client.post(u("competition_close", competition.pk)).status_code == 403
        assert Competition.objects.get().status == Competition.Status.OPEN

    def test_wrong_method(self, client_for, officer_users, competition):
        assert client_for(officer_users).put(u("competition_close", competition.pk)).status_code == 405

    def test_anonymous(self, client_for, competition):
        assert client_for(None).get(u("competition_detail", competition.pk)).status_code == 302


# --- Ranked by education participants ----------------------------------------------------------------


@pytest.fixture
def educators(kpmi_a, kpmi_b):
    """2025 education: Euis one big session (80), Ujang three small ones (10 each), Euis and Ujang a
    joint one (15), KPMI Beta's trainer one of 200 (not a manager). Rejected, pending and 2024 work,
    and publications, count for nobody."""
    euis = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Euis")
    ujang = factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Ujang")
    trainer = factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER, full_name="Dadang")
    edu = Kind.EDUCATION
    make_activity(kpmi=kpmi_a, credited=[euis], kind=edu, date=dt.date(2025, 2, 1), participants=80)
    for day in (1, 2, 3):
        make_activity(kpmi=kpmi_b, credited=[ujang], kind=edu, date=dt.date(2025, 3, day), participants=10)
    make_activity(kpmi=kpmi_a, credited=[euis, ujang], kind=edu, date=dt.date(2025, 4, 1), participants=15)
    make_activity(kpmi=kpmi_b, credited=[trainer], kind=edu, date=dt.date(2025, 5, 1), participants=200)
    make_activity(kpmi=kpmi_a, credited=[euis], kind=edu, date=dt.date(2025, 6, 1), participants=500, status="pending")
    make_activity(kpmi=kpmi_a, credited=[euis], kind=edu, date=dt.date(2025, 6, 2), participants=500, status="rejected")
    make_activity(kpmi=kpmi_b, credited=[ujang], kind=edu, date=dt.date(2024, 12, 31), participants=500)
    make_activity(kpmi=kpmi_b, credited=[ujang], kind=Kind.PUBLICATION, date=dt.date(2025, 7, 1))
    return euis, ujang, trainer


def participants_competition(officer, period, entrants="managers") -> Competition:
    return services.competition_create(
        actor=officer,
        title="Peserta edukasi terbanyak",
        period=period,
        kind=Kind.EDUCATION,
        measure=Competition.Measure.PARTICIPANTS,
        entrants=entrants,
        winners=1,
    )


def test_metrics_sum_the_participants_of_approved_sessions(educators, kpmi_a, kpmi_b):
    from programs import metrics

    euis, ujang, trainer = educators
    year = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}
    per_member = {r["member_id"]: r["n"] for r in metrics.work_scores(by=("member",), measure="participants", **year)}
    # A joint session gives each credited member all its participants, once.
    assert per_member == {euis.pk: 95, ujang.pk: 45, trainer.pk: 200}
    per_kpmi = {r["kpmi_id"]: r["n"] for r in metrics.work_scores(by=("kpmi",), measure="participants", **year)}
    assert per_kpmi == {kpmi_a.pk: 95, kpmi_b.pk: 245}
    # Counting records is unchanged: Ujang has more sessions, Euis more people.
    counts = {r["member_id"]: r["n"] for r in metrics.work_scores(by=("member",), kinds=[Kind.EDUCATION], **year)}
    assert counts[ujang.pk] == 4 and counts[euis.pk] == 2
    with pytest.raises(ValueError):
        metrics.work_scores(by=("member",), measure="beneficiaries")


def test_the_live_board_ranks_by_participants_and_closing_freezes_it(officer_users, period, educators, kpmi_a):
    euis, ujang, _trainer = educators
    competition = participants_competition(officer_users, period)
    board = selectors.competition_leaderboard(competition)
    assert [(s.member.full_name, s.score, s.rank) for s in board] == [("Euis", 95, 1), ("Ujang", 45, 2)]
    # Live while it runs: new approved work moves the board.
    make_activity(kpmi=kpmi_a, credited=[ujang], kind=Kind.EDUCATION, date=dt.date(2025, 8, 1), participants=60)
    board = selectors.competition_leaderboard(competition)
    assert [(s.member.full_name, s.score) for s in board] == [("Ujang", 105), ("Euis", 95)]
    services.competition_close(actor=officer_users, competition=competition)
    competition.refresh_from_db()
    make_activity(kpmi=kpmi_a, credited=[euis], kind=Kind.EDUCATION, date=dt.date(2025, 9, 1), participants=100)
    board = selectors.competition_leaderboard(competition)
    assert [(s.member.full_name, s.score, s.is_winner) for s in board] == [("Ujang", 105, True), ("Euis", 95, False)]


def test_kpmi_board_by_participants(officer_users, period, educators):
    board = selectors.competition_leaderboard(participants_competition(officer_users, period, entrants="kpmi"))
    assert [(s.kpmi.name, s.score) for s in board] == [("KPMI Beta", 245), ("KPMI Alfa", 95)]


def test_participants_of_anything_but_education_are_refused_on_the_field(officer_users, period):
    with pytest.raises(ValidationError) as refused:
        services.competition_create(
            actor=officer_users,
            title="x",
            period=period,
            kind=Kind.PUBLICATION,
            measure=Competition.Measure.PARTICIPANTS,
            entrants="managers",
        )
    assert "measure" in refused.value.message_dict
    assert not Competition.objects.exists()


def test_the_database_refuses_participants_of_publications(officer_users, period):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Competition.objects.create(title="x", period=period, kind=Kind.PUBLICATION, measure="participants")


class TestParticipantsFromTheUrl:
    def post(self, client, period, **overrides):
        data = {
            "title": "Peserta terbanyak",
            "period": period.pk,
            "kind": "education",
            "measure": "participants",
            "entrants": "managers",
            "winners": 3,
        }
        return client.post(u("competition_create"), {**data, **overrides})

    def test_the_officer_opens_one_and_everyone_sees_the_board(
        self, client_for, officer_users, manager_b, period, educators
    ):
        response = self.post(client_for(officer_users), period)
        competition = Competition.objects.get()
        assert response["Location"] == competition.get_absolute_url()
        assert competition.measure == Competition.Measure.PARTICIPANTS
        body = client_for(manager_b).get(competition.get_absolute_url()).content.decode()
        assert 'id="competition-measure"' in body
        board = body.split('id="leaderboard"')[1].split("</table>")[0]
        assert board.index("Euis") < board.index(">95<") < board.index("Ujang") < board.index(">45<")

    def test_participants_of_publications_show_on_the_field(self, client_for, officer_users, period):
        response = self.post(client_for(officer_users), period, kind="publication")
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["measure"]
        assert not Competition.objects.exists()

    def test_an_unknown_measure_is_a_field_error(self, client_for, officer_users, period):
        response = self.post(client_for(officer_users), period, measure="beneficiaries")
        assert response.status_code == 200 and "measure" in response.context["form"].errors
        assert not Competition.objects.exists()
