"""The order pages from the URL: recording an order (the price and its reason shown before saving,
bad input refused on its field), the list with its filters and bounded queries, the order's page,
payment once, cancellation, and a delivered order turned into logged work once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from entrepreneurship.models import Client, Order, PaymentStatus, Posting
from entrepreneurship.services.orders import order_pay
from kpmi_si.audit.models import AuditEntry
from members.models import Level
from programs.models import Activity
from tests import factories
from tests.forms import form_data

from .orders_helpers import candidate_of, client_of, deployment_service, record_order, today, training_service

pytestmark = pytest.mark.django_db


def _create_url(kpmi) -> str:
    return reverse("entrepreneurship:order_create", args=[kpmi.pk])


def _order_post(service, **changes):
    return {
        "client_type": "member",
        "member": "",
        "client": "",
        "new_client_name": "",
        "new_client_category": "",
        "new_client_kecamatan": "",
        "new_client_desa": "",
        "new_client_contact": "",
        "service": service.pk,
        "quantity": "1",
        "date": today().isoformat(),
        "override_unit_price": "",
        "override_reason": "",
        "note": "",
        **changes,
    }


class TestRecording:
    def test_the_price_of_a_trainer_candidate_is_shown_free_before_saving(self, client_for, manager_a, kpmi_a, kpmi_b):
        service = training_service(kpmi_a)
        candidate = candidate_of(kpmi_b)
        response = client_for(manager_a).post(
            _create_url(kpmi_a), {**_order_post(service, member=candidate.pk, quantity="3"), "preview": "1"}
        )
        assert response.status_code == 200
        assert "Gratis — calon pelatih" in response.content.decode()
        assert not Order.objects.exists()

    def test_a_school_pays_and_the_page_says_why(self, client_for, manager_a, kpmi_a):
        service = deployment_service(kpmi_a, price="150000")
        post = _order_post(
            service,
            client_type="new",
            quantity="2",
            new_client_name="SDN 2 Tarogong",
            new_client_category="school",
            new_client_kecamatan=kpmi_a.kecamatan_id,
        )
        client = client_for(manager_a)
        preview = client.post(_create_url(kpmi_a), {**post, "preview": "1"})
        assert "Rp 150.000 × 2" in preview.content.decode() and "Rp 300.000" in preview.content.decode()
        response = client.post(_create_url(kpmi_a), post, follow=True)
        order = Order.objects.get()
        assert response.redirect_chain[-1][0] == order.get_absolute_url()
        assert order.total == Decimal("300000.00") and order.price_reason == "Rp 150.000 × 2"
        assert "Rp 150.000 × 2" in response.content.decode()
        assert order.client.category == "school" and order.receipt_number == 1

    def test_the_target_community_is_free_and_settled_at_once(self, client_for, manager_a, kpmi_a):
        service = deployment_service(kpmi_a)
        community = client_of(kpmi_a, name="Warga Sukamaju", category="target_community")
        client_for(manager_a).post(_create_url(kpmi_a), _order_post(service, client_type="client", client=community.pk))
        order = Order.objects.get()
        assert order.payment_status == PaymentStatus.WAIVED and order.price_reason == "Gratis — masyarakat sasaran"

    def test_the_member_search_stays_short_and_picks_by_number(self, client_for, manager_a, kpmi_a, kpmi_b):
        for n in range(30):
            factories.MemberFactory(kpmi=kpmi_b, full_name=f"Siti Nurhaliza {n}")
        client = client_for(manager_a)
        response = client.get(_create_url(kpmi_a), {"q": "nurhaliza"})
        assert len(response.context["found"]) == 20
        assert "<option" not in response.content.decode().split('name="member"')[1].split(">")[0]
        picked = factories.MemberFactory(kpmi=kpmi_b, full_name="Ujang Dipilih")
        form = client.get(_create_url(kpmi_a), {"member": picked.pk}).context["form"]
        assert form["member"].value() == picked.pk and form["client_type"].value() == "member"

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"quantity": "0"}, "quantity"),
            ({"quantity": "10001"}, "quantity"),
            ({"quantity": "dua"}, "quantity"),
            ({"member": "99999999"}, "member"),
            ({"member": ""}, "member"),
            ({"override_unit_price": "100.000"}, "override_reason"),
            ({"override_unit_price": "-1"}, "override_unit_price"),
            ({"override_unit_price": "10.000,555", "override_reason": "Diskon"}, "override_unit_price"),
            ({"client_type": "client", "client": "99999999"}, "client"),
            ({"client_type": "new", "new_client_name": "Sekolah"}, "new_client_category"),
        ],
    )
    def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
        self, client_for, manager_a, kpmi_a, changes, field
    ):
        service = training_service(kpmi_a)
        member = candidate_of(kpmi_a)
        response = client_for(manager_a).post(
            _create_url(kpmi_a), {**_order_post(service, member=member.pk), **changes}
        )
        assert response.status_code == 200
        assert response.context["form"].errors[field]
        assert not Order.objects.exists() and not Client.objects.exists()

    def test_a_future_date_is_refused(self, client_for, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        tomorrow = (today() + dt.timedelta(days=1)).isoformat()
        response = client_for(manager_a).post(
            _create_url(kpmi_a), _order_post(service, member=candidate_of(kpmi_a).pk, date=tomorrow)
        )
        assert "tidak boleh" in response.context["form"].errors["date"][0] and not Order.objects.exists()

    def test_a_service_of_another_kpmi_injected_is_refused(self, client_for, manager_a, kpmi_a, kpmi_b):
        foreign = training_service(kpmi_b)
        response = client_for(manager_a).post(_create_url(kpmi_a), _order_post(foreign, member=candidate_of(kpmi_a).pk))
        assert response.status_code == 200 and response.context["form"].errors["service"]
        assert not Order.objects.exists()

    def test_an_override_with_its_reason_is_saved_and_audited(self, client_for, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        trainer = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        client_for(manager_a).post(
            _create_url(kpmi_a),
            _order_post(service, member=trainer.pk, override_unit_price="100.000", override_reason="Anggota aktif"),
        )
        order = Order.objects.get()
        assert order.total == Decimal("100000.00") and order.override_reason == "Anggota aktif"
        assert AuditEntry.objects.get(action="order_price_override").changes["total"] == ["150000.00", "100000.00"]

    def test_the_same_page_sent_twice_records_one_order(self, client_for, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        client = client_for(manager_a)
        form = client.get(_create_url(kpmi_a)).context["form"]
        data = form_data(form, **_order_post(service, member=candidate_of(kpmi_a).pk))
        client.post(_create_url(kpmi_a), data)
        client.post(_create_url(kpmi_a), data)
        # Back in the browser, "compute the price" on the saved page: its order, not a second one.
        again = client.post(_create_url(kpmi_a), {**data, "preview": "1"})
        assert Order.objects.count() == 1
        assert again.status_code == 302 and again["Location"] == Order.objects.get().get_absolute_url()

    def test_another_kpmis_manager_and_officers_cannot_record(self, client_for, manager_b, officer_users, kpmi_a):
        service = training_service(kpmi_a)
        for user in (manager_b, officer_users):
            response = client_for(user).post(_create_url(kpmi_a), _order_post(service, member=candidate_of(kpmi_a).pk))
            assert response.status_code == 403
        assert not Order.objects.exists()


class TestList:
    def test_filters_and_bounded_queries(self, django_assert_max_num_queries, client_for, manager_a, kpmi_a, kpmi_b):
        training, deployment = training_service(kpmi_a), deployment_service(kpmi_a)
        school = client_of(kpmi_a)
        for n in range(12):
            record_order(manager_a, training, client=school, date=today() - dt.timedelta(days=n))
        community = client_of(kpmi_a, name="Warga Sukamaju", category="target_community")
        record_order(manager_a, deployment, client=community, date=today() - dt.timedelta(days=40))
        keeper_b = factories.make_keeper(kpmi_b, username="pengelola_b")
        record_order(keeper_b, training_service(kpmi_b), client=client_of(kpmi_b))
        client = client_for(manager_a)
        url = reverse("entrepreneurship:order_list", args=[kpmi_a.pk])
        with django_assert_max_num_queries(14):
            response = client.get(url)
        assert response.context["page"].paginator.count == 13  # B's order is not listed
        by_service = client.get(url, {"service": deployment.pk}).context["page"]
        assert [o.service_id for o in by_service] == [deployment.pk]
        by_status = client.get(url, {"status": "waived"}).context["page"]
        assert by_status.paginator.count == 1
        recent = client.get(url, {"date_from": (today() - dt.timedelta(days=4)).isoformat()}).context["page"]
        assert recent.paginator.count == 5
        assert client.get(url, {"date_from": "bukan-tanggal", "page": "999"}).status_code == 200


class TestPayment:
    def test_paying_posts_once_and_a_second_submit_says_so(self, client_for, manager_a, supervisor_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), quantity=2, client=client_of(kpmi_a))
        url = reverse("entrepreneurship:order_pay", args=[kpmi_a.pk, order.pk])
        data = {"method": "transfer", "paid_on": today().isoformat()}
        first = client_for(manager_a).post(url, data)
        second = client_for(supervisor_a).post(url, data, follow=True)
        assert first.status_code == 302
        assert "sudah dibayar" in second.content.decode()
        assert Posting.objects.filter(order=order).count() == 1
        assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.PAID

    def test_a_future_payment_date_is_a_field_message(self, client_for, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), client=client_of(kpmi_a))
        response = client_for(manager_a).post(
            reverse("entrepreneurship:order_pay", args=[kpmi_a.pk, order.pk]),
            {"method": "cash", "paid_on": (today() + dt.timedelta(days=1)).isoformat()},
        )
        assert response.status_code == 200 and response.context["form"].errors["paid_on"]
        assert not Posting.objects.exists()

    def test_another_kpmis_manager_cannot_pay(self, client_for, manager_b, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), client=client_of(kpmi_a))
        url = reverse("entrepreneurship:order_pay", args=[kpmi_a.pk, order.pk])
        assert client_for(manager_b).post(url, {"method": "cash", "paid_on": today().isoformat()}).status_code == 403
        assert not Posting.objects.exists()


class TestCancel:
    def test_cancelling_a_paid_order_reverses_its_payment(self, client_for, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), client=client_of(kpmi_a))
        order_pay(actor=manager_a, order=order, method="cash", paid_on=today())
        url = reverse("entrepreneurship:order_cancel", args=[kpmi_a.pk, order.pk])
        refused = client_for(manager_a).post(url, {"reason": "   "})
        assert refused.status_code == 200 and refused.context["form"].errors["reason"]
        assert client_for(manager_a).post(url, {"reason": "Batal"}).status_code == 302
        assert sum(Posting.objects.filter(order=order).values_list("amount", flat=True)) == 0
        assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.CANCELLED


class TestDetail:
    def test_the_page_shows_the_reason_and_officers_read_it(self, client_for, officer_communities, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), member=candidate_of(kpmi_a))
        response = client_for(officer_communities).get(order.get_absolute_url())
        assert response.status_code == 200
        body = response.content.decode()
        assert "Gratis — calon pelatih" in body and order.receipt_label in body
        assert reverse("entrepreneurship:order_pay", args=[kpmi_a.pk, order.pk]) not in body

    def test_another_kpmis_order_under_this_address_is_not_found(self, client_for, manager_a, kpmi_a, kpmi_b):
        keeper_b = factories.make_keeper(kpmi_b, username="pengelola_b")
        order_b = record_order(keeper_b, training_service(kpmi_b), client=client_of(kpmi_b))
        assert (
            client_for(manager_a)
            .get(reverse("entrepreneurship:order_detail", args=[kpmi_a.pk, order_b.pk]))
            .status_code
            == 404
        )


class TestLogWork:
    def test_a_delivered_training_becomes_logged_work_in_one_step_once(self, client_for, manager_a, kpmi_a):
        candidate = candidate_of(kpmi_a)
        order = record_order(manager_a, training_service(kpmi_a), member=candidate, date=today() - dt.timedelta(days=1))
        url = reverse("entrepreneurship:order_log_work", args=[kpmi_a.pk, order.pk])
        client = client_for(manager_a)
        form = client.get(url).context["form"]
        assert form["title"].value() == "Pelatihan dasar TIK" and form["date"].value() == order.date
        assert order.receipt_label in form["summary"].value() and candidate.full_name in form["summary"].value()
        assert form["trainees"].value() == [candidate.pk] and form["trainee_group"].value() == "candidates"
        data = form_data(form, venue="Sekretariat", lead_trainer=manager_a.member.pk)
        response = client.post(url, data)
        activity = Activity.objects.get()
        order.refresh_from_db()
        assert response.status_code == 302 and order.activity == activity and order.delivered_on == order.date
        assert list(activity.training.trainees.all()) == [candidate]
        again = client.get(url)
        assert again.status_code == 302 and again["Location"] == activity.get_absolute_url()
        assert client.post(url, {**data, "idempotency_key": ""}).status_code == 302
        assert Activity.objects.count() == 1

    def test_a_service_without_a_work_kind_is_not_logged(self, client_for, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        service.work_kind = ""
        service.save()
        order = record_order(manager_a, service, member=candidate_of(kpmi_a))
        response = client_for(manager_a).get(reverse("entrepreneurship:order_log_work", args=[kpmi_a.pk, order.pk]))
        assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
