"""Association pages, checked from the URL: dashboards, drill-down, export, targets, periods."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from associations import selectors, services
from associations.metrics import METRICS
from associations.models import Evaluation, Period, Target, TargetResult
from associations.templatetags.dashboard_rows import ROW_FIELDS
from members.models import Kecamatan, Level
from programs.models import Kind
from tests import factories
from tests.programs.factories import make_activity

from .conftest import day

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(period, officer_users, users_association, kpmi_a, kpmi_b):
    services.target_set(
        actor=officer_users, period=period, association=users_association, metric="publications", value=2
    )
    lead = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Asep Rajin")
    idle = factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Dadan Santai")
    for month in (3, 4):
        make_activity(kpmi=kpmi_a, credited=[lead], kind=Kind.PUBLICATION, date=day(month))
    evaluation, _ = services.evaluation_create(actor=None, period=period)
    services.period_evaluate(evaluation_id=evaluation.pk)
    return {"lead": lead, "idle": idle}


def url(code="users", **params):
    base = reverse("associations:home", args=[code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


class TestDashboardNumbers:
    """The dashboard's one statement (PostgreSQL) reads the numbers the ORM reads (the SQLite demo's
    path): totals, district chart, the page and its number, month series, evaluation, district choices."""

    @pytest.mark.parametrize("metric", ["publications", "new_members", "operations_coverage"])
    @pytest.mark.parametrize(
        "query",
        [
            "",
            "status=achieved",
            "kecamatan=DISTRICT",
            "kecamatan=DISTRICT&q=asep&sort=-name",
            "q=%20asep%20&sort=-actual&page=2",
            "q=nobody",
            "page=9&sort=kecamatan",
            "kecamatan=nowhere&status=bogus&page=x",
        ],
    )
    def test_one_statement_reads_what_the_orm_reads(self, period, evaluated, kpmi_b, metric, query):
        filters = QueryDict(query.replace("DISTRICT", kpmi_b.kecamatan_id))
        asked = {
            "period": period,
            "metric": METRICS[metric],
            "sort": filters.get("sort", selectors.DEFAULT_SORT),
            "page": filters.get("page"),
            "per_page": 1,
            "fields": ROW_FIELDS,
            "kecamatan_choices": Kecamatan.objects.all(),
        }
        one = selectors.dashboard_numbers(filters=filters, **asked)
        rows, chart, district = selectors._dashboard_rows(
            period=period, metric=METRICS[metric], filters=filters, sort=asked["sort"]
        )
        del asked["sort"]
        orm = selectors._dashboard_numbers_orm(rows=rows, chart=chart, district=district, **asked)
        assert one.totals == orm.totals
        assert (one.by_kecamatan, one.rows, one.page_number) == (orm.by_kecamatan, orm.rows, orm.page_number)
        assert (one.trend, one.succeeded_at, one.kecamatan_choices) == (
            orm.trend,
            orm.succeeded_at,
            orm.kecamatan_choices,
        )
        seen = (one.evaluation.pk, one.evaluation.status, one.evaluation.finished_at, one.evaluation.percent)
        assert seen == (orm.evaluation.pk, orm.evaluation.status, orm.evaluation.finished_at, orm.evaluation.percent)
        if metric == "publications" and not query:
            assert one.totals.subjects == 2 and len(one.kecamatan_choices) >= 2  # not vacuous


class TestDashboard:
    def test_officer_sees_target_actual_and_status(self, client_for, officer_users, period, evaluated):
        response = client_for(officer_users).get(url(period=period.pk, metric="publications"))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Asep Rajin" in body and "Dadan Santai" in body
        assert "Tercapai" in body and "Belum mulai" in body
        assert response.context["totals"].actual == 2 and response.context["totals"].target == 4
        assert response.context["trend_data"]["values"] == [1, 1]

    def test_filters_and_sorting(self, client_for, officer_users, period, evaluated, kpmi_a):
        client = client_for(officer_users)
        rows = client.get(url(period=period.pk, status="achieved")).context["page"].object_list
        assert [r["member__full_name"] for r in rows] == ["Asep Rajin"]
        rows = client.get(url(period=period.pk, kecamatan=kpmi_a.kecamatan_id)).context["page"].object_list
        assert [r["member__full_name"] for r in rows] == ["Asep Rajin"]
        rows = client.get(url(period=period.pk, sort="-actual")).context["page"].object_list
        assert [r["member__full_name"] for r in rows] == ["Asep Rajin", "Dadan Santai"]
        rows = client.get(url(period=period.pk, sort="actual")).context["page"].object_list
        assert [r["member__full_name"] for r in rows] == ["Dadan Santai", "Asep Rajin"]
        assert (
            client.get(url(period=period.pk, sort="nonsense", status="x", kecamatan="y", page="z")).status_code == 200
        )

    def test_a_second_request_reads_the_numbers_anew(self, client_for, officer_users, period, evaluated):
        # The statement is kept compiled per process (selectors._STATEMENTS); its results never are.
        client = client_for(officer_users)
        asked = url(period=period.pk, sort="-actual", q="a")
        rows = client.get(asked).context["page"].object_list
        assert [(r["member__full_name"], r["actual"]) for r in rows] == [("Asep Rajin", 2), ("Dadan Santai", 0)]
        TargetResult.objects.filter(member=evaluated["idle"]).update(actual=7)
        response = client.get(asked)
        rows = response.context["page"].object_list
        assert [(r["member__full_name"], r["actual"]) for r in rows] == [("Dadan Santai", 7), ("Asep Rajin", 2)]
        assert response.context["totals"].actual == 9

    def test_district_filter_sees_a_district_added_later(self, client_for, officer_users, period, evaluated):
        # Whether a district exists is read when the filter validates it: that statement is not kept.
        client = client_for(officer_users)
        asked = url(period=period.pk, kecamatan="3205999")
        # An unknown district filters nothing (the filter form drops it), as before it existed.
        rows = client.get(asked).context["page"].object_list
        assert sorted(r["member__full_name"] for r in rows) == ["Asep Rajin", "Dadan Santai"]
        district = Kecamatan.objects.create(code="3205999", name="Kecamatan Baru")
        TargetResult.objects.filter(member=evaluated["idle"]).update(kecamatan=district)
        rows = client.get(asked).context["page"].object_list
        assert [r["member__full_name"] for r in rows] == ["Dadan Santai"]

    def test_the_period_list_is_read_anew_on_every_request(self, client_for, officer_users, admin_user, period):
        # Its statement is kept compiled per process (selectors._CompiledPeriods); its rows never are.
        client = client_for(officer_users)
        body = client.get(url(period=period.pk)).content.decode()
        assert f'<option value="{period.pk}" selected>2025</option>' in body
        Period.objects.filter(pk=period.pk).update(status=Period.Status.CLOSED)
        later = services.period_open_year(actor=admin_user, year=2026, quarters=True)
        body = client.get(url(period=period.pk)).content.decode()
        assert f'<option value="{period.pk}" selected>2025 (ditutup)</option>' in body
        assert f'<option value="{later.pk}" >2026</option>' in body
        # The year and its quarters come in the order people pick them, each with its parent period.
        periods = selectors.period_list()
        assert len(periods) == 6 and sum(p.parent_id is not None for p in periods) == 4
        assert [p.name for p in periods] == [p.name for p in selectors.periods()]
        assert [p.parent.name if p.parent_id else None for p in periods] == [
            p.parent.name if p.parent_id else None for p in selectors.periods()
        ]

    def test_the_name_filter_keeps_what_was_typed_escaped(self, client_for, officer_users, period, evaluated):
        body = client_for(officer_users).get(url(period=period.pk, q="%3Cb%3E%22Asep")).content.decode()
        box = '<input type="text" name="q" value="&lt;b&gt;&quot;Asep" class="textinput form-control" id="id_q">'
        assert box in body

    @pytest.mark.parametrize("who", ["officer_platform", "manager_a", "member_user_a", "outsider"])
    def test_other_roles_get_403(self, request, client_for, who, period, evaluated):
        assert client_for(request.getfixturevalue(who)).get(url(period=period.pk)).status_code == 403

    def test_admin_sees_every_association(self, client_for, admin_user, period, evaluated):
        for code in ("communities", "users", "platform", "entrepreneurs"):
            assert client_for(admin_user).get(url(code)).status_code == 200

    def test_anonymous_goes_to_login_and_post_is_405(self, client, client_for, officer_users):
        assert client.get(url()).status_code == 302
        assert client_for(officer_users).post(url()).status_code == 405

    def test_drill_down_shows_the_records_behind_a_number(self, client_for, officer_users, period, evaluated):
        result = TargetResult.objects.get(member=evaluated["lead"])
        response = client_for(officer_users).get(reverse("associations:result_records", args=["users", result.pk]))
        assert response.status_code == 200
        assert len(response.context["records"]) == 2
        # A result of another association is not reachable through this one.
        assert (
            client_for(officer_users)
            .get(reverse("associations:result_records", args=["platform", result.pk]))
            .status_code
            == 403
        )

    def test_export_xlsx(self, client_for, officer_users, period, evaluated):
        response = client_for(officer_users).get(url(period=period.pk, metric="publications", format="xlsx"))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0][:2] == ("Pengelola", "KPMI")
        assert {r[0] for r in rows[1:]} == {"Asep Rajin", "Dadan Santai"}

    @pytest.mark.parametrize(
        "kpmi_name, member_name",
        [("=1+2", '=HYPERLINK("http://x","y")'), ("+1", "-2+3"), ("@SUM(A1)", "\t=1"), ("\r=1", "Asep")],
    )
    def test_export_keeps_formula_like_names_as_text(
        self, client_for, officer_users, period, evaluated, kpmi_a, kpmi_name, member_name
    ):
        """A KPMI renamed, or a member named, like a formula is text in the officer's workbook."""
        kpmi_a.name = kpmi_name
        kpmi_a.save()
        evaluated["lead"].full_name = member_name
        evaluated["lead"].save()
        response = client_for(officer_users).get(url(period=period.pk, metric="publications", format="xlsx"))
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value != "Dadan Santai")
        assert (row[0].data_type, row[1].data_type) == ("s", "s")
        assert row[0].value.lstrip("'").replace("\n", "\r") == member_name
        assert row[1].value.lstrip("'").replace("\n", "\r") == kpmi_name
        assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}

    def test_totals_follow_the_district_filter_and_the_chart_shows_every_district(
        self, client_for, officer_users, period, evaluated, kpmi_b
    ):
        client = client_for(officer_users)
        everything = client.get(url(period=period.pk, metric="publications")).context
        totals, chart = everything["totals"], everything["kecamatan_data"]
        assert chart["labels"] == ["Cibatu", "Tarogong Kidul"] and chart["actual"] == [0, 2]
        assert (sum(chart["actual"]), sum(chart["target"])) == (totals.actual, totals.target) == (2, 4)
        assert (totals.subjects, totals.achieved, totals.not_started) == (2, 1, 1)
        one = client.get(url(period=period.pk, metric="publications", kecamatan=kpmi_b.kecamatan_id)).context
        assert (one["totals"].subjects, one["totals"].actual, one["totals"].target) == (1, 0, 2)
        assert one["kecamatan_data"] == chart

    @pytest.mark.parametrize(
        ("page", "shown", "number"),
        [
            ("2", "Asep Rajin", 2),
            ("99", "Asep Rajin", 2),  # past the last page: the last page
            ("0", "Asep Rajin", 2),
            ("-3", "Asep Rajin", 2),
            ("99999999999999999999999", "Asep Rajin", 2),  # beyond any SQL integer: still the last page
            ("abc", "Dadan Santai", 1),  # not a number: the first page
            ("1.5", "Dadan Santai", 1),
        ],
    )
    def test_a_page_out_of_range_shows_the_nearest_page_as_the_paginator_does(
        self, settings, client_for, officer_users, period, evaluated, page, shown, number
    ):
        settings.PAGE_SIZE = 1
        response = client_for(officer_users).get(url(period=period.pk, metric="publications", page=page))
        assert response.status_code == 200
        shown_page = response.context["page"]
        assert [r["member__full_name"] for r in shown_page.object_list] == [shown]
        assert (shown_page.number, shown_page.paginator.num_pages) == (number, 2)
        assert f"Halaman {number} dari 2" in response.content.decode()

    def test_names_in_the_rows_and_the_district_filter_are_escaped(
        self, client_for, officer_users, period, evaluated, kpmi_a
    ):
        type(evaluated["lead"]).objects.filter(pk=evaluated["lead"].pk).update(full_name='Asep <b>"Rajin"</b> & co')
        type(kpmi_a).objects.filter(pk=kpmi_a.pk).update(name="KPMI <i>Alfa</i>")
        type(kpmi_a.kecamatan).objects.filter(pk=kpmi_a.kecamatan_id).update(name="Tarogong <Kidul>")
        body = client_for(officer_users).get(url(period=period.pk, metric="publications")).content.decode()
        assert "Asep &lt;b&gt;&quot;Rajin&quot;&lt;/b&gt; &amp; co" in body and "<b>" not in body
        assert "KPMI &lt;i&gt;Alfa&lt;/i&gt;" in body and "<i>Alfa" not in body
        assert ">Tarogong &lt;Kidul&gt;</option>" in body and "<Kidul>" not in body

    def test_export_file_name_is_safe(self, client_for, officer_users, admin_user, period):
        import datetime as dt

        named = services.period_open(
            actor=admin_user, name='TA "24/25"', start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)
        )
        response = client_for(officer_users).get(url(period=named.pk, metric="publications", format="xlsx"))
        assert response["Content-Disposition"] == 'attachment; filename="target-users-publications-TA-24-25.xlsx"'

    def test_query_count_does_not_grow_with_results(
        self, client_for, officer_users, period, evaluated, kpmi_a, django_assert_max_num_queries
    ):
        client = client_for(officer_users)
        with django_assert_max_num_queries(15) as few:
            client.get(url(period=period.pk))
        for _ in range(40):
            factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER)
        evaluation, _ = services.evaluation_create(actor=None, period=period)
        services.period_evaluate(evaluation_id=evaluation.pk)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url(period=period.pk))

    def test_no_period(self, client_for, admin_user):
        assert Period.objects.count() == 0
        for code in ("users", "entrepreneurs"):
            assert "Belum ada periode" in client_for(admin_user).get(url(code)).content.decode()


class TestEvaluationFromTheDashboard:
    def test_officer_starts_it_and_sees_it_finished(
        self, client_for, officer_users, period, django_capture_on_commit_callbacks
    ):
        client = client_for(officer_users)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("associations:evaluation_start", args=["users"]), {"period": period.pk})
        assert response.status_code == 302
        evaluation = Evaluation.objects.get()
        assert evaluation.status == Evaluation.Status.SUCCEEDED
        status = client.get(reverse("associations:evaluation_status", args=[evaluation.pk])).json()
        assert status == {"status": "succeeded", "label": "Selesai", "percent": 100, "active": False, "error": ""}

    def test_running_evaluation_shows_a_progress_bar(self, client_for, officer_users, period):
        evaluation = Evaluation.objects.create(
            period=period, status=Evaluation.Status.RUNNING, steps_total=4, steps_done=1
        )
        body = client_for(officer_users).get(url(period=period.pk)).content.decode()
        assert 'id="evaluation-progress"' in body and "25%" in body
        assert reverse("associations:evaluation_status", args=[evaluation.pk]) in body

    def test_closed_period_refuses_with_a_message(self, client_for, admin_user, period):
        services.period_close(actor=admin_user, period=period)
        response = client_for(admin_user).post(
            reverse("associations:evaluation_start", args=["users"]), {"period": period.pk}, follow=True
        )
        assert "ditutup" in response.content.decode()
        assert not Evaluation.objects.exists()

    def test_managers_cannot_start_or_poll(self, client_for, manager_a, period):
        evaluation = Evaluation.objects.create(period=period)
        client = client_for(manager_a)
        assert (
            client.post(reverse("associations:evaluation_start", args=["users"]), {"period": period.pk}).status_code
            == 403
        )
        assert client.get(reverse("associations:evaluation_status", args=[evaluation.pk])).status_code == 403

    @pytest.mark.parametrize("raw", [" ", "²", "9" * 5000, "2026-13-01"])
    def test_a_period_that_is_no_id_is_not_found_not_a_server_error(self, client_for, officer_users, period, raw):
        """Found by tests/project/test_fuzz_forms.py: the period went to the database unparsed."""
        client = client_for(officer_users, raise_request_exception=False)
        response = client.post(reverse("associations:evaluation_start", args=["users"]), {"period": raw})
        assert response.status_code == 404
        assert not Evaluation.objects.exists()
        assert client.get(url(period=raw)).status_code == 200  # the dashboard falls back to the current period


class TestTargetPages:
    def test_defaults_are_saved_all_or_none(self, client_for, officer_users, period):
        """Found by tests/project/test_fuzz_forms.py: a number past the column's bound for the second
        metric left the first one saved behind the refusal."""
        response = client_for(officer_users).post(
            reverse("associations:targets", args=["users"]),
            {"form": "defaults", "publications": 4, "education": 2**31},
        )
        assert response.status_code == 200
        assert response.context["defaults_form"].errors["education"]
        assert not Target.objects.exists()

    def test_a_refused_default_leaves_the_others_unsaved(self, client_for, officer_users, period, monkeypatch):
        """The same rule when the service refuses (here: the period closes between page and post)."""
        real = services.target_set

        def refuse_the_second(**kwargs):
            if kwargs["metric"] == "education":
                raise ValidationError({"period": "Tertutup."})
            return real(**kwargs)

        monkeypatch.setattr(services, "target_set", refuse_the_second)
        response = client_for(officer_users).post(
            reverse("associations:targets", args=["users"]), {"form": "defaults", "publications": 4, "education": 2}
        )
        assert response.status_code == 200
        assert not Target.objects.exists()

    def test_a_post_naming_no_form_says_what_is_missing_and_saves_nothing(self, client_for, officer_users, period):
        """Found by tests/project/test_fuzz_forms.py: without form=defaults|override the page came back
        with nothing saved and nothing said."""
        response = client_for(officer_users).post(reverse("associations:targets", args=["users"]), {"publications": 4})
        assert response.status_code == 200
        assert response.context["override_form"].errors
        assert "Bidang ini tidak boleh kosong" in response.content.decode()
        assert not Target.objects.exists()

    def test_officer_sets_defaults(self, client_for, officer_users, period):
        client = client_for(officer_users)
        response = client.post(
            reverse("associations:targets", args=["users"]),
            {"form": "defaults", "period": period.pk, "publications": "12", "education": "6"},
        )
        assert response.status_code == 302
        assert dict(Target.objects.values_list("metric", "value")) == {"publications": 12, "education": 6}

    def test_negative_default_is_a_field_error(self, client_for, officer_users, period):
        response = client_for(officer_users).post(
            reverse("associations:targets", args=["users"]),
            {"form": "defaults", "period": period.pk, "publications": "-3"},
        )
        assert response.status_code == 200
        assert "publications" in response.context["defaults_form"].errors
        assert not Target.objects.exists()

    def test_override_for_a_manager_and_removal(self, client_for, officer_users, period, kpmi_a):
        manager = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER)
        client = client_for(officer_users)
        client.post(
            reverse("associations:targets", args=["users"]),
            {"form": "override", "period": period.pk, "metric": "publications", "member": manager.pk, "value": "20"},
        )
        target = Target.objects.get(member=manager)
        assert target.value == 20
        assert client.post(reverse("associations:target_delete", args=["users", target.pk])).status_code == 302
        assert not Target.objects.exists()

    def test_metric_of_another_association_is_not_a_choice(self, client_for, officer_users, period):
        response = client_for(officer_users).post(
            reverse("associations:targets", args=["users"]),
            {"form": "override", "period": period.pk, "metric": "deployments", "value": "2"},
        )
        assert "metric" in response.context["override_form"].errors

    def test_officer_of_another_association_gets_403(self, client_for, officer_platform, period):
        client = client_for(officer_platform)
        assert client.get(reverse("associations:targets", args=["users"])).status_code == 403
        assert (
            client.post(
                reverse("associations:targets", args=["users"]),
                {"form": "defaults", "period": period.pk, "publications": "1"},
            ).status_code
            == 403
        )
        assert not Target.objects.exists()


class TestPeriodPages:
    def test_an_empty_post_says_what_is_missing(self, client_for, officer_users):
        """Found by tests/project/test_fuzz_forms.py: a POST without fields left the form unbound, and
        the blank page came back saying nothing."""
        response = client_for(officer_users).post(reverse("associations:periods"), {})
        assert response.status_code == 200
        assert response.context["form"].errors["year"]
        assert not Period.objects.exists()

    def test_officer_opens_a_year_with_quarters(self, client_for, officer_users):
        response = client_for(officer_users).post(reverse("associations:periods"), {"year": "2025", "quarters": "on"})
        assert response.status_code == 302
        assert Period.objects.count() == 5

    def test_duplicate_year_is_a_field_error(self, client_for, officer_users, period):
        response = client_for(officer_users).post(reverse("associations:periods"), {"year": "2025"})
        assert response.status_code == 200
        assert response.context["form"].errors

    def test_only_admin_closes(self, client_for, officer_users, admin_user, period):
        assert client_for(officer_users).post(reverse("associations:period_close", args=[period.pk])).status_code == 403
        assert client_for(admin_user).post(reverse("associations:period_close", args=[period.pk])).status_code == 302
        period.refresh_from_db()
        assert period.is_closed

    def test_managers_get_403(self, client_for, manager_a):
        assert client_for(manager_a).get(reverse("associations:periods")).status_code == 403
