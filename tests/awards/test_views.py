"""Award pages, checked from the URL: each works for its role, refuses the wrong method and the wrong
role, and does not show another's data; list pages run a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.models import Achievement, Award, AwardRound, Finalist, JuryMember, ShortlistBuild, Subject, Vote
from kpmi_si.audit.models import AuditEntry
from members.models import Level
from tests import factories

from .conftest import YEAR, category

pytestmark = pytest.mark.django_db

# Pages that list awards received, whatever the number of awards. The KPMI page: for everybody the
# group with its counts, supervisors and offshoots (3) and one query per award source (2); a keeper
# adds the session, permissions, the work summary and the targets' progress. The member page: the
# members app's bound (tests/members), plus the recent work a member with logged work shows.
KPMI_PAGE_QUERIES_PUBLIC = 5
KPMI_PAGE_QUERIES_KEEPER = 14
MEMBER_PAGE_QUERIES = 16

OTHER_ROLES = ["officer_communities", "manager_a", "supervisor_a", "member_user_a", "outsider"]


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


class TestPublic:
    def test_years_list_shows_published_rounds_only(self, client, published, admin_user):
        services.award_round_open(actor=admin_user, year=YEAR - 1)  # a draft: not public
        response = client.get(url("index"))
        assert response.status_code == 200
        assert [r.year for r in response.context["rounds"]] == [YEAR]
        assert client.post(url("index")).status_code == 405

    def test_winners_page_shows_names_kpmi_district_and_citation(self, client, published, garut):
        response = client.get(url("year", YEAR))
        assert response.status_code == 200
        body = response.content.decode()
        for text in ("Asep", "KPMI Alfa", "Tarogong Kidul", "Cibatu", "Popon", "Tini"):
            assert text in body
        assert "+2" in body  # Asep's citation: 3 in 2025, +2 compared with 2024
        # Personal data never shows on a public page.
        assert garut.asep.email not in body or not garut.asep.email
        assert "2000" not in body  # birth years

    def test_winners_page_filters_by_district_and_who(self, client, published, garut):
        awards = client.get(url("year", YEAR), {"kecamatan": garut.kpmi_b.kecamatan_id}).context["awards"]
        assert {a.finalist.kpmi_id for a in awards} == {garut.kpmi_b.pk}
        awards = client.get(url("year", YEAR), {"subject": Subject.SUPERVISOR}).context["awards"]
        assert awards and all(a.finalist.supervisor_id for a in awards)
        assert client.get(url("year", YEAR), {"kecamatan": "nonsense", "subject": "x"}).status_code == 200

    def test_a_year_not_published_is_not_found(self, client, in_review):
        assert client.get(url("year", YEAR)).status_code == 404
        assert client.get(url("year", 1990)).status_code == 404

    def test_winners_page_runs_a_bounded_number_of_queries(self, client, published, django_assert_max_num_queries):
        assert Award.objects.count() > 8
        with django_assert_max_num_queries(6):
            assert client.get(url("year", YEAR)).status_code == 200

    def test_the_scoring_rule_is_shown_where_scores_are_read(
        self, client, client_for, published, admin_user, jury_user
    ):
        # The absolute count, "raising" against the year before, and the tie-break: on the public
        # winners page, the admin's round page and the jury's page.
        pages = [
            client.get(url("year", YEAR), HTTP_ACCEPT_LANGUAGE="en"),
            client_for(admin_user).get(url("round_detail", published.pk), HTTP_ACCEPT_LANGUAGE="en"),
            client_for(jury_user).get(url("jury_round", published.pk), HTTP_ACCEPT_LANGUAGE="en"),
        ]
        for response in pages:
            body = response.content.decode()
            assert response.status_code == 200
            assert "How the shortlist is scored" in body
            assert "Score: the count in the year, from the logged data." in body
            assert "Raising: the change against the year before." in body
            assert "Then the earlier join date" in body
            assert "Approved publications the member is credited on, dated in the year." in body

    def test_the_nav_links_the_awards_for_everyone(self, client):
        assert url("index") in client.get(reverse("directory:kpmi_list")).content.decode()


class TestCertificates:
    def test_certificate_pdf_of_a_published_award(self, client, published, garut):
        award = Award.objects.get(finalist__member=garut.asep)
        response = client.get(url("certificate", award.code_display))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert client.post(url("certificate", award.code_display)).status_code == 405

    def test_the_verification_page_confirms_a_code_typed_any_way(self, client, published, garut):
        award = Award.objects.get(finalist__member=garut.asep)
        for typed in (award.code, award.code_display, award.code_display.lower(), f"  {award.code.lower()} "):
            response = client.get(url("verify"), {"code": typed})
            assert response.status_code == 302
            page = client.get(response["Location"])
            assert page.status_code == 200
            body = page.content.decode()
            assert "Asep" in body and "KPMI Alfa" in body and award.code_display in body
            # The form to check the next certificate, empty.
            assert 'name="code"' in body and f'value="{award.code_display}"' not in body

    def test_an_unknown_code_is_a_clear_not_found_page(self, client, published):
        response = client.get(url("verify_code", "ABCD-EFGH-JKLM-NPQR"))
        assert response.status_code == 404
        assert response.context["code"] == "ABCD-EFGH-JKLM-NPQR"
        assert "ABCD-EFGH-JKLM-NPQR" in response.content.decode()
        assert client.get(url("verify_code", "<script>")).status_code == 404
        # A certificate link with a wrong code says so as clearly, with the form to type it again.
        response = client.get(url("certificate", "ABCD-EFGH-JKLM-NPQR"), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
        body = response.content.decode()
        assert "Certificate not found" in body and "ABCD-EFGH-JKLM-NPQR" in body
        assert 'name="code"' in body

    def test_an_empty_code_shows_the_form_again(self, client):
        response = client.get(url("verify"), {"code": " - "})
        assert response.status_code == 200 and response.context["form"].errors
        assert client.get(url("verify")).status_code == 200

    def test_codes_of_a_round_not_yet_published_do_not_verify(self, client, in_review, admin_user):
        from .conftest import decide_all_by_tally

        decide_all_by_tally(in_review, admin_user)
        services.award_round_finalise(actor=admin_user, round=in_review)
        award = Award.objects.first()
        assert client.get(url("verify_code", award.code)).status_code == 404
        assert client.get(url("certificate", award.code)).status_code == 404

    def test_admin_previews_a_certificate_before_publication(self, client_for, in_review, admin_user, manager_a):
        from .conftest import decide_all_by_tally

        decide_all_by_tally(in_review, admin_user)
        services.award_round_finalise(actor=admin_user, round=in_review)
        award = Award.objects.first()
        response = client_for(admin_user).get(url("award_certificate", award.pk))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert client_for(manager_a).get(url("award_certificate", award.pk)).status_code == 403


class TestManageRounds:
    def test_admin_opens_a_round_with_the_defaults_prefilled(self, client_for, admin_user):
        client = client_for(admin_user)
        form = client.get(url("round_open")).context["form"]
        assert form["c-manager-publications-on"].value() is True
        assert form["c-candidate-deployments-on"].value() is False
        data = {"year": YEAR, "c-manager-publications-on": "on", "c-manager-publications-finalists": "4"}
        data |= {"c-manager-publications-winners": "2", "c-manager-publications-min": "2"}
        data |= {"c-supervisor-kpmi_founded-on": "on"}
        response = client.post(url("round_open"), data)
        round = AwardRound.objects.get(year=YEAR)
        assert response.status_code == 302 and response["Location"] == url("round_detail", round.pk)
        got = sorted(
            round.categories.values_list("subject", "achievement", "finalists_count", "winners_count", "min_count")
        )
        assert got == [
            (Subject.MANAGER, Achievement.PUBLICATIONS, 4, 2, 2),
            (Subject.SUPERVISOR, Achievement.KPMI_FOUNDED, 5, 1, 1),
        ]

    def test_a_second_round_for_the_year_shows_an_error(self, client_for, admin_user, round_2025):
        response = client_for(admin_user).post(url("round_open"), {"year": YEAR, "c-manager-publications-on": "on"})
        assert response.status_code == 200
        assert response.context["form"].errors["year"]
        assert AwardRound.objects.count() == 1

    def test_winners_above_finalists_and_no_category_show_errors(self, client_for, admin_user):
        client = client_for(admin_user)
        data = {"year": YEAR, "c-manager-publications-on": "on"}
        data |= {"c-manager-publications-finalists": "2", "c-manager-publications-winners": "3"}
        assert client.post(url("round_open"), data).status_code == 200
        assert client.post(url("round_open"), {"year": YEAR}).status_code == 200
        assert not AwardRound.objects.exists()

    @pytest.mark.parametrize("field", ["min", "increase"])
    def test_a_huge_minimum_is_a_field_error_not_a_server_error(self, client_for, admin_user, shortlisted, field):
        client = client_for(admin_user)
        data = {"year": YEAR - 1, "c-manager-publications-on": "on", f"c-manager-publications-{field}": "99999999999"}
        response = client.post(url("round_open"), data)
        assert response.status_code == 200 and response.context["form"].errors[f"c-manager-publications-{field}"]
        assert not AwardRound.objects.filter(year=YEAR - 1).exists()
        # The same on the categories page of an open round: nothing changes.
        before = list(shortlisted.categories.values_list("subject", "achievement", "min_count", "min_increase"))
        response = client.post(url("round_categories", shortlisted.pk), data)
        assert response.status_code == 200 and response.context["form"].errors[f"c-manager-publications-{field}"]
        assert list(shortlisted.categories.values_list("subject", "achievement", "min_count", "min_increase")) == before

    @pytest.mark.parametrize("who", OTHER_ROLES)
    def test_other_roles_get_403(self, request, client_for, who, shortlisted):
        client = client_for(request.getfixturevalue(who))
        for name, args in [
            ("manage", ()),
            ("round_open", ()),
            ("round_detail", (shortlisted.pk,)),
            ("round_categories", (shortlisted.pk,)),
            ("jury_manage", (shortlisted.pk,)),
        ]:
            assert client.get(url(name, *args)).status_code == 403, name
        for name in ("shortlist_start", "review_start", "round_finalise", "round_publish"):
            assert client.post(url(name, shortlisted.pk)).status_code == 403, name
        assert client.post(url("round_open"), {"year": YEAR - 1, "c-manager-publications-on": "on"}).status_code == 403
        assert AwardRound.objects.count() == 1

    def test_anonymous_goes_to_login(self, client, shortlisted):
        assert client.get(url("manage")).status_code == 302
        assert client.get(url("round_detail", shortlisted.pk)).status_code == 302

    def test_wrong_methods(self, client_for, admin_user, shortlisted):
        client = client_for(admin_user)
        for name in ("shortlist_start", "review_start", "round_finalise", "round_publish"):
            assert client.get(url(name, shortlisted.pk)).status_code == 405, name
        assert client.post(url("manage")).status_code == 405
        assert client.post(url("round_detail", shortlisted.pk)).status_code == 405

    def test_round_page_shows_shortlist_scores_rule_and_history(self, client_for, admin_user, shortlisted):
        response = client_for(admin_user).get(url("round_detail", shortlisted.pk))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Asep" in body and "Tini" in body
        pubs = category(shortlisted, Subject.MANAGER, Achievement.PUBLICATIONS)
        asep = pubs.finalists.get(rank=1)
        assert url("finalist_records", asep.pk) in body
        assert response.context["rules"]
        assert [e.action for e in response.context["trail"]][:2] == [
            "award_round.shortlisted",
            "award_round.shortlisting",
        ]

    def test_round_page_runs_a_bounded_number_of_queries(
        self, client_for, admin_user, in_review, jury_user, django_assert_max_num_queries
    ):
        cat = category(in_review, Subject.MANAGER, Achievement.PUBLICATIONS)
        for finalist in cat.finalists.all():
            services.vote_cast(actor=jury_user, finalist=finalist, score=3)
        assert Finalist.objects.filter(category__round=in_review).count() > 15
        client = client_for(admin_user)
        with django_assert_max_num_queries(14):
            assert client.get(url("round_detail", in_review.pk)).status_code == 200

    def test_unknown_round_is_404(self, client_for, admin_user):
        assert client_for(admin_user).get(url("round_detail", 999)).status_code == 404

    def test_build_from_the_page_runs_in_process_and_reports_progress(
        self, client_for, admin_user, round_2025, garut, django_capture_on_commit_callbacks
    ):
        client = client_for(admin_user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("shortlist_start", round_2025.pk))
        assert response.status_code == 302
        round_2025.refresh_from_db()
        assert round_2025.status == AwardRound.Status.SHORTLISTED
        build = ShortlistBuild.objects.get()
        status = client.get(url("build_status", build.pk)).json()
        assert status == {
            "status": "succeeded",
            "label": build.get_status_display(),
            "percent": 100,
            "active": False,
            "error": "",
        }

    def test_the_progress_bar_shows_while_a_build_is_queued(self, client_for, admin_user, round_2025):
        build, _ = services.shortlist_create(actor=admin_user, round=round_2025)
        body = client_for(admin_user).get(url("round_detail", round_2025.pk)).content.decode()
        assert 'id="evaluation-progress"' in body and url("build_status", build.pk) in body
        assert client_for(admin_user).get(url("build_status", build.pk)).json()["active"] is True

    def test_build_status_is_admin_only(self, client_for, manager_a, round_2025):
        build, _ = services.shortlist_create(actor=None, round=round_2025)
        assert client_for(manager_a).get(url("build_status", build.pk)).status_code == 403

    def test_a_locked_shortlist_is_not_rebuilt_from_the_page(self, client_for, admin_user, in_review):
        response = client_for(admin_user).post(url("shortlist_start", in_review.pk), follow=True)
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        assert ShortlistBuild.objects.filter(round=in_review).count() == 1

    def test_categories_page(self, client_for, admin_user, shortlisted):
        client = client_for(admin_user)
        assert client.get(url("round_categories", shortlisted.pk)).status_code == 200
        response = client.post(url("round_categories", shortlisted.pk), {"c-pioneer-trainers-on": "on"})
        assert response.status_code == 302
        shortlisted.refresh_from_db()
        assert list(shortlisted.categories.values_list("subject", "achievement")) == [("pioneer", "trainers")]
        assert shortlisted.status == AwardRound.Status.DRAFT


class TestReviewAndDecision:
    def test_start_review_finalise_and_publish_from_the_page(self, client_for, admin_user, shortlisted):
        client = client_for(admin_user)
        assert client.post(url("review_start", shortlisted.pk)).status_code == 302
        shortlisted.refresh_from_db()
        assert shortlisted.status == AwardRound.Status.IN_REVIEW
        # Finalising with undecided categories: refused with a message, nothing changes.
        response = client.post(url("round_finalise", shortlisted.pk), follow=True)
        assert any(m.level_tag == "error" for m in response.context["messages"])
        shortlisted.refresh_from_db()
        assert shortlisted.status == AwardRound.Status.IN_REVIEW
        from .conftest import decide_all_by_tally

        decide_all_by_tally(shortlisted, admin_user)
        assert client.post(url("round_finalise", shortlisted.pk)).status_code == 302
        assert client.post(url("round_publish", shortlisted.pk)).status_code == 302
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
            url("round_finalise", in_review.pk), follow=True, HTTP_ACCEPT_LANGUAGE="en"
        )
        errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        assert len(errors) == 1 and "tally changed" in errors[0] and cat.label in errors[0]
        in_review.refresh_from_db()
        assert in_review.status == AwardRound.Status.IN_REVIEW and not Award.objects.exists()

    def test_decide_page_is_admin_only(self, client_for, jury_user, in_review):
        cat = category(in_review, Subject.MANAGER, Achievement.PUBLICATIONS)
        assert client_for(jury_user).get(url("category_decide", cat.pk)).status_code == 403
        assert client_for(jury_user).post(url("category_decide", cat.pk), {"reason": "x"}).status_code == 403

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


class TestMemberAndKpmiPages:
    def test_awards_received_show_on_the_member_and_kpmi_pages(self, client, client_for, published, garut, manager_a):
        page = client.get(garut.kpmi_a.get_absolute_url())  # public
        body = page.content.decode()
        assert "Asep" in body and url("year", YEAR) in body
        member_page = client_for(manager_a).get(garut.asep.get_absolute_url()).content.decode()
        award = Award.objects.get(finalist__member=garut.asep)
        assert url("certificate", award.code_display) in member_page

    def test_nothing_shows_before_publication(self, client, in_review, garut):
        body = client.get(garut.kpmi_a.get_absolute_url()).content.decode()
        assert url("year", YEAR) not in body


def grant(officer, member, name: str, day: dt.date | None = None):
    """An association award from the Platform association (programs app), as its officer grants it."""
    from associations.models import Association
    from programs import services as program_services

    return program_services.association_award_grant(
        actor=officer,
        association=Association.objects.get(code="platform"),
        member=member,
        name=name,
        reason=f"Alasan: {name}",
        awarded_on=day or dt.date(YEAR, 11, 20),
    )


def award_queries(context: CaptureQueriesContext) -> int:
    tables = ('"awards_award"', '"programs_associationaward"')
    return sum(1 for q in context.captured_queries if any(f"FROM {t}" in q["sql"] for t in tables))


def awards_section(body: str) -> str:
    """The merged list of awards received (one section for every source)."""
    assert body.count('id="awards-received"') == 1
    start = body.index('id="awards-received"')
    return body[start : body.index("</section>", start)]


class TestAssociationAwardsJoinTheList:
    """Association awards (programs app) are listed with KOMTIK's annual awards, on the member page and
    on the KPMI page, in one list."""

    @pytest.fixture
    def rahmat(self, kpmi_a):
        """A manager of KPMI A with an association award and no annual award."""
        return factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Rahmat Penerap")

    def test_member_with_both_sees_both_in_one_list(self, client_for, published, garut, manager_a, officer_platform):
        grant(officer_platform, garut.asep, "Relawan Penerapan TIK")
        round_award = Award.objects.get(finalist__member=garut.asep)
        section = awards_section(client_for(manager_a).get(garut.asep.get_absolute_url()).content.decode())
        assert "Relawan Penerapan TIK" in section and "Alasan: Relawan Penerapan TIK" in section  # with its reason
        assert "Perhimpunan" in section or "Platform" in section  # given by the association (its name)
        assert url("certificate", round_award.code_display) in section and url("year", YEAR) in section
        assert "KOMTIK Garut" in section
        # The section of issue 5 is gone: one list, not two.
        assert (
            'id="association-awards"' not in client_for(manager_a).get(garut.asep.get_absolute_url()).content.decode()
        )

    def test_the_member_sees_their_own(self, client_for, published, member_user_a, officer_platform, admin_user):
        from members import services as member_services

        member = member_user_a.member
        member_services.member_change_level(actor=admin_user, member=member, to_level=Level.MANAGER, reason="a")
        member.refresh_from_db()
        grant(officer_platform, member, "Relawan Teladan")
        body = client_for(member_user_a).get(member.get_absolute_url()).content.decode()
        assert "Relawan Teladan" in awards_section(body)

    def test_kpmi_page_lists_both_across_years(
        self, client, client_for, published, garut, rahmat, manager_a, officer_platform
    ):
        grant(officer_platform, rahmat, "Relawan Penerapan TIK", day=dt.date(YEAR - 1, 3, 1))
        grant(officer_platform, garut.asep, "Penggerak Jaringan Desa")
        for client_ in (client, client_for(manager_a)):
            section = awards_section(client_.get(garut.kpmi_a.get_absolute_url()).content.decode())
            assert "Relawan Penerapan TIK" in section and "Penggerak Jaringan Desa" in section
            assert "Asep" in section and url("year", YEAR) in section  # the annual award, public
            # Newest year first: the 2025 awards, then the 2024 association award.
            assert section.index("Penggerak Jaringan Desa") < section.index("Relawan Penerapan TIK")
            assert section.index(url("year", YEAR)) < section.index("Relawan Penerapan TIK")

    def test_the_public_kpmi_page_does_not_name_an_association_awards_recipient(
        self, client, client_for, published, rahmat, manager_a, officer_communities, officer_platform
    ):
        grant(officer_platform, rahmat, "Relawan Penerapan TIK")
        public = awards_section(client.get(rahmat.kpmi.get_absolute_url()).content.decode())
        assert "Relawan Penerapan TIK" in public and "Rahmat Penerap" not in public
        assert "Alasan" not in public  # reasons stay on the member's page
        for who in (manager_a, officer_communities):  # those who may see the member list
            section = awards_section(client_for(who).get(rahmat.kpmi.get_absolute_url()).content.decode())
            assert "Rahmat Penerap" in section

    def test_another_kpmi_does_not_list_them(self, client, published, garut, rahmat, officer_platform):
        grant(officer_platform, rahmat, "Relawan Penerapan TIK")
        body = client.get(garut.kpmi_b.get_absolute_url()).content.decode()
        assert "Relawan Penerapan TIK" not in body

    def test_an_association_award_shows_without_any_annual_round(
        self, client, client_for, rahmat, manager_a, officer_platform
    ):
        grant(officer_platform, rahmat, "Relawan Penerapan TIK")
        assert "Relawan Penerapan TIK" in awards_section(
            client_for(manager_a).get(rahmat.get_absolute_url()).content.decode()
        )
        assert "Relawan Penerapan TIK" in awards_section(client.get(rahmat.kpmi.get_absolute_url()).content.decode())

    def test_member_page_queries_do_not_grow(self, client_for, published, garut, manager_a, officer_platform):
        client = client_for(manager_a)
        with CaptureQueriesContext(connection) as only_the_annual_award:
            assert client.get(garut.asep.get_absolute_url()).status_code == 200
        for n in range(1, 7):
            grant(officer_platform, garut.asep, f"Penghargaan {n}", day=dt.date(YEAR - n, 5, 1))
        with CaptureQueriesContext(connection) as with_association_awards:
            body = client.get(garut.asep.get_absolute_url()).content.decode()
        assert all(f"Penghargaan {n}" in body for n in range(1, 7))
        # The merged list costs what the two sections cost before: one query per award source,
        # however many awards; the page as a whole does not grow with them.
        assert award_queries(with_association_awards) == 2
        assert len(with_association_awards) == len(only_the_annual_award) <= MEMBER_PAGE_QUERIES

    def test_kpmi_page_queries_do_not_grow(
        self, client, client_for, published, garut, rahmat, manager_a, officer_platform
    ):
        readers = {
            "public": (client, KPMI_PAGE_QUERIES_PUBLIC),
            "keeper": (client_for(manager_a), KPMI_PAGE_QUERIES_KEEPER),
        }
        before = {}
        for who, (client_, _bound) in readers.items():
            with CaptureQueriesContext(connection) as only_the_annual_awards:
                assert client_.get(garut.kpmi_a.get_absolute_url()).status_code == 200
            before[who] = len(only_the_annual_awards)
        for n in range(1, 7):
            grant(officer_platform, rahmat if n % 2 else garut.asep, f"Penghargaan {n}", day=dt.date(YEAR - n, 5, 1))
        for who, (client_, bound) in readers.items():
            with CaptureQueriesContext(connection) as queries:
                body = client_.get(garut.kpmi_a.get_absolute_url()).content.decode()
            assert all(f"Penghargaan {n}" in body for n in range(1, 7))
            assert award_queries(queries) == 2
            assert len(queries) == before[who] <= bound, who
