"""Orders through their services: the price computed by the rules and stored with its reason, an
override only with a reason (audited), free orders settled at once, payment into the ledger once,
cancellation (a paid one reversed), receipt numbers per KPMI, and a delivered order logged as work once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from entrepreneurship.models import Category, Client, ClientCategory, Order, PaymentStatus, Posting
from entrepreneurship.services.catalogue import rule_add
from entrepreneurship.services.orders import order_cancel, order_create, order_log_work, order_pay
from kpmi_si.audit.models import AuditEntry
from members.models import Level
from programs.models import Activity, Kind
from tests import factories

from .orders_helpers import (
    candidate_of,
    client_of,
    deployment_service,
    indonesian,  # noqa: F401 - a fixture
    record_order,
    today,
    training_service,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indonesian")]


class TestPricing:
    def test_training_is_free_for_a_trainer_candidate_of_any_kpmi(self, manager_a, kpmi_a, kpmi_b):
        order = record_order(manager_a, training_service(kpmi_a), quantity=3, member=candidate_of(kpmi_b))
        assert (order.total, order.is_free, order.payment_status) == (Decimal("0.00"), True, PaymentStatus.WAIVED)
        assert order.price_reason == "Gratis — calon pelatih"
        assert order.free_rule is not None
        assert not Posting.objects.exists()

    def test_training_is_paid_by_a_trainer(self, manager_a, kpmi_a):
        trainer = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        order = record_order(manager_a, training_service(kpmi_a), quantity=2, member=trainer)
        assert order.total == Decimal("300000.00") and order.payment_status == PaymentStatus.UNPAID
        assert order.price_reason == "Rp 150.000 × 2"

    def test_deployment_is_free_for_the_target_community_and_paid_by_a_school(self, manager_a, kpmi_a):
        service = deployment_service(kpmi_a, price="150000")
        community = client_of(kpmi_a, name="Warga Kampung Sukamaju", category=ClientCategory.TARGET_COMMUNITY)
        free = record_order(manager_a, service, client=community)
        assert free.price_reason == "Gratis — masyarakat sasaran" and free.payment_status == PaymentStatus.WAIVED
        paid = record_order(manager_a, service, quantity=2, client=client_of(kpmi_a))
        assert paid.price_reason == "Rp 150.000 × 2" and paid.total == Decimal("300000.00")

    def test_a_kecamatan_rule_makes_it_free_only_there(self, manager_a, kpmi_a):
        service = deployment_service(kpmi_a)
        rule_add(actor=manager_a, service=service, kecamatan=kpmi_a.kecamatan, client_category=ClientCategory.SCHOOL)
        here = record_order(manager_a, service, client=client_of(kpmi_a))
        elsewhere = record_order(
            manager_a, service, client=client_of(kpmi_a, name="SMK Cibatu", kecamatan=factories.kecamatan("Cibatu"))
        )
        assert here.is_free and here.price_reason == f"Gratis — sekolah, {kpmi_a.kecamatan}"
        assert not elsewhere.is_free and elsewhere.total == Decimal("500000.00")

    def test_a_new_outside_client_is_created_with_the_order(self, manager_a, kpmi_a):
        service = deployment_service(kpmi_a)
        new = {"name": "Kantor Desa Sukamaju", "category": ClientCategory.GOVERNMENT, "kecamatan": kpmi_a.kecamatan}
        order = record_order(manager_a, service, new_client=new)
        assert order.client.name == "Kantor Desa Sukamaju" and order.client.kpmi == kpmi_a
        # Typed again: the same client, not a second one.
        record_order(manager_a, service, new_client=new)
        assert Client.objects.count() == 1


class TestOverride:
    def test_an_override_needs_a_reason_and_nothing_is_saved_without(self, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        school = client_of(kpmi_a)
        with pytest.raises(ValidationError) as exc:
            record_order(manager_a, service, client=school, override_unit_price=Decimal("100000"))
        assert "override_reason" in exc.value.message_dict
        assert not Order.objects.exists()

    def test_an_override_is_stored_explained_and_audited_old_to_new(self, manager_a, kpmi_a):
        service = training_service(kpmi_a)
        order = record_order(
            manager_a,
            service,
            quantity=2,
            client=client_of(kpmi_a),
            override_unit_price=Decimal("100000"),
            override_reason="Diskon sekolah mitra",
        )
        assert order.total == Decimal("200000.00") and order.unit_price == Decimal("100000.00")
        assert "Rp 100.000 × 2" in order.price_reason and "Rp 150.000 × 2" in order.price_reason
        entry = AuditEntry.objects.get(action="order_price_override")
        assert entry.changes["total"] == ["300000.00", "200000.00"] and entry.note == "Diskon sekolah mitra"

    def test_a_free_order_overridden_to_a_price_is_no_longer_free(self, manager_a, kpmi_a):
        order = record_order(
            manager_a,
            training_service(kpmi_a),
            member=candidate_of(kpmi_a),
            override_unit_price=Decimal("50000"),
            override_reason="Sertifikat dicetak",
        )
        assert not order.is_free and order.payment_status == PaymentStatus.UNPAID


class TestRefusals:
    def test_a_service_of_another_kpmi_is_refused(self, manager_a, kpmi_a, kpmi_b):
        with pytest.raises(ValidationError) as exc:
            order_create(
                actor=manager_a,
                kpmi=kpmi_a,
                service=training_service(kpmi_b),
                quantity=1,
                date=today(),
                client=client_of(kpmi_a),
            )
        assert "service" in exc.value.message_dict and not Order.objects.exists()

    @pytest.mark.parametrize("quantity", [0, -1, 10_001])
    def test_absurd_quantities_are_refused(self, manager_a, kpmi_a, quantity):
        with pytest.raises(ValidationError) as exc:
            record_order(manager_a, training_service(kpmi_a), quantity=quantity, client=client_of(kpmi_a))
        assert "quantity" in exc.value.message_dict and not Order.objects.exists()

    def test_a_future_date_is_refused(self, manager_a, kpmi_a):
        with pytest.raises(ValidationError) as exc:
            record_order(
                manager_a, training_service(kpmi_a), client=client_of(kpmi_a), date=today() + dt.timedelta(days=1)
            )
        assert "date" in exc.value.message_dict

    def test_another_kpmis_manager_cannot_record(self, manager_b, kpmi_a):
        with pytest.raises(PermissionDenied):
            record_order(manager_b, training_service(kpmi_a), client=client_of(kpmi_a))
        assert not Order.objects.exists()


class TestReceiptNumbers:
    def test_numbers_are_sequential_per_kpmi(self, manager_a, manager_b, kpmi_a, kpmi_b):
        a, b = training_service(kpmi_a), training_service(kpmi_b)
        school = client_of(kpmi_a)
        numbers_a = [record_order(manager_a, a, client=school).receipt_number for _ in range(3)]
        number_b = record_order(manager_b, b, client=client_of(kpmi_b)).receipt_number
        assert numbers_a == [1, 2, 3] and number_b == 1
        assert Order.objects.get(kpmi=kpmi_a, receipt_number=2).receipt_label == f"KPMI-{kpmi_a.pk}/000002"

    def test_a_refused_order_uses_no_number(self, manager_a, kpmi_a):
        service, school = training_service(kpmi_a), client_of(kpmi_a)
        with pytest.raises(ValidationError):
            record_order(manager_a, service, client=school, override_unit_price=Decimal("1"))
        assert record_order(manager_a, service, client=school).receipt_number == 1


class TestPayment:
    def test_payment_posts_the_total_as_service_income_with_its_audit(self, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), quantity=2, client=client_of(kpmi_a))
        paid = order_pay(actor=manager_a, order=order, method="cash", paid_on=today())
        assert paid.payment_status == PaymentStatus.PAID and paid.paid_on == today()
        posting = Posting.objects.get(order=order)
        assert (posting.category, posting.amount) == (Category.SERVICE_INCOME, Decimal("300000.00"))
        assert AuditEntry.objects.filter(action="order_pay", target_id=str(order.pk)).count() == 1
        assert AuditEntry.objects.filter(action="posting_record").count() == 1

    def test_paying_twice_is_refused_and_posts_once(self, manager_a, supervisor_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), client=client_of(kpmi_a))
        order_pay(actor=manager_a, order=order, method="cash", paid_on=today())
        with pytest.raises(ValidationError) as exc:
            order_pay(actor=supervisor_a, order=order, method="transfer", paid_on=today())
        assert "sudah dibayar" in exc.value.messages[0]
        assert Posting.objects.filter(order=order).count() == 1

    def test_a_free_order_is_not_paid(self, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), member=candidate_of(kpmi_a))
        with pytest.raises(ValidationError):
            order_pay(actor=manager_a, order=order, method="cash", paid_on=today())
        assert not Posting.objects.exists()

    def test_a_future_payment_date_and_no_method_are_field_messages(self, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), client=client_of(kpmi_a))
        with pytest.raises(ValidationError) as exc:
            order_pay(actor=manager_a, order=order, method="", paid_on=today() + dt.timedelta(days=1))
        assert set(exc.value.message_dict) == {"method", "paid_on"}
        assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.UNPAID

    def test_a_payment_dated_before_the_order_is_refused_on_its_field(self, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), client=client_of(kpmi_a))
        with pytest.raises(ValidationError) as exc:
            order_pay(actor=manager_a, order=order, method="cash", paid_on=order.date - dt.timedelta(days=1))
        assert list(exc.value.message_dict) == ["paid_on"]
        assert "sebelum pesanan" in exc.value.message_dict["paid_on"][0]
        assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.UNPAID
        assert not Posting.objects.exists()
        assert order_pay(actor=manager_a, order=order, method="cash", paid_on=order.date).paid_on == order.date


class TestCancel:
    def test_a_paid_order_cancelled_gets_its_payment_reversed(self, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), client=client_of(kpmi_a))
        order_pay(actor=manager_a, order=order, method="cash", paid_on=today())
        cancelled = order_cancel(actor=manager_a, order=order, reason="Pelatihan batal")
        assert cancelled.payment_status == PaymentStatus.CANCELLED
        amounts = sorted(Posting.objects.filter(order=order).values_list("amount", flat=True))
        assert amounts == [Decimal("-150000.00"), Decimal("150000.00")]
        assert Order.objects.filter(pk=order.pk).exists()  # never deleted
        with pytest.raises(ValidationError):
            order_cancel(actor=manager_a, order=order, reason="Lagi")
        assert Posting.objects.filter(order=order).count() == 2

    def test_cancelling_needs_a_reason(self, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), client=client_of(kpmi_a))
        with pytest.raises(ValidationError) as exc:
            order_cancel(actor=manager_a, order=order, reason="  ")
        assert "reason" in exc.value.message_dict


class TestLogWork:
    def _training(self, order, lead):
        return {
            "title": order.service.name,
            "date": order.date,
            "kecamatan": order.kpmi.kecamatan,
            "desa": None,
            "summary": "",
            "evidence_url": "",
            "venue": "Sekretariat",
            "trainee_group": "candidates",
        }

    def test_a_delivered_training_becomes_logged_work_once(self, manager_a, kpmi_a):
        candidate = candidate_of(kpmi_a)
        order = record_order(manager_a, training_service(kpmi_a), member=candidate)
        lead = manager_a.member
        activity = order_log_work(
            actor=manager_a, order=order, data=self._training(order, lead), credited=[lead], trainees=[candidate]
        )
        order.refresh_from_db()
        assert activity.kind == Kind.TRAINING and order.activity == activity and order.delivered_on == order.date
        with pytest.raises(ValidationError):
            order_log_work(
                actor=manager_a, order=order, data=self._training(order, lead), credited=[lead], trainees=[candidate]
            )
        assert Activity.objects.count() == 1

    def test_refused_work_links_nothing(self, manager_a, kpmi_a):
        order = record_order(manager_a, training_service(kpmi_a), member=candidate_of(kpmi_a))
        with pytest.raises(ValidationError):
            order_log_work(actor=manager_a, order=order, data=self._training(order, None), credited=[], trainees=[])
        order.refresh_from_db()
        assert order.activity is None and order.delivered_on is None and not Activity.objects.exists()
