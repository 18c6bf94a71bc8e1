"""Award pages, checked from the URL: each works for its role, refuses the wrong method and the wrong
role, and does not show another's data; list pages run a bounded number of queries. Public pages,
certificates and managing rounds here; the review in test_review_views, award lists in test_award_lists."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.urls import reverse

from awards import services
from awards.models import Achievement, Award, AwardRound, Finalist, ShortlistBuild, Subject
from tests.forms import form_data

from .conftest import YEAR, category

pytestmark = pytest.mark.django_db

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

    def test_the_open_form_sent_twice_opens_one_round_and_says_so(self, client_for, admin_user):
        client = client_for(admin_user)
        data = form_data(client.get(url("round_open")).context["form"], year=YEAR)
        first = client.post(url("round_open"), data, follow=True)
        second = client.post(url("round_open"), data, follow=True)
        round = AwardRound.objects.get()
        assert first.redirect_chain == second.redirect_chain == [(url("round_detail", round.pk), 302)]
        (message,) = second.context["messages"]
        assert message.level == messages.INFO and "sudah tersimpan" in message.message

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
        assert client.get(url("shortlist_start", shortlisted.pk)).status_code == 405
        for name in ("review_start", "round_finalise", "round_publish"):  # a confirmation page first (#14)
            assert client.put(url(name, shortlisted.pk)).status_code == 405, name
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
