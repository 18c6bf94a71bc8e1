"""Award rounds from opening to publication: the rules of each step, the allowed transitions, the
jury's votes, the admin's decision (and override), and the audit trail of every step."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from awards import selectors, services
from awards.certificates import CODE_ALPHABET
from awards.models import Achievement, Award, AwardCategory, AwardRound, Finalist, JuryMember, Subject, Vote
from awards.services import DEFAULT_CATEGORIES, CategorySpec
from kpmi_si.audit.models import AuditEntry
from tests import factories

from .conftest import YEAR, build, category, decide_all_by_tally

pytestmark = pytest.mark.django_db


def managers_publications(round: AwardRound) -> AwardCategory:
    return category(round, Subject.MANAGER, Achievement.PUBLICATIONS)


def finalists(cat: AwardCategory) -> list[Finalist]:
    return list(cat.finalists.select_related("member").order_by("rank"))


class TestOpen:
    def test_opens_with_the_default_categories_and_audits(self, admin_user):
        round = services.award_round_open(actor=admin_user, year=YEAR)
        assert round.status == AwardRound.Status.DRAFT
        got = set(round.categories.values_list("subject", "achievement"))
        assert got == {(s.subject, s.achievement) for s in DEFAULT_CATEGORIES}
        # Every level and the supervisors have at least one category by default.
        assert {s for s, _a in got} == set(Subject.values)
        entry = AuditEntry.objects.get(action="award_round.open")
        assert entry.actor == admin_user and entry.changes["year"] == [None, YEAR]

    def test_a_second_round_for_the_same_year_is_refused(self, admin_user, round_2025):
        with pytest.raises(ValidationError) as exc:
            services.award_round_open(actor=admin_user, year=YEAR)
        assert "year" in exc.value.message_dict
        assert AwardRound.objects.count() == 1

    def test_the_database_refuses_a_duplicate_year_too(self, round_2025):
        with pytest.raises(IntegrityError):
            AwardRound.objects.create(year=YEAR)

    @pytest.mark.parametrize("year", [1999, 2100])
    def test_a_year_out_of_range_is_refused(self, admin_user, year):
        with pytest.raises(ValidationError):
            services.award_round_open(actor=admin_user, year=year)

    def test_only_the_admin_opens_a_round(self, manager_a, officer_communities, supervisor_a):
        for user in (manager_a, officer_communities, supervisor_a):
            with pytest.raises(PermissionDenied):
                services.award_round_open(actor=user, year=YEAR)
        assert not AwardRound.objects.exists()

    @pytest.mark.parametrize(
        "spec",
        [
            CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, finalists_count=2, winners_count=3),
            CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, finalists_count=0),
            CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, min_count=0),
            CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, min_increase=-1),
            # Beyond any year's work, and beyond the database's integer: refused, not a server error.
            CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, min_count=99_999_999_999),
            CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, min_increase=99_999_999_999),
            CategorySpec("chairman", Achievement.PUBLICATIONS),
        ],
    )
    def test_bad_categories_are_refused(self, admin_user, spec):
        with pytest.raises(ValidationError):
            services.award_round_open(actor=admin_user, year=YEAR, categories=[spec])
        assert not AwardRound.objects.exists()

    def test_no_category_and_a_duplicate_category_are_refused(self, admin_user):
        with pytest.raises(ValidationError):
            services.award_round_open(actor=admin_user, year=YEAR, categories=[])
        spec = CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS)
        with pytest.raises(ValidationError):
            services.award_round_open(actor=admin_user, year=YEAR, categories=[spec, spec])


class TestCategories:
    def test_changing_categories_after_a_build_sends_the_round_back_to_draft(self, shortlisted, admin_user):
        specs = [CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, finalists_count=3)]
        services.award_round_set_categories(actor=admin_user, round=shortlisted, categories=specs)
        shortlisted.refresh_from_db()
        assert shortlisted.status == AwardRound.Status.DRAFT and shortlisted.shortlisted_at is None
        assert list(shortlisted.categories.values_list("subject", "finalists_count")) == [(Subject.MANAGER, 3)]
        assert AuditEntry.objects.filter(action="award_round.categories", actor=admin_user).exists()
        assert AuditEntry.objects.filter(action="award_round.draft").exists()
        build(shortlisted)
        assert managers_publications(shortlisted).finalists.count() == 3

    def test_saving_the_same_categories_changes_nothing(self, shortlisted, admin_user):
        from awards.forms import specs_of

        services.award_round_set_categories(actor=admin_user, round=shortlisted, categories=specs_of(shortlisted))
        shortlisted.refresh_from_db()
        assert shortlisted.status == AwardRound.Status.SHORTLISTED
        assert not AuditEntry.objects.filter(action="award_round.categories").exists()

    def test_categories_are_locked_in_review(self, in_review, admin_user):
        with pytest.raises(ValidationError):
            services.award_round_set_categories(
                actor=admin_user, round=in_review, categories=[CategorySpec(Subject.MANAGER, Achievement.EDUCATION)]
            )


class TestTransitions:
    def test_review_needs_a_shortlist(self, round_2025, admin_user):
        with pytest.raises(ValidationError):
            services.award_round_start_review(actor=admin_user, round=round_2025)

    def test_review_needs_at_least_one_finalist(self, admin_user, db):
        round = services.award_round_open(
            actor=admin_user, year=YEAR, categories=[CategorySpec(Subject.MANAGER, Achievement.DEPLOYMENTS)]
        )
        build(round)
        with pytest.raises(ValidationError, match="empty"):
            services.award_round_start_review(actor=admin_user, round=round)

    def test_the_whole_way_is_audited_in_order(self, published):
        actions = list(
            AuditEntry.objects.filter(target_id=str(published.pk), action__startswith="award_round.")
            .exclude(action__in=["award_round.open"])
            .order_by("pk")
            .values_list("changes__status", flat=True)
        )
        assert actions == [
            ["draft", "shortlisting"],
            ["shortlisting", "shortlisted"],
            ["shortlisted", "in_review"],
            ["in_review", "finalised"],
            ["finalised", "published"],
        ]

    def test_no_step_can_be_skipped(self, shortlisted, admin_user):
        with pytest.raises(ValidationError):
            services.award_round_finalise(actor=admin_user, round=shortlisted)
        with pytest.raises(ValidationError):
            services.award_round_publish(actor=admin_user, round=shortlisted)

    def test_a_published_round_stays_published(self, published, admin_user):
        with pytest.raises(ValidationError):
            services.award_round_publish(actor=admin_user, round=published)
        with pytest.raises(ValidationError):
            services.award_round_start_review(actor=admin_user, round=published)


class TestJury:
    def test_jury_member_for_some_categories_audited(self, in_review, jury_user):
        seat = JuryMember.objects.get(round=in_review, user=jury_user)
        assert [c.achievement for c in seat.categories.all()] == [Achievement.PUBLICATIONS]
        assert AuditEntry.objects.filter(action="award_jury.set", target_id=str(in_review.pk)).exists()

    def test_categories_of_another_round_are_refused(self, shortlisted, admin_user, jury_user):
        other = services.award_round_open(actor=admin_user, year=YEAR - 1)
        with pytest.raises(ValidationError):
            services.jury_member_set(
                actor=admin_user, round=shortlisted, user=jury_user, categories=[other.categories.first()]
            )

    def test_only_the_admin_sets_the_jury(self, shortlisted, manager_a, jury_user):
        with pytest.raises(PermissionDenied):
            services.jury_member_set(
                actor=manager_a, round=shortlisted, user=jury_user, categories=[managers_publications(shortlisted)]
            )

    def test_a_jury_member_who_voted_stays(self, in_review, admin_user, jury_user):
        seat = JuryMember.objects.get(user=jury_user)
        services.vote_cast(actor=jury_user, finalist=finalists(managers_publications(in_review))[0], score=4)
        with pytest.raises(ValidationError):
            services.jury_member_remove(actor=admin_user, seat=seat)
        with pytest.raises(ValidationError):
            services.jury_member_set(
                actor=admin_user,
                round=in_review,
                user=jury_user,
                categories=[category(in_review, Subject.MANAGER, Achievement.EDUCATION)],
            )
        assert JuryMember.objects.filter(pk=seat.pk).exists()


class TestVotes:
    def test_a_jury_member_votes_with_a_score_and_comment(self, in_review, jury_user):
        finalist = finalists(managers_publications(in_review))[0]
        vote = services.vote_cast(actor=jury_user, finalist=finalist, score=5, comment="  Rajin menulis.  ")
        assert (vote.score, vote.comment) == (5, "Rajin menulis.")
        assert AuditEntry.objects.filter(action="award.vote", actor=jury_user, target_id=str(finalist.pk)).exists()

    def test_voting_twice_is_refused(self, in_review, jury_user):
        finalist = finalists(managers_publications(in_review))[0]
        services.vote_cast(actor=jury_user, finalist=finalist, score=5)
        with pytest.raises(ValidationError, match="already"):
            services.vote_cast(actor=jury_user, finalist=finalist, score=1)
        assert Vote.objects.get().score == 5

    def test_the_database_refuses_a_second_vote_too(self, in_review, jury_user):
        finalist = finalists(managers_publications(in_review))[0]
        vote = services.vote_cast(actor=jury_user, finalist=finalist, score=5)
        with pytest.raises(IntegrityError):
            Vote.objects.create(jury_member=vote.jury_member, finalist=finalist, score=3)

    def test_voting_outside_ones_categories_is_refused(self, in_review, jury_user):
        other = category(in_review, Subject.TRAINER, Achievement.TRAINERS).finalists.first()
        with pytest.raises(PermissionDenied):
            services.vote_cast(actor=jury_user, finalist=other, score=3)

    def test_only_jury_members_vote(self, in_review, admin_user, manager_a, outsider):
        finalist = finalists(managers_publications(in_review))[0]
        for user in (admin_user, manager_a, outsider):
            with pytest.raises(PermissionDenied):
                services.vote_cast(actor=user, finalist=finalist, score=3)
        assert not Vote.objects.exists()

    @pytest.mark.parametrize("score", [0, 6, None])
    def test_the_score_is_one_to_five(self, in_review, jury_user, score):
        with pytest.raises(ValidationError):
            services.vote_cast(actor=jury_user, finalist=finalists(managers_publications(in_review))[0], score=score)

    def test_no_votes_before_or_after_the_review(self, shortlisted, admin_user, jury_user):
        cat = managers_publications(shortlisted)
        services.jury_member_set(actor=admin_user, round=shortlisted, user=jury_user, categories=[cat])
        with pytest.raises(ValidationError, match="review"):
            services.vote_cast(actor=jury_user, finalist=finalists(cat)[0], score=3)

    def test_nobody_votes_for_themselves(self, in_review, admin_user, garut):
        asep_user = factories.UserFactory(username="asep")
        garut.asep.user = asep_user
        garut.asep.save()
        services.jury_member_set(
            actor=admin_user, round=in_review, user=asep_user, categories=[managers_publications(in_review)]
        )
        asep = Finalist.objects.get(member=garut.asep, category=managers_publications(in_review))
        with pytest.raises(ValidationError, match="yourself"):
            services.vote_cast(actor=asep_user, finalist=asep, score=5)


class TestDecision:
    def test_tally_orders_by_average_then_votes_then_rank(self, in_review, admin_user, jury_user):
        cat = managers_publications(in_review)
        second_juror = factories.UserFactory(username="juri_dua")
        services.jury_member_set(actor=admin_user, round=in_review, user=second_juror, categories=[cat])
        asep, budi, cucu, dedi, euis = finalists(cat)
        services.vote_cast(actor=jury_user, finalist=dedi, score=5)
        services.vote_cast(actor=second_juror, finalist=dedi, score=4)
        services.vote_cast(actor=jury_user, finalist=budi, score=5)
        services.vote_cast(actor=second_juror, finalist=cucu, score=4)
        services.vote_cast(actor=jury_user, finalist=cucu, score=5)
        tally = selectors.category_tally(cat)
        # Budi 5.0 (1 vote); Dedi 4.5 (2) ties Cucu 4.5 (2) -> rank: Cucu (3) before Dedi (4); then
        # no votes: Asep, Euis by rank.
        assert [f.name for f in tally] == ["Budi", "Cucu", "Dedi", "Asep", "Euis"]
        assert selectors.suggested_winner_ids(tally, cat.winners_count) == [budi.pk, cucu.pk, dedi.pk]

    def test_deciding_as_the_tally_suggests_needs_no_reason(self, in_review, admin_user):
        cat = managers_publications(in_review)
        asep, budi, cucu, _dedi, _euis = finalists(cat)
        services.category_decide(actor=admin_user, category=cat, winners=[cucu, asep, budi])
        places = dict(Finalist.objects.filter(category=cat, is_winner=True).values_list("member__full_name", "place"))
        assert places == {"Asep": 1, "Budi": 2, "Cucu": 3}
        entry = AuditEntry.objects.get(action="award.decide")
        assert entry.changes["winners"] == [[], ["Asep", "Budi", "Cucu"]]

    def test_an_override_needs_a_written_reason_and_is_audited(self, in_review, admin_user):
        cat = managers_publications(in_review)
        asep, _budi, _cucu, dedi, euis = finalists(cat)
        with pytest.raises(ValidationError) as exc:
            services.category_decide(actor=admin_user, category=cat, winners=[asep, dedi, euis])
        assert "reason" in exc.value.message_dict
        assert not Finalist.objects.filter(is_winner=True).exists()
        services.category_decide(
            actor=admin_user, category=cat, winners=[asep, dedi, euis], reason="Euis menulis untuk desa terpencil."
        )
        entry = AuditEntry.objects.get(action="award.override")
        assert entry.actor == admin_user and entry.note == "Euis menulis untuk desa terpencil."
        assert entry.changes["winners"][1] == ["Asep", "Dedi", "Euis"]
        assert entry.changes["tally"][1] == ["Asep", "Budi", "Cucu"]

    def test_winners_must_be_finalists_of_the_category_and_not_too_many(self, in_review, admin_user):
        cat = managers_publications(in_review)
        other = category(in_review, Subject.TRAINER, Achievement.TRAINERS).finalists.first()
        with pytest.raises(ValidationError):
            services.category_decide(actor=admin_user, category=cat, winners=[other], reason="x")
        with pytest.raises(ValidationError):
            services.category_decide(actor=admin_user, category=cat, winners=finalists(cat)[:4], reason="x")

    def test_nobody_wins_only_with_a_reason(self, in_review, admin_user):
        cat = category(in_review, Subject.MANAGER, Achievement.DEPLOYMENTS)  # no finalist
        with pytest.raises(ValidationError):
            services.category_decide(actor=admin_user, category=cat, winners=[])
        services.category_decide(actor=admin_user, category=cat, winners=[], reason="Tidak ada finalis.")
        cat.refresh_from_db()
        assert cat.is_decided

    def test_only_the_admin_decides(self, in_review, jury_user):
        cat = managers_publications(in_review)
        with pytest.raises(PermissionDenied):
            services.category_decide(actor=jury_user, category=cat, winners=finalists(cat)[:1])


class TestFinalise:
    def test_finalising_with_undecided_categories_is_refused(self, in_review, admin_user):
        cat = managers_publications(in_review)
        services.category_decide(actor=admin_user, category=cat, winners=finalists(cat)[:3])
        with pytest.raises(ValidationError, match="every category"):
            services.award_round_finalise(actor=admin_user, round=in_review)
        in_review.refresh_from_db()
        assert in_review.status == AwardRound.Status.IN_REVIEW
        assert not Award.objects.exists()

    def test_votes_after_a_decision_that_move_the_tally_need_a_new_decision(self, in_review, admin_user, jury_user):
        # Decided as the tally suggested (no votes yet: the shortlist's top three, no reason needed)...
        decide_all_by_tally(in_review, admin_user)
        cat = managers_publications(in_review)
        _asep, _budi, _cucu, dedi, euis = finalists(cat)
        # ...then the jury votes, and the tally now puts Dedi and Euis first.
        services.vote_cast(actor=jury_user, finalist=dedi, score=5)
        services.vote_cast(actor=jury_user, finalist=euis, score=5)
        with pytest.raises(ValidationError, match="tally changed") as exc:
            services.award_round_finalise(actor=admin_user, round=in_review)
        assert cat.label in exc.value.messages[0]
        assert "Trainers" not in exc.value.messages[0]  # only the categories whose tally moved
        in_review.refresh_from_db()
        assert in_review.status == AwardRound.Status.IN_REVIEW and not Award.objects.exists()
        # Keeping the earlier winners is now an override: it needs (and records) a reason.
        winners = [f for f in finalists(cat) if f.is_winner]
        with pytest.raises(ValidationError):
            services.category_decide(actor=admin_user, category=cat, winners=winners)
        services.category_decide(actor=admin_user, category=cat, winners=winners, reason="Suara juri terlambat.")
        services.award_round_finalise(actor=admin_user, round=in_review)
        assert set(Award.objects.filter(category=cat).values_list("finalist__member__full_name", flat=True)) == {
            "Asep",
            "Budi",
            "Cucu",
        }
        assert AuditEntry.objects.filter(action="award.override", note="Suara juri terlambat.").exists()

    def test_a_decision_that_follows_the_new_tally_finalises(self, in_review, admin_user, jury_user):
        decide_all_by_tally(in_review, admin_user)
        cat = managers_publications(in_review)
        services.vote_cast(actor=jury_user, finalist=finalists(cat)[4], score=5)
        tally = selectors.category_tally(cat)
        new = [f for f in tally if f.pk in selectors.suggested_winner_ids(tally, cat.winners_count)]
        services.category_decide(actor=admin_user, category=cat, winners=new)
        services.award_round_finalise(actor=admin_user, round=in_review)
        assert Award.objects.get(category=cat, place=1).finalist.name == "Euis"

    def test_finalising_with_no_winner_at_all_is_refused(self, in_review, admin_user):
        for c in in_review.categories.all():
            services.category_decide(actor=admin_user, category=c, winners=[], reason="Tahun ini tidak ada.")
        with pytest.raises(ValidationError, match="nothing to award"):
            services.award_round_finalise(actor=admin_user, round=in_review)

    def test_a_non_admin_cannot_finalise(self, in_review, jury_user, manager_a):
        for user in (jury_user, manager_a):
            with pytest.raises(PermissionDenied):
                services.award_round_finalise(actor=user, round=in_review)

    def test_finalising_issues_awards_with_unique_unguessable_codes(self, in_review, admin_user):
        decide_all_by_tally(in_review, admin_user)
        services.award_round_finalise(actor=admin_user, round=in_review)
        winners = Finalist.objects.filter(category__round=in_review, is_winner=True)
        awards = list(Award.objects.filter(round=in_review))
        assert len(awards) == winners.count() > 5
        codes = [a.code for a in awards]
        assert len(set(codes)) == len(codes)
        assert all(len(c) == 16 and set(c) <= set(CODE_ALPHABET) for c in codes)
        assert {a.finalist_id for a in awards} == set(winners.values_list("pk", flat=True))
        assert AuditEntry.objects.filter(action="award_round.finalised", actor=admin_user).exists()

    def test_citations_are_written_from_the_numbers_until_the_admin_writes_one(self, in_review, admin_user, garut):
        decide_all_by_tally(in_review, admin_user)
        services.award_round_finalise(actor=admin_user, round=in_review)
        award = Award.objects.get(finalist__member=garut.asep)
        assert "3" in award.citation_text() and "2025" in award.citation_text() and "+2" in award.citation_text()
        services.award_citation_set(actor=admin_user, award=award, citation="Penulis paling tekun di Tarogong.")
        award.refresh_from_db()
        assert award.citation_text() == "Penulis paling tekun di Tarogong."
        assert AuditEntry.objects.filter(action="award.citation").count() == 1
        services.award_round_publish(actor=admin_user, round=in_review)
        with pytest.raises(ValidationError):
            services.award_citation_set(actor=admin_user, award=award, citation="Lain")


class TestDecideEmpty:
    def test_one_reason_decides_every_category_nobody_reached(self, in_review, admin_user):
        empty = [c for c in in_review.categories.all() if not c.finalists.exists()]
        assert empty  # the test data leaves some categories without finalists
        n = services.categories_decide_empty(actor=admin_user, round=in_review, reason="Tidak ada yang memenuhi syarat")
        assert n == len(empty)
        for cat in empty:
            cat.refresh_from_db()
            assert cat.is_decided and cat.decision_note == "Tidak ada yang memenuhi syarat"
        # Categories with finalists are left for the admin to decide one by one.
        assert not managers_publications(in_review).is_decided
        assert AuditEntry.objects.filter(action__in=["award.decide", "award.override"]).count() == n
        # Running it again finds nothing left to decide.
        assert services.categories_decide_empty(actor=admin_user, round=in_review, reason="lagi") == 0

    def test_a_reason_is_required_and_only_the_admin_may(self, in_review, admin_user, jury_user):
        with pytest.raises(ValidationError) as exc:
            services.categories_decide_empty(actor=admin_user, round=in_review, reason="  ")
        assert "reason" in exc.value.message_dict
        with pytest.raises(PermissionDenied):
            services.categories_decide_empty(actor=jury_user, round=in_review, reason="x")
        assert not in_review.categories.filter(decided_at__isnull=False).exists()
