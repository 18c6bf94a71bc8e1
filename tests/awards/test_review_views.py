"""Award pages of the jury review, checked from the URL: starting it, deciding, finalising and
publishing; the records behind a score and the jury's pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards import services
from awards.models import Achievement, Award, AwardRound, Finalist, JuryMember, Subject, Vote
from kpmi_si.audit.models import AuditEntry

from .conftest import category

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["officer_communities", "manager_a", "supervisor_a", "member_user_a", "outsider"]


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


class TestReviewAndDecision:
    def test_start_review_finalise_and_publish_from_the_page(self, client_for, admin_user, shortlisted):
        client = client_for(admin_user)
        assert client.post(url("review_start", shortlisted.pk), {"confirm": "yes"}).status_code == 302
        shortlisted.refresh_from_db()
        assert shortlisted.status == AwardRound.Status.IN_REVIEW
        # Finalising with undecided categories: refused with a message, nothing changes.
        response = client.post(url("round_finalise", shortlisted.pk), {"confirm": "yes"}, follow=True)
        assert any(m.level_tag == "error" for m in response.context["messages"])
        shortlisted.refresh_from_db()
        assert shortlisted.status == AwardRound.Status.IN_REVIEW
        from .conftest import decide_all_by_tally

        decide_all_by_tally(shortlisted, admin_user)
        assert client.post(url("round_finalise", shortlisted.pk), {"confirm": "yes"}).status_code == 302
        assert client.post(url("round_publish", shortlisted.pk), {"confirm": "yes"}).status_code == 302
        shortlisted.refresh_from_db()
        assert shortlisted.status == AwardRound.Status.PUBLISHED

    def test_categories_nobody_reached_are_decided_at_once_from_the_round_page(
        self, client_for, admin_user, jury_user, in_review
    ):
        client = client_for(admin_user)
        page = client.get(in_review.get_absolute_url())
        empty = page.context["empty_undecided"]
        assert empty and 'id="decide-empty"' in page.content.decode()
        # No reason: refused with a message, nothing decided.
        response = client.post(url("categories_decide_empty", in_review.pk), {"reason": ""}, follow=True)
        assert any(m.level_tag == "error" for m in response.context["messages"])
        assert not in_review.categories.filter(decided_at__isnull=False).exists()
        assert (
            client_for(jury_user).post(url("categories_decide_empty", in_review.pk), {"reason": "x"}).status_code == 403
        )
        response = client.post(url("categories_decide_empty", in_review.pk), {"reason": "Belum ada"}, follow=True)
        assert response.context["empty_undecided"] == []
        assert in_review.categories.filter(decided_at__isnull=False).count() == len(empty)
        assert 'id="decide-empty"' not in response.content.decode()

    @pytest.mark.parametrize("who", ["jury_user", "manager_a", "supervisor_a", "outsider"])
    def test_a_non_admin_finalising_gets_403(self, request, client_for, who, in_review, admin_user):
        from .conftest import decide_all_by_tally

        decide_all_by_tally(in_review, admin_user)
        assert client_for(request.getfixturevalue(who)).post(url("round_finalise", in_review.pk)).status_code == 403
        in_review.refresh_from_db()
        assert in_review.status == AwardRound.Status.IN_REVIEW

    def test_decide_page_shows_the_tally_and_ticks_its_suggestion(self, client_for, admin_user, in_review, jury_user):
        cat = category(in_review, Subject.MANAGER, Achievement.PUBLICATIONS)
        dedi = cat.finalists.get(rank=4)
        services.vote_cast(actor=jury_user, finalist=dedi, score=5, comment="Konsisten")
        response = client_for(admin_user).get(url("category_decide", cat.pk))
        assert response.status_code == 200
        assert response.context["tally"][0] == dedi
        assert dedi.pk in response.context["chosen"]
        assert "Konsisten" in response.content.decode()

    def test_override_needs_a_reason_on_the_page(self, client_for, admin_user, in_review):
        client = client_for(admin_user)
        cat = category(in_review, Subject.MANAGER, Achievement.PUBLICATIONS)
        euis = cat.finalists.get(rank=5)
        response = client.post(url("category_decide", cat.pk), {"winners": [euis.pk]})
        assert response.status_code == 200 and response.context["form"].errors["reason"]
        response = client.post(url("category_decide", cat.pk), {"winners": [euis.pk], "reason": "Karya terbaik."})
        assert response.status_code == 302
        assert Finalist.objects.get(pk=euis.pk).is_winner
        assert AuditEntry.objects.filter(action="award.override", note="Karya terbaik.").exists()

    def test_round_history_says_who_did_what_to_which_category_old_to_new(self, client_for, admin_user, in_review):
        cat = category(in_review, Subject.MANAGER, Achievement.PUBLICATIONS)
        euis = cat.finalists.get(rank=5)
        services.category_decide(actor=admin_user, category=cat, winners=[euis], reason="Karya terbaik.")
        response = client_for(admin_user).get(url("round_detail", in_review.pk), HTTP_ACCEPT_LANGUAGE="en")
        history = response.content.decode().split("History", 1)[1]
        assert f"Winners decided against the jury&#x27;s tally ({cat.label}): — → Euis — Karya terbaik." in history
        assert "Jury review started: Shortlisted → Jury review" in history
        assert "Shortlist built: Building the shortlist → Shortlisted" in history
        assert "award_round." not in history and "award.override" not in history  # no internal codes

    def test_finalising_after_the_tally_moved_is_refused_on_the_page(
        self, client_for, admin_user, in_review, jury_user
    ):
        from .conftest import decide_all_by_tally

        decide_all_by_tally(in_review, admin_user)
        cat = category(in_review, Subject.MANAGER, Achievement.PUBLICATIONS)
        services.vote_cast(actor=jury_user, finalist=cat.finalists.get(rank=5), score=5)
        response = client_for(admin_user).post(
            url("round_finalise", in_review.pk), {"confirm": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
        )
        errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        assert len(errors) == 1 and "tally changed" in errors[0] and cat.label in errors[0]
        in_review.refresh_from_db()
        assert in_review.status == AwardRound.Status.IN_REVIEW and not Award.objects.exists()

    def test_decide_page_is_admin_only(self, client_for, jury_user, in_review):
        cat = category(in_review, Subject.MANAGER, Achievement.PUBLICATIONS)
        assert client_for(jury_user).get(url("category_decide", cat.pk)).status_code == 403
        assert client_for(jury_user).post(url("category_decide", cat.pk), {"reason": "x"}).status_code == 403

    @pytest.mark.parametrize("winner", ["²", str(2**63), "-" + str(2**64)])
    def test_a_winner_that_is_no_id_is_a_field_error(self, client_for, admin_user, in_review, winner):
        """ "²" passes str.isdigit() but not int(); an id beyond 64 bits made SQLite's driver raise
        OverflowError (`make run`): the refused form must still render."""
        cat = category(in_review, Subject.MANAGER, Achievement.PUBLICATIONS)
        response = client_for(admin_user, raise_request_exception=False).post(
            url("category_decide", cat.pk), {"winners": [winner], "reason": ""}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["winners"]
        cat.refresh_from_db()
        assert not cat.is_decided

    def test_jury_page_adds_a_member_by_username(self, client_for, admin_user, shortlisted, outsider):
        client = client_for(admin_user)
        cat = category(shortlisted, Subject.TRAINER, Achievement.TRAINERS)
        response = client.post(url("jury_manage", shortlisted.pk), {"username": "OUTSIDER", "categories": [cat.pk]})
        assert response.status_code == 302
        seat = JuryMember.objects.get(user=outsider)
        assert list(seat.categories.all()) == [cat]
        response = client.post(url("jury_manage", shortlisted.pk), {"username": "nobody", "categories": [cat.pk]})
        assert response.status_code == 200 and response.context["form"].errors["username"]
        assert client.post(url("jury_remove", seat.pk)).status_code == 302
        assert not JuryMember.objects.filter(pk=seat.pk).exists()

    def test_citation_page(self, client_for, admin_user, in_review, garut):
        from .conftest import decide_all_by_tally

        decide_all_by_tally(in_review, admin_user)
        services.award_round_finalise(actor=admin_user, round=in_review)
        award = Award.objects.get(finalist__member=garut.tini)
        client = client_for(admin_user)
        assert client.get(url("award_edit", award.pk)).status_code == 200
        assert client.post(url("award_edit", award.pk), {"citation": "Pelatih teladan."}).status_code == 302
        award.refresh_from_db()
        assert award.citation == "Pelatih teladan."


class TestRecordsAndJury:
    def test_admin_sees_the_records_behind_a_score(self, client_for, admin_user, shortlisted, garut):
        finalist = Finalist.objects.get(member=garut.tini)
        response = client_for(admin_user).get(url("finalist_records", finalist.pk))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Gita" in body and "Hadi" in body and "Iwan" in body  # two in 2025, one in 2024
        assert list(response.context["records"].this_year.values_list("member__full_name", flat=True)) == [
            "Gita",
            "Hadi",
        ]

    def test_jury_sees_records_of_their_categories_only(self, client_for, in_review, jury_user, garut):
        client = client_for(jury_user)
        asep = Finalist.objects.get(member=garut.asep)
        tini = Finalist.objects.get(member=garut.tini)
        assert client.get(url("finalist_records", asep.pk)).status_code == 200
        assert client.get(url("finalist_records", tini.pk)).status_code == 403
        assert client.get(url("jury_finalist", tini.pk)).status_code == 403
        assert client.post(url("jury_finalist", tini.pk), {"score": 5}).status_code == 403
        assert not Vote.objects.exists()

    @pytest.mark.parametrize("who", OTHER_ROLES)
    def test_other_roles_see_no_records_and_no_jury_pages(self, request, client_for, who, in_review, garut):
        client = client_for(request.getfixturevalue(who))
        asep = Finalist.objects.get(member=garut.asep)
        assert client.get(url("finalist_records", asep.pk)).status_code == 403
        assert client.get(url("jury_home")).status_code == 403
        assert client.get(url("jury_round", in_review.pk)).status_code == 403
        assert client.get(url("jury_finalist", asep.pk)).status_code == 403

    def test_jury_votes_once_from_the_page(self, client_for, in_review, jury_user, garut):
        client = client_for(jury_user)
        assert client.get(url("jury_home")).status_code == 200
        page = client.get(url("jury_round", in_review.pk))
        assert page.status_code == 200 and "Asep" in page.content.decode()
        asep = Finalist.objects.get(member=garut.asep)
        assert client.get(url("jury_finalist", asep.pk)).context["can_vote"] is True
        response = client.post(url("jury_finalist", asep.pk), {"score": "4", "comment": "Bagus"})
        assert response.status_code == 302
        assert Vote.objects.get().score == 4
        again = client.post(url("jury_finalist", asep.pk), {"score": "1"})
        assert again.status_code == 200 and again.context["form"].non_field_errors()
        assert Vote.objects.get().score == 4
        assert client.get(url("jury_finalist", asep.pk)).context["can_vote"] is False
        bad = client.post(url("jury_finalist", asep.pk), {"score": "9"})
        assert bad.status_code == 200 and bad.context["form"].errors["score"]

    def test_jury_pages_wrong_method(self, client_for, in_review, jury_user):
        client = client_for(jury_user)
        assert client.post(url("jury_home")).status_code == 405
        assert client.post(url("jury_round", in_review.pk)).status_code == 405

    def test_unknown_finalist_is_404(self, client_for, admin_user):
        assert client_for(admin_user).get(url("finalist_records", 99999)).status_code == 404
