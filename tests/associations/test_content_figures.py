"""The Entrepreneurs association's content figures (#13): articles published, content sales and the
pioneers' revenue from them, per KPMI, on small hand-made Garut Citizen Journalism data — the numbers,
their evaluation, the dashboard and the records behind them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from associations import services
from associations.metrics import INT_MAX, METRICS
from associations.models import Association, MonthlyActual, TargetResult
from citizen_journalism import services as news
from citizen_journalism.models import Article, Category, Earning, EditorRole
from members.models import Desa, Level
from tests import factories

from .conftest import YEAR, day

pytestmark = pytest.mark.django_db

START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
CODES = ("articles_published", "content_sales", "content_revenue_to_pioneers")


def writer(kpmi, level, name):
    user = factories.UserFactory()
    factories.MemberFactory(kpmi=kpmi, user=user, level=level, full_name=name)
    return user


def article(author, editor, title, *, published_on=None):
    kpmi = author.member.kpmi
    category = Category.objects.get_or_create(slug="teknologi", defaults={"name": "Teknologi & TIK"})[0]
    data = {
        "title": title,
        "lead": "Relawan KPMI memasang titik akses.",
        "body": "Petani kini bisa memantau harga dari ladang.",
        "category": category,
        "kecamatan": kpmi.kecamatan,
        "desa": Desa.objects.filter(kecamatan=kpmi.kecamatan).order_by("code").first(),
        "tags": "internet",
        "note": "",
    }
    written = news.article_write(actor=author, data=data, submit=True)
    if published_on is None:
        return written
    published = news.article_approve(actor=editor, article=written)
    # Published now (its work credit is dated today: the year is closed to logged work); dated back
    # to when the period needs it.
    at = timezone.make_aware(dt.datetime.combine(published_on, dt.time(9)))
    Article.objects.filter(pk=published.pk).update(first_published_at=at, published_at=at)
    published.refresh_from_db()
    return published


def sell(actor, art, buyer, amount, date):
    return news.sale_record(actor=actor, article=art, buyer=buyer, kind="licence", amount=Decimal(amount), date=date)


@pytest.fixture
def entrepreneurs(db) -> Association:
    return Association.objects.get(code="entrepreneurs")


@pytest.fixture
def content(admin_user, kpmi_a, kpmi_b):
    """KPMI A: a pioneer's article and a trainer's, published in the year, a pioneer's article still
    with the editors; three sales of them (one cancelled in the year). KPMI B: a pioneer's article
    published the year before, sold in the year for an odd amount."""
    editor = factories.UserFactory(username="redaksi_uji")
    EditorRole.objects.create(user=editor)
    pioneer = writer(kpmi_a, Level.PIONEER, "Asep Perintis")
    trainer = writer(kpmi_a, Level.TRAINER, "Tati Pelatih")
    pioneer_b = writer(kpmi_b, Level.PIONEER, "Budi Perintis")
    saung = article(pioneer, editor, "Internet masuk ke saung tani", published_on=day(2))
    pasar = article(trainer, editor, "Pasar daring desa", published_on=day(3, 1))
    article(pioneer, editor, "Masih di meja redaksi")
    lama = article(pioneer_b, editor, "Kabar tahun lalu", published_on=dt.date(YEAR - 1, 12, 31))
    pos = news.buyer_create(actor=admin_user, data={"name": "Garut Pos", "kind": "media"})
    yayasan = news.buyer_create(actor=admin_user, data={"name": "Yayasan Literasi", "kind": "organisation"})
    sell(admin_user, saung, pos, "200000", day(4))  # the pioneer gets half: Rp 100.000
    sell(admin_user, pasar, pos, "300000", day(5))  # a trainer's: a sale, no revenue to a pioneer
    wrong = sell(admin_user, saung, yayasan, "500000", day(6))
    news.sale_cancel(actor=admin_user, sale=wrong, reason="Salah pembeli")
    # The cancellation is dated the day it was made: move it into the year, as if made then.
    Earning.objects.filter(sale=wrong, kind="cancelled").update(date=day(7))
    sell(admin_user, lama, yayasan, "99999", day(5))  # the pioneer's half is Rp 49.999,50: 49 thousand
    return {"saung": saung, "wrong": wrong}


def per_kpmi(code):
    return dict(METRICS[code].per_subject(START, END))


class TestMetrics:
    def test_articles_first_published_in_the_period_by_the_groups_authors(self, content, kpmi_a, kpmi_b):
        assert per_kpmi("articles_published") == {kpmi_a.pk: 2}
        assert METRICS["articles_published"].per_month(START, END) == {day(2, 1): 1, day(3, 1): 1}

    def test_sales_not_cancelled(self, content, kpmi_a, kpmi_b):
        assert per_kpmi("content_sales") == {kpmi_a.pk: 2, kpmi_b.pk: 1}
        assert METRICS["content_sales"].per_month(START, END) == {day(4, 1): 1, day(5, 1): 2}

    def test_revenue_to_pioneers_in_thousands_net_of_cancellations(self, content, kpmi_a, kpmi_b):
        # A: 100.000 + 250.000 − 250.000 (the cancelled sale); the trainer's share is not a pioneer's.
        assert per_kpmi("content_revenue_to_pioneers") == {kpmi_a.pk: 100, kpmi_b.pk: 49}
        assert METRICS["content_revenue_to_pioneers"].per_month(START, END) == {
            day(4, 1): 100,
            day(5, 1): 49,
            day(6, 1): 250,
            day(7, 1): 0,  # only the cancellation: never below zero
        }

    def test_a_sum_past_the_column_is_capped_not_an_overflow(self, content, admin_user, kpmi_a):
        buyer = news.buyer_create(actor=admin_user, data={"name": "Radio Garut", "kind": "media"})
        big = [sell(admin_user, content["saung"], buyer, "1000", day(6)) for _ in range(3)]
        # Three shares of Rp 999.999.999.999 (the column's largest): past its 2,147,483,647 thousands.
        Earning.objects.filter(sale__in=big).update(amount=Decimal("999999999999"))
        assert per_kpmi("content_revenue_to_pioneers")[kpmi_a.pk] == INT_MAX
        assert METRICS["content_revenue_to_pioneers"].per_month(START, END)[day(6, 1)] == INT_MAX


@pytest.fixture
def evaluated(content, period, officer_entrepreneurs, entrepreneurs):
    services.targets_apply_defaults(actor=officer_entrepreneurs, period=period, association=entrepreneurs)
    evaluation, _ = services.evaluation_create(actor=None, period=period)
    assert services.period_evaluate(evaluation_id=evaluation.pk).status == "succeeded"
    return content


def result_of(metric, kpmi):
    return TargetResult.objects.get(metric=metric, kpmi=kpmi)


def dashboard(**params):
    base = reverse("associations:home", args=["entrepreneurs"])
    return base + "?" + "&".join(f"{k}={v}" for k, v in params.items())


class TestEvaluation:
    def test_targets_evaluated_and_stored(self, evaluated, period, kpmi_a, kpmi_b):
        got = {
            (code, k.pk): (r.target, r.actual) for code in CODES for k in (kpmi_a, kpmi_b) if (r := result_of(code, k))
        }
        assert got == {
            ("articles_published", kpmi_a.pk): (6, 2),
            ("articles_published", kpmi_b.pk): (6, 0),
            ("content_sales", kpmi_a.pk): (2, 2),
            ("content_sales", kpmi_b.pk): (2, 1),
            ("content_revenue_to_pioneers", kpmi_a.pk): (300, 100),
            ("content_revenue_to_pioneers", kpmi_b.pk): (300, 49),
        }
        assert result_of("content_sales", kpmi_a).status == "achieved"
        assert (
            MonthlyActual.objects.get(period=period, metric="content_revenue_to_pioneers", month=day(6, 1)).actual
            == 250
        )
        again, _ = services.evaluation_create(actor=None, period=period)
        assert services.period_evaluate(evaluation_id=again.pk).results_changed == 0

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark and its floors run on PostgreSQL")
    def test_the_benchmarks_raw_sql_floor_finds_the_stored_numbers(self, evaluated, period):
        from kpmi_si.bench import floors

        floors.check_evaluation(period)
        assert floors.evaluation(period)["content_revenue_to_pioneers"][1] == {
            day(4, 1): 100,
            day(5, 1): 49,
            day(6, 1): 250,
            day(7, 1): 0,
        }

    def test_a_new_sale_counts_at_the_next_evaluation(self, evaluated, period, admin_user, kpmi_a):
        buyer = news.buyer_create(actor=admin_user, data={"name": "Radio Garut", "kind": "media"})
        sell(admin_user, evaluated["saung"], buyer, "1000000", day(8))
        evaluation, _ = services.evaluation_create(actor=None, period=period)
        services.period_evaluate(evaluation_id=evaluation.pk)
        assert result_of("content_sales", kpmi_a).actual == 3
        assert result_of("content_revenue_to_pioneers", kpmi_a).actual == 600


class TestDashboard:
    def test_revenue_in_rupiah_and_the_month_series(self, client_for, officer_entrepreneurs, period, evaluated):
        response = client_for(officer_entrepreneurs).get(
            dashboard(period=period.pk, metric="content_revenue_to_pioneers", sort="-actual")
        )
        assert response.status_code == 200
        assert [r["kpmi__name"] for r in response.context["page"].object_list] == ["KPMI Alfa", "KPMI Beta"]
        body = response.content.decode()
        assert "Rp 100.000" in body and "Rp 300.000" in body and "Pendapatan konten perintis" in body
        assert response.context["trend_data"]["label"].endswith("(ribu Rp)")

    def test_articles_and_sales_open(self, client_for, officer_entrepreneurs, period, evaluated, kpmi_a):
        client = client_for(officer_entrepreneurs)
        for code, label in (("articles_published", "Artikel terbit"), ("content_sales", "Penjualan konten")):
            response = client.get(dashboard(period=period.pk, metric=code))
            assert response.status_code == 200 and label in response.content.decode()
            rows = {r["kpmi_id"]: r["actual"] for r in response.context["page"].object_list}
            assert rows[kpmi_a.pk] == 2


class TestDrillDown:
    def records(self, client, code, kpmi):
        result = result_of(code, kpmi)
        return client.get(reverse("associations:result_records", args=["entrepreneurs", result.pk]))

    def test_articles_link_to_their_public_pages(self, client_for, officer_entrepreneurs, evaluated, kpmi_a):
        response = self.records(client_for(officer_entrepreneurs), "articles_published", kpmi_a)
        titles = [a.title for a in response.context["records"]]
        assert titles == ["Internet masuk ke saung tani", "Pasar daring desa"]
        assert evaluated["saung"].get_absolute_url() in response.content.decode()

    def test_sales_with_buyer_and_shares(self, client_for, officer_entrepreneurs, evaluated, kpmi_a):
        response = self.records(client_for(officer_entrepreneurs), "content_sales", kpmi_a)
        assert [s.buyer.name for s in response.context["records"]] == ["Garut Pos", "Garut Pos"]
        body = response.content.decode()
        assert "Rp 200.000" in body and "Rp 100.000" in body and evaluated["saung"].get_absolute_url() in body

    def test_pioneer_earnings_with_the_cancellation(self, client_for, officer_entrepreneurs, evaluated, kpmi_a):
        response = self.records(client_for(officer_entrepreneurs), "content_revenue_to_pioneers", kpmi_a)
        records = list(response.context["records"])
        assert sum(e.amount for e in records) == Decimal("100000.00") and len(records) == 3
        assert {e.author.full_name for e in records} == {"Asep Perintis"}
        body = response.content.decode()
        assert "-Rp 250.000" in body and "penjualan dibatalkan" in body

    def test_another_association_cannot_open_it(self, client_for, officer_communities, evaluated, kpmi_a):
        assert self.records(client_for(officer_communities), "content_sales", kpmi_a).status_code == 403
