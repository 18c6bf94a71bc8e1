"""The Entrepreneurs association's oversight: its metrics on small hand-made data, their evaluation,
and its dashboard, drill-down, export, targets and award from the URL, per role."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from associations import services
from associations.metrics import METRICS, SUBJECT_SCANS, metrics_of, shared_scans
from associations.models import Association, Evaluation, MonthlyActual, Target, TargetResult
from entrepreneurship.models import (
    Business,
    Category,
    Client,
    ClientCategory,
    Order,
    PaymentStatus,
    Service,
    ServiceTemplate,
)
from entrepreneurship.services.ledger import posting_record, posting_reverse
from entrepreneurship.services.pricing import price_compute
from kpmi_si.demo.entrepreneurship import DEPLOYMENT, TRAINING, adopt, next_receipt_number
from members.models import Level
from programs.models import AssociationAward
from tests import factories

from .conftest import YEAR, day

pytestmark = pytest.mark.django_db

START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)


@pytest.fixture
def entrepreneurs(db) -> Association:
    return Association.objects.get(code="entrepreneurs")


def service(kpmi, name=TRAINING, price="150000"):
    return adopt(kpmi, ServiceTemplate.objects.get(name=name), Decimal(price), None)


def order(kpmi, svc, date, *, member=None, client=None, quantity=1, status=None):
    price = price_compute(service=svc, quantity=quantity, member=member, client=client)
    if status is None:
        status = PaymentStatus.WAIVED if price.is_free else PaymentStatus.PAID
    return Order.objects.create(
        kpmi=kpmi,
        service=svc,
        member=member,
        client=client,
        quantity=quantity,
        date=date,
        unit_price=price.unit_price,
        total=price.total,
        is_free=price.is_free,
        free_rule=price.rule,
        price_reason=price.reason,
        payment_status=status,
        paid_on=date if status == PaymentStatus.PAID else None,
        receipt_number=next_receipt_number(kpmi),
    )


def post(actor, kpmi, category, amount, date, **extra):
    return posting_record(
        actor=actor,
        kpmi=kpmi,
        date=date,
        category=category,
        amount=Decimal(amount),
        description="uji",
        check_permission=False,
        **extra,
    )


def business(kpmi, owner, started, closed=None, name=None):
    return Business.objects.create(
        kpmi=kpmi,
        owner=owner,
        name=name or f"Usaha {Business.objects.count() + 1}",
        kind="repair",
        started_on=started,
        closed_on=closed,
        pledged_share=Decimal("20"),
    )


def per_kpmi(code):
    return dict(METRICS[code].per_subject(START, END))


@pytest.fixture
def money(admin_user, kpmi_a, kpmi_b):
    """KPMI A: two paid trainings (one cancelled), a free training for a trainer candidate, a free
    deployment for the target community, one order of the year before, contributions with a
    reversal, operating costs; two pioneers with businesses. KPMI B: income but no operating costs."""
    training, deployment = service(kpmi_a), service(kpmi_a, DEPLOYMENT, "500000")
    school = Client.objects.create(
        kpmi=kpmi_a, name="SMPN 2", category=ClientCategory.SCHOOL, kecamatan=kpmi_a.kecamatan
    )
    warga = Client.objects.create(
        kpmi=kpmi_a, name="Warga RW 03", category=ClientCategory.TARGET_COMMUNITY, kecamatan=kpmi_a.kecamatan
    )
    candidate = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE, full_name="Cici Calon")
    paid = order(kpmi_a, training, day(3), client=school, quantity=2)
    order(kpmi_a, training, day(4), client=school, status=PaymentStatus.CANCELLED)
    order(kpmi_a, training, day(5), client=school, status=PaymentStatus.UNPAID)
    order(kpmi_a, training, dt.date(YEAR - 1, 12, 31), client=school)
    order(kpmi_a, training, day(6), member=candidate)
    order(kpmi_a, deployment, day(7), client=warga)
    order(kpmi_a, deployment, day(8), client=warga, status=PaymentStatus.CANCELLED)
    # A service the group gives at no charge itself: neither paid nor free by a rule.
    own = Service.objects.create(kpmi=kpmi_a, name="Konsultasi TIK", price=Decimal("0"))
    order(kpmi_a, own, day(9), client=school)

    post(admin_user, kpmi_a, Category.SERVICE_INCOME, "300000", day(3), order=paid)
    first = post(admin_user, kpmi_a, Category.BUSINESS_CONTRIBUTION, "150000", day(2))
    post(admin_user, kpmi_a, Category.BUSINESS_CONTRIBUTION, "250500", day(3))
    posting_reverse(actor=admin_user, posting=first, reason="salah", date=day(4))
    post(admin_user, kpmi_a, Category.BUSINESS_CONTRIBUTION, "999000", dt.date(YEAR - 1, 12, 31))
    post(admin_user, kpmi_a, Category.RENT, "600000", day(3))
    post(admin_user, kpmi_a, Category.INTERNET, "200000", day(4))
    post(admin_user, kpmi_a, Category.DONATION, "5000000", day(4))  # not earned: no coverage
    post(admin_user, kpmi_b, Category.SERVICE_INCOME, "400000", day(5))

    p1 = factories.MemberFactory(kpmi=kpmi_a, level=Level.PIONEER, full_name="Pipin Perintis")
    p2 = factories.MemberFactory(kpmi=kpmi_a, level=Level.PIONEER, full_name="Rudi Perintis")
    p3 = factories.MemberFactory(kpmi=kpmi_a, level=Level.PIONEER, full_name="Ujang Tutup")
    p4 = factories.MemberFactory(kpmi=kpmi_a, level=Level.PIONEER, full_name="Nanda Nanti")
    business(kpmi_a, p1, dt.date(2020, 5, 1), name="Servis Pipin")
    business(kpmi_a, p1, dt.date(YEAR, 11, 1), name="Warnet Pipin")  # the same pioneer: counted once
    business(kpmi_a, p2, dt.date(2019, 1, 1), closed=dt.date(YEAR, 1, 31), name="Kursus Rudi")
    business(kpmi_a, p3, dt.date(2019, 1, 1), closed=dt.date(YEAR - 1, 12, 31))  # closed before the year
    business(kpmi_a, p4, dt.date(YEAR + 1, 1, 1))  # starts after it
    return {"pioneer": p1, "candidate": candidate}


class TestMetrics:
    def test_pioneers_running_a_business_at_some_time_in_the_period(self, money, kpmi_a):
        assert per_kpmi("active_businesses") == {kpmi_a.pk: 2}
        months = METRICS["active_businesses"].per_month(START, END)
        assert months[dt.date(YEAR, 1, 1)] == 2 and months[dt.date(YEAR, 2, 1)] == 1
        assert months[dt.date(YEAR, 12, 1)] == 1

    def test_paid_services_leave_out_cancelled_free_and_zero_priced_orders(self, money, kpmi_a):
        assert per_kpmi("paid_services") == {kpmi_a.pk: 2}  # the paid one and the unpaid one
        assert METRICS["paid_services"].per_month(START, END) == {dt.date(YEAR, 3, 1): 1, dt.date(YEAR, 5, 1): 1}

    def test_free_services_count_what_a_rule_made_free(self, money, kpmi_a):
        assert per_kpmi("free_services") == {kpmi_a.pk: 2}
        assert set(METRICS["free_services"].per_month(START, END)) == {dt.date(YEAR, 6, 1), dt.date(YEAR, 7, 1)}

    def test_business_income_in_thousands_net_of_reversals(self, money, kpmi_a):
        # 150.000 + 250.500 − 150.000 (reversed) = 250.500 → 250 thousand; last year's posting is not in.
        assert per_kpmi("business_income") == {kpmi_a.pk: 250}
        assert METRICS["business_income"].per_month(START, END) == {
            dt.date(YEAR, 3, 1): 250,
            # The reversal in April alone: the month's net is negative, shown as nothing earned.
            dt.date(YEAR, 2, 1): 150,
            dt.date(YEAR, 4, 1): 0,
        }

    def test_coverage_is_earned_over_costs_and_a_group_without_costs_gets_nothing(self, money, kpmi_a, kpmi_b):
        # Earned: 300.000 services + 250.500 contributions; costs 800.000: 68 %. Donations do not count.
        assert per_kpmi("operations_coverage") == {kpmi_a.pk: 68}
        assert kpmi_b.pk not in per_kpmi("operations_coverage")
        # A month whose earned income is negative (April: a contribution reversed) reads 0 %, never below.
        assert METRICS["operations_coverage"].per_month(START, END)[dt.date(YEAR, 4, 1)] == 0

    def test_a_sum_past_the_column_is_capped_not_an_overflow(self, admin_user, kpmi_a):
        for n in range(22):  # Rp 2.2 trillion: past the column's 2,147,483,647 thousands
            post(admin_user, kpmi_a, Category.BUSINESS_CONTRIBUTION, "99999999999", day(1 + n % 12))
        assert per_kpmi("business_income") == {kpmi_a.pk: 2_147_483_647}
        post(admin_user, kpmi_a, Category.RENT, "0.01", day(1))
        assert per_kpmi("operations_coverage") == {kpmi_a.pk: 999}

    def test_the_scans_an_evaluation_shares_give_each_metrics_own_numbers(self, money, admin_user, kpmi_a, kpmi_b):
        def shared():
            out = {}
            for code, metric in METRICS.items():
                if metric.scan:
                    name, column = metric.scan
                    # A group without a row, or without a number (NULL), is evaluated as 0.
                    rows = {row[0]: row[column] or 0 for row in SUBJECT_SCANS[name](START, END)}
                    out[code] = {kpmi: n for kpmi, n in rows.items() if n}
            return out

        def alone():
            return {code: {k: n for k, n in per_kpmi(code).items() if n} for code in shared()}

        assert set(shared()) == {"paid_services", "free_services", "business_income", "operations_coverage"}
        assert shared() == alone()
        # Past the column's bound, both cap it.
        for n in range(22):
            post(admin_user, kpmi_a, Category.BUSINESS_CONTRIBUTION, "99999999999", day(1 + n % 12))
        assert shared() == alone()
        assert shared()["business_income"] == {kpmi_a.pk: 2_147_483_647}

    def test_an_evaluation_scans_the_orders_and_the_postings_once_for_all_month_series(
        self, money, django_assert_num_queries
    ):
        codes = ("paid_services", "free_services", "business_income", "operations_coverage")
        alone = {code: METRICS[code].per_month(START, END) for code in codes}
        with django_assert_num_queries(2), shared_scans():
            shared = {code: METRICS[code].per_month(START, END) for code in codes}
        assert shared == alone
        # Outside an evaluation nothing is kept: a new order is seen by the next call.
        assert METRICS["paid_services"].per_month(START, END) == alone["paid_services"]


class TestEvaluation:
    def test_targets_evaluated_and_stored(self, money, period, officer_entrepreneurs, entrepreneurs, kpmi_a, kpmi_b):
        services.targets_apply_defaults(actor=officer_entrepreneurs, period=period, association=entrepreneurs)
        services.target_set(
            actor=officer_entrepreneurs,
            period=period,
            association=entrepreneurs,
            metric="operations_coverage",
            value=0,
            kpmi=kpmi_b,
        )
        evaluation, _ = services.evaluation_create(actor=officer_entrepreneurs, period=period)
        assert services.period_evaluate(evaluation_id=evaluation.pk).status == "succeeded"
        got = {
            (r.metric, r.kpmi_id): (r.target, r.actual, r.status)
            for r in TargetResult.objects.filter(period=period, association=entrepreneurs)
        }
        assert got[("active_businesses", kpmi_a.pk)] == (2, 2, "achieved")
        assert got[("paid_services", kpmi_a.pk)] == (12, 2, "behind")
        assert got[("free_services", kpmi_a.pk)] == (12, 2, "behind")
        # KPMI B sold nothing: no row in the orders' scan, 0 stored.
        assert got[("paid_services", kpmi_b.pk)] == (12, 0, "not_started")
        assert got[("business_income", kpmi_a.pk)] == (1200, 250, "behind")
        assert got[("operations_coverage", kpmi_a.pk)] == (50, 68, "achieved")
        # No operating costs: 0 %, which meets only a target of 0 (KPMI B's override), never by accident.
        assert got[("operations_coverage", kpmi_b.pk)] == (0, 0, "achieved")
        assert MonthlyActual.objects.get(period=period, metric="business_income", month=day(3, 1)).actual == 250
        # Running it again changes nothing.
        again, _ = services.evaluation_create(actor=None, period=period)
        assert services.period_evaluate(evaluation_id=again.pk).results_changed == 0

    def test_no_costs_is_not_a_met_target(self, money, period, officer_entrepreneurs, entrepreneurs, kpmi_b):
        services.targets_apply_defaults(actor=officer_entrepreneurs, period=period, association=entrepreneurs)
        evaluation, _ = services.evaluation_create(actor=None, period=period)
        services.period_evaluate(evaluation_id=evaluation.pk)
        result = TargetResult.objects.get(period=period, metric="operations_coverage", kpmi=kpmi_b)
        assert (result.actual, result.status) == (0, "not_started")

    def test_officer_evaluates_from_the_dashboard_through_the_task(
        self,
        client_for,
        money,
        period,
        officer_entrepreneurs,
        entrepreneurs,
        kpmi_a,
        django_capture_on_commit_callbacks,
    ):
        client = client_for(officer_entrepreneurs)
        targets = reverse("associations:targets", args=["entrepreneurs"]) + f"?period={period.pk}"
        client.post(targets, {"form": "defaults", "paid_services": "2", "business_income": "200"})
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("associations:evaluation_start", args=["entrepreneurs"]), {"period": period.pk}
            )
        assert response.status_code == 302
        assert Evaluation.objects.get().status == Evaluation.Status.SUCCEEDED
        page = client.get(url(period=period.pk, metric="paid_services")).context["page"].object_list
        assert [(r["kpmi_id"], r["actual"], r["status"]) for r in page if r["kpmi_id"] == kpmi_a.pk] == [
            (kpmi_a.pk, 2, "achieved")
        ]
        assert result_of("business_income", kpmi_a).status == "achieved"


@pytest.fixture
def evaluated(money, period, officer_entrepreneurs, entrepreneurs):
    services.targets_apply_defaults(actor=officer_entrepreneurs, period=period, association=entrepreneurs)
    evaluation, _ = services.evaluation_create(actor=None, period=period)
    services.period_evaluate(evaluation_id=evaluation.pk)
    return money


def url(**params):
    base = reverse("associations:home", args=["entrepreneurs"])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def result_of(metric, kpmi):
    return TargetResult.objects.get(metric=metric, kpmi=kpmi)


class TestDashboard:
    def test_officer_sees_groups_ranked_with_money_in_rupiah(
        self, client_for, officer_entrepreneurs, period, evaluated
    ):
        client = client_for(officer_entrepreneurs)
        response = client.get(url(period=period.pk, metric="business_income", sort="-actual"))
        assert response.status_code == 200
        rows = response.context["page"].object_list
        assert [r["kpmi__name"] for r in rows] == ["KPMI Alfa", "KPMI Beta"]
        body = response.content.decode()
        assert "Rp 250.000" in body and "Rp 1.200.000" in body
        assert response.context["trend_data"]["label"].endswith("(ribu Rp)")
        coverage = client.get(url(period=period.pk, metric="operations_coverage")).content.decode()
        assert "68%" in coverage and "rata-rata" in coverage.lower()

    def test_every_metric_opens(self, client_for, officer_entrepreneurs, period, evaluated):
        client = client_for(officer_entrepreneurs)
        for code in [m.code for m in metrics_of("entrepreneurs")]:
            response = client.get(url(period=period.pk, metric=code))
            assert response.status_code == 200 and response.context["metric"].code == code
            assert len(response.context["page"].object_list) == 2

    @pytest.mark.parametrize("who", ["officer_communities", "manager_a", "member_user_a", "outsider"])
    def test_other_roles_get_403(self, request, client_for, who, period, evaluated):
        assert client_for(request.getfixturevalue(who)).get(url(period=period.pk)).status_code == 403

    def test_anonymous_goes_to_login(self, client, period):
        assert client.get(url(period=period.pk)).status_code == 302

    # The content figures (#13) are stored and read like the money: the page reads the stored results.
    @pytest.mark.parametrize(
        "metric", ["business_income", "articles_published", "content_sales", "content_revenue_to_pioneers"]
    )
    def test_query_count_is_the_same_for_3_and_30_groups(
        self, client_for, officer_entrepreneurs, period, evaluated, admin_user, django_assert_max_num_queries, metric
    ):
        client = client_for(officer_entrepreneurs)
        page = url(period=period.pk, metric=metric)

        def grow_to(n):
            for _ in range(n - TargetResult.objects.filter(period=period, metric=metric).count()):
                post(admin_user, factories.KpmiFactory(), Category.BUSINESS_CONTRIBUTION, "120000", day(2))
            evaluation, _ = services.evaluation_create(actor=None, period=period)
            services.period_evaluate(evaluation_id=evaluation.pk)
            assert TargetResult.objects.filter(period=period, metric=metric).count() == n

        grow_to(3)
        client.get(page)
        with django_assert_max_num_queries(20) as small:
            client.get(page)
        grow_to(30)
        with django_assert_max_num_queries(len(small.captured_queries)) as large:
            client.get(page)
        assert len(large.captured_queries) == len(small.captured_queries)


class TestDrillDown:
    def test_orders_behind_the_paid_services(self, client_for, officer_entrepreneurs, evaluated, kpmi_a):
        result = result_of("paid_services", kpmi_a)
        response = client_for(officer_entrepreneurs).get(
            reverse("associations:result_records", args=["entrepreneurs", result.pk])
        )
        assert response.status_code == 200
        records = list(response.context["records"])
        assert len(records) == result.actual == 2
        body = response.content.decode()
        assert records[0].receipt_label in body and "SMPN 2" in body

    def test_free_services_show_why_they_were_free(self, client_for, officer_entrepreneurs, evaluated, kpmi_a):
        result = result_of("free_services", kpmi_a)
        body = (
            client_for(officer_entrepreneurs)
            .get(reverse("associations:result_records", args=["entrepreneurs", result.pk]))
            .content.decode()
        )
        assert "Cici Calon" in body and "calon pelatih" in body.lower()

    def test_postings_behind_the_business_income_with_the_reversal(
        self, client_for, officer_entrepreneurs, evaluated, kpmi_a
    ):
        result = result_of("business_income", kpmi_a)
        response = client_for(officer_entrepreneurs).get(
            reverse("associations:result_records", args=["entrepreneurs", result.pk])
        )
        records = list(response.context["records"])
        assert sum(p.amount for p in records) == Decimal("250500.00")
        assert len(records) == 3 and "-Rp 150.000" in response.content.decode()

    def test_businesses_behind_the_count_link_to_an_award(self, client_for, officer_entrepreneurs, evaluated, kpmi_a):
        result = result_of("active_businesses", kpmi_a)
        response = client_for(officer_entrepreneurs).get(
            reverse("associations:result_records", args=["entrepreneurs", result.pk])
        )
        names = {b.name for b in response.context["records"]}
        assert names == {"Servis Pipin", "Warnet Pipin", "Kursus Rudi"}
        award_link = f"{reverse('interventions:association_awards')}?member={evaluated['pioneer'].pk}"
        assert award_link in response.content.decode()

    def test_another_association_cannot_open_it(self, client_for, officer_communities, evaluated, kpmi_a):
        result = result_of("paid_services", kpmi_a)
        client = client_for(officer_communities)
        assert client.get(reverse("associations:result_records", args=["entrepreneurs", result.pk])).status_code == 403
        assert client.get(reverse("associations:result_records", args=["communities", result.pk])).status_code == 404


class TestExport:
    def test_money_in_rupiah_and_coverage_in_percent(self, client_for, officer_entrepreneurs, period, evaluated):
        client = client_for(officer_entrepreneurs)
        response = client.get(url(period=period.pk, metric="business_income", format="xlsx", sort="-actual"))
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0][2:4] == ("Target (Rp)", "Capaian (Rp)")
        assert rows[1][:4] == ("KPMI Alfa", "Tarogong Kidul", 1_200_000, 250_000)
        response = client.get(url(period=period.pk, metric="operations_coverage", format="xlsx", sort="-actual"))
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0][3] == "Capaian (%)" and rows[1][3] == 68


class TestTargets:
    def test_officer_sets_defaults_in_thousands_of_rupiah(self, client_for, officer_entrepreneurs, period):
        client = client_for(officer_entrepreneurs)
        page = reverse("associations:targets", args=["entrepreneurs"]) + f"?period={period.pk}"
        assert "ribu Rupiah" in client.get(page).content.decode()
        data = {"form": "defaults", "period": period.pk, "business_income": "2400", "operations_coverage": "75"}
        assert client.post(page, data).status_code == 302
        assert Target.objects.get(period=period, metric="business_income", kpmi=None).value == 2400

    def test_another_associations_officer_cannot_manage_them(
        self, client_for, officer_communities, officer_entrepreneurs, period, entrepreneurs
    ):
        client = client_for(officer_communities)
        page = reverse("associations:targets", args=["entrepreneurs"]) + f"?period={period.pk}"
        assert client.get(page).status_code == 403
        assert client.post(page, {"form": "defaults", "paid_services": "5"}).status_code == 403
        target = services.target_set(
            actor=officer_entrepreneurs, period=period, association=entrepreneurs, metric="paid_services", value=5
        )
        delete = reverse("associations:target_delete", args=["entrepreneurs", target.pk])
        assert client.post(delete).status_code == 403
        assert Target.objects.filter(pk=target.pk, value=5).exists()


class TestAward:
    def test_officer_grants_an_association_award_from_the_dashboard(
        self, client_for, officer_entrepreneurs, period, evaluated, entrepreneurs
    ):
        client = client_for(officer_entrepreneurs)
        award_page = reverse("interventions:association_awards")
        assert award_page in client.get(url(period=period.pk)).content.decode()
        pioneer = evaluated["pioneer"]
        form = client.get(f"{award_page}?member={pioneer.pk}").context["form"]
        assert form["member"].value() == pioneer.pk
        response = client.post(
            award_page,
            {
                "association": entrepreneurs.pk,
                "member": pioneer.pk,
                "name": "Perintis Usaha TIK",
                "reason": "Usaha yang menutup biaya operasional KPMI",
                "awarded_on": dt.date.today().isoformat(),
                "idempotency_key": form["idempotency_key"].value(),
            },
        )
        assert response.status_code == 302
        award = AssociationAward.objects.get()
        assert (award.association, award.member) == (entrepreneurs, pioneer)

    def test_another_associations_officer_cannot_grant_it(
        self, client_for, officer_communities, period, evaluated, entrepreneurs
    ):
        client = client_for(officer_communities)
        award_page = reverse("interventions:association_awards")
        form = client.get(award_page).context["form"]
        response = client.post(
            award_page,
            {
                "association": entrepreneurs.pk,
                "member": evaluated["pioneer"].pk,
                "name": "Perintis Usaha TIK",
                "reason": "x",
                "awarded_on": dt.date.today().isoformat(),
                "idempotency_key": form["idempotency_key"].value(),
            },
        )
        assert response.status_code == 200 and "association" in response.context["form"].errors
        assert not AssociationAward.objects.exists()
