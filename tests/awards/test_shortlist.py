"""The shortlist job: scores from the logged data, the tie-break rule, minimums, levels at the year's
end, supervisors; safe to run twice; a failure keeps the previous shortlist; locked after the review
starts; the management command does the same."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from awards import selectors, services
from awards.models import Achievement, AwardRound, Finalist, ShortlistBuild, Subject
from awards.services import CategorySpec
from kpmi_si.audit.models import AuditEntry
from members.models import KpmiRole, Level
from programs.models import Kind
from tests import factories

from .conftest import YEAR, build, category, day, publish

pytestmark = pytest.mark.django_db


def shortlist(round, subject, achievement):
    return [
        (f.name, f.score, f.previous)
        for f in Finalist.objects.filter(category=category(round, subject, achievement)).order_by("rank")
    ]


class TestScores:
    def test_managers_publications_ranked_by_score_then_raising_then_join_date(self, shortlisted):
        # Asep and Budi tie on 3 (+2): Asep joined first. Cucu has 3 too but no increase. Dedi's
        # pending and rejected work does not count. Euis's 2026 work does not count for 2025.
        assert shortlist(shortlisted, Subject.MANAGER, Achievement.PUBLICATIONS) == [
            ("Asep", 3, 1),
            ("Budi", 3, 1),
            ("Cucu", 3, 3),
            ("Dedi", 2, 0),
            ("Euis", 1, 5),
        ]

    def test_level_at_the_end_of_the_year_decides_the_category(self, shortlisted, garut):
        # Fajar was a trainer on 31 December 2025 (promoted to manager in January 2026).
        assert shortlist(shortlisted, Subject.TRAINER, Achievement.EDUCATION) == [("Fajar", 4, 0)]
        assert shortlist(shortlisted, Subject.MANAGER, Achievement.EDUCATION) == []

    def test_trainers_produced_count_promotions_of_the_members_one_trained(self, shortlisted):
        assert shortlist(shortlisted, Subject.TRAINER, Achievement.TRAINERS) == [("Tini", 2, 1)]

    def test_kpmi_founded_by_a_pioneer(self, shortlisted):
        assert shortlist(shortlisted, Subject.PIONEER, Achievement.KPMI_FOUNDED) == [("Popon", 1, 0)]

    def test_supervisors_are_scored_by_their_kpmi_and_compete_once(self, shortlisted, garut):
        rows = list(
            Finalist.objects.filter(category=category(shortlisted, Subject.SUPERVISOR, Achievement.PUBLICATIONS))
            .order_by("rank")
            .values_list("supervisor__username", "kpmi__name", "score", "previous")
        )
        # KPMI Alfa took part in 3+3+1 = 7 publications in 2025 (and 1+1+5 in 2024); Beta in 3+2 | 3.
        # Pak Ujang supervises both and competes once, with Alfa; he has supervised longer than
        # supervisor_a, so he ranks first on the tie.
        assert rows == [("pak_ujang", "KPMI Alfa", 7, 7), ("supervisor_a", "KPMI Alfa", 7, 7)]
        trainers = shortlist(shortlisted, Subject.SUPERVISOR, Achievement.TRAINERS)
        assert [(score, previous) for _name, score, previous in trainers] == [(2, 1), (2, 1)]
        assert shortlist(shortlisted, Subject.SUPERVISOR, Achievement.KPMI_FOUNDED)[0][1:] == (1, 0)

    def test_a_supervisor_role_started_after_the_year_does_not_compete(self, round_2025, garut):
        KpmiRole.objects.filter(user=garut.supervisor_a).update(since=dt.date(2026, 2, 1))
        build(round_2025)
        names = [n for n, _s, _p in shortlist(round_2025, Subject.SUPERVISOR, Achievement.PUBLICATIONS)]
        assert names == ["Ujang"]

    def test_a_supervisor_role_ended_before_the_year_does_not_compete(self, round_2025, garut):
        # Ended in 2024: not a supervisor in 2025 (the role stays as history, it does not compete).
        KpmiRole.objects.filter(user=garut.supervisor_a).update(since=dt.date(2020, 1, 1), until=dt.date(2024, 12, 31))
        build(round_2025)
        names = [n for n, _s, _p in shortlist(round_2025, Subject.SUPERVISOR, Achievement.PUBLICATIONS)]
        assert names == ["Ujang"]

    def test_minimums_and_the_number_of_finalists(self, admin_user, garut):
        round = services.award_round_open(
            actor=admin_user,
            year=YEAR,
            categories=[
                CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, finalists_count=2, winners_count=1),
                CategorySpec(Subject.MANAGER, Achievement.DEPLOYMENTS, min_count=1),
                CategorySpec(Subject.SUPERVISOR, Achievement.PUBLICATIONS, min_count=8),
            ],
        )
        build(round)
        assert [n for n, *_ in shortlist(round, Subject.MANAGER, Achievement.PUBLICATIONS)] == ["Asep", "Budi"]
        assert shortlist(round, Subject.MANAGER, Achievement.DEPLOYMENTS) == []
        assert shortlist(round, Subject.SUPERVISOR, Achievement.PUBLICATIONS) == []

        services.award_round_set_categories(
            actor=admin_user,
            round=round,
            categories=[CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, finalists_count=5, min_increase=1)],
        )
        build(round)
        # Only those who raised their count by at least one: Cucu (0) and Euis (-4) drop out.
        assert [n for n, *_ in shortlist(round, Subject.MANAGER, Achievement.PUBLICATIONS)] == ["Asep", "Budi", "Dedi"]

    def test_the_records_behind_every_score_are_the_counted_ones(self, shortlisted):
        finalists = Finalist.objects.filter(category__round=shortlisted).select_related(
            "category__round", "member", "kpmi"
        )
        assert finalists.count() > 10
        for finalist in finalists:
            records = selectors.finalist_records(finalist)
            assert records.this_year.count() == finalist.score, finalist
            assert records.previous_year.count() == finalist.previous, finalist

    def test_joint_work_counts_once_for_each_credited_member(self, round_2025, garut):
        publish(garut.cucu, 6)  # another for Cucu alone...
        from tests.programs.factories import make_activity

        make_activity(kpmi=garut.kpmi_a, credited=[garut.budi, garut.dedi], kind=Kind.PUBLICATION, date=day(11))
        build(round_2025)
        scores = {n: s for n, s, _p in shortlist(round_2025, Subject.MANAGER, Achievement.PUBLICATIONS)}
        assert (scores["Budi"], scores["Cucu"], scores["Dedi"]) == (4, 4, 3)


class TestTheJob:
    def test_progress_and_audit(self, round_2025, garut, admin_user):
        result = build(round_2025, actor=admin_user)
        assert result.status == ShortlistBuild.Status.SUCCEEDED
        assert (result.steps_done, result.steps_total, result.percent) == (13, 13, 100)
        round_2025.refresh_from_db()
        assert round_2025.status == AwardRound.Status.SHORTLISTED
        assert round_2025.shortlisted_at is not None
        statuses = list(
            AuditEntry.objects.filter(target_id=str(round_2025.pk), action__startswith="award_round.")
            .order_by("pk")
            .values_list("action", "changes")
        )
        assert statuses == [
            ("award_round.open", statuses[0][1]),
            ("award_round.shortlisting", {"status": ["draft", "shortlisting"]}),
            ("award_round.shortlisted", {"status": ["shortlisting", "shortlisted"]}),
        ]

    def test_running_twice_changes_nothing_the_second_time(self, shortlisted):
        before = list(Finalist.objects.order_by("pk").values())
        second = build(shortlisted)
        assert second.status == ShortlistBuild.Status.SUCCEEDED
        assert second.finalists_changed == 0
        assert list(Finalist.objects.order_by("pk").values()) == before

    def test_rerun_before_the_review_replaces_the_shortlist(self, shortlisted, garut):
        publish(garut.euis, 3, 4, 5, 6)  # Euis now has 5 in 2025
        second = build(shortlisted)
        assert second.finalists_changed > 0
        assert shortlist(shortlisted, Subject.MANAGER, Achievement.PUBLICATIONS)[0] == ("Euis", 5, 5)

    def test_a_second_delivery_of_a_finished_build_does_nothing(self, round_2025, garut):
        created, _ = services.shortlist_create(actor=None, round=round_2025)
        assert services.shortlist_build(build_id=created.pk).status == ShortlistBuild.Status.SUCCEEDED
        assert services.shortlist_build(build_id=created.pk) is None

    def test_one_active_build_per_round(self, round_2025, garut):
        first, created = services.shortlist_create(actor=None, round=round_2025)
        again, created_again = services.shortlist_create(actor=None, round=round_2025)
        assert created and not created_again and again.pk == first.pk

    def test_a_failure_keeps_the_previous_shortlist(self, shortlisted):
        before = list(Finalist.objects.order_by("pk").values())
        with mock.patch("awards.services.shortlist._write_finalists", side_effect=RuntimeError("disk full")):
            failed = build(shortlisted)
        assert failed.status == ShortlistBuild.Status.FAILED
        assert "disk full" in failed.error
        assert list(Finalist.objects.order_by("pk").values()) == before
        shortlisted.refresh_from_db()
        assert shortlisted.status == AwardRound.Status.SHORTLISTED  # back where it was

    def test_a_failed_first_build_returns_to_draft(self, round_2025, garut):
        with mock.patch("awards.selectors.category_ranking", side_effect=RuntimeError("boom")):
            failed = build(round_2025)
        assert failed.status == ShortlistBuild.Status.FAILED
        round_2025.refresh_from_db()
        assert round_2025.status == AwardRound.Status.DRAFT
        assert not Finalist.objects.exists()

    def test_a_stale_build_is_replaced(self, round_2025, garut):
        stuck, _ = services.shortlist_create(actor=None, round=round_2025)
        ShortlistBuild.objects.filter(pk=stuck.pk).update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        fresh, created = services.shortlist_create(actor=None, round=round_2025)
        assert created and fresh.pk != stuck.pk
        assert ShortlistBuild.objects.get(pk=stuck.pk).status == ShortlistBuild.Status.FAILED
        assert services.shortlist_build(build_id=fresh.pk).status == ShortlistBuild.Status.SUCCEEDED

    def test_locked_once_the_review_started(self, in_review):
        before = list(Finalist.objects.order_by("pk").values())
        with pytest.raises(ValidationError, match="locked"):
            services.shortlist_create(actor=None, round=in_review)
        assert list(Finalist.objects.order_by("pk").values()) == before

    def test_a_queued_build_that_finds_the_round_locked_fails_without_writing(self, shortlisted, admin_user):
        queued, _ = services.shortlist_create(actor=None, round=shortlisted)
        # The review cannot start while a build is queued (the round is shortlisting)...
        with pytest.raises(ValidationError):
            services.award_round_start_review(actor=admin_user, round=shortlisted)
        # ...and if the round were locked anyway, the build would refuse to write.
        AwardRound.objects.filter(pk=shortlisted.pk).update(status=AwardRound.Status.IN_REVIEW)
        before = list(Finalist.objects.order_by("pk").values())
        result = services.shortlist_build(build_id=queued.pk)
        assert result.status == ShortlistBuild.Status.FAILED and "locked" in result.error
        assert list(Finalist.objects.order_by("pk").values()) == before

    def test_only_the_admin_requests_a_build(self, round_2025, manager_a, officer_communities):
        for user in (manager_a, officer_communities):
            with pytest.raises(PermissionDenied):
                services.shortlist_request(actor=user, round=round_2025)
        assert not ShortlistBuild.objects.exists()

    def test_request_runs_in_process_without_a_broker(
        self, round_2025, garut, admin_user, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            queued = services.shortlist_request(actor=admin_user, round=round_2025)
        queued.refresh_from_db()
        assert queued.status == ShortlistBuild.Status.SUCCEEDED
        assert queued.requested_by == admin_user


class TestCommand:
    def test_builds_like_the_job(self, round_2025, garut, capsys):
        call_command("build_award_shortlist", "--round", str(round_2025.pk))
        assert "finalists changed" in capsys.readouterr().out
        round_2025.refresh_from_db()
        assert round_2025.status == AwardRound.Status.SHORTLISTED
        assert shortlist(round_2025, Subject.TRAINER, Achievement.TRAINERS) == [("Tini", 2, 1)]
        call_command("build_award_shortlist", "--round", str(round_2025.pk))
        assert "0 finalists changed" in capsys.readouterr().out

    def test_unknown_round_and_locked_round(self, in_review):
        with pytest.raises(CommandError, match="No award round"):
            call_command("build_award_shortlist", "--round", "999999")
        with pytest.raises(CommandError, match="locked"):
            call_command("build_award_shortlist", "--round", str(in_review.pk))

    def test_members_without_history_in_the_year_do_not_compete(self, round_2025, kpmi_a):
        # Joined in 2026: no level at the end of 2025, even with (back-dated) 2025 work.
        late = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, joined_on=dt.date(2026, 1, 5))
        publish(late, 3)
        call_command("build_award_shortlist", "--round", str(round_2025.pk))
        assert not Finalist.objects.filter(member=late).exists()
