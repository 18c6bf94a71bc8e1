"""The outbox: a job queued while the broker is unreachable is kept, the page that asked for it answers
as usual and says results may be late, and the flush sends what waited exactly once.

No real broker needed: an unreachable one is a closed port, a reachable one is kombu's in-memory
transport (tests/outbox/test_broker_down.py does it with a real Redis stopped and started again)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from associations import services as association_services
from associations.models import Evaluation
from kpmi_si.celery import app as celery_app
from kpmi_si.outbox import selectors, services
from kpmi_si.outbox.models import PendingTask
from kpmi_si.outbox.services import outbox_flush, task_enqueue
from tests.servers import free_port
from tests.workers import app_broker

pytestmark = pytest.mark.django_db

DOWN = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


@pytest.fixture(autouse=True)
def fresh_process_state():
    services._broker_failed = False
    yield
    services._broker_failed = False


@pytest.fixture
def period(admin_user):
    return association_services.period_open_year(actor=admin_user, year=timezone.localdate().year)


def queued_messages() -> int:
    with celery_app.connection_for_write() as conn:
        return conn.default_channel._size("celery")


@pytest.fixture
def memory_broker():
    with app_broker("memory://"):
        with celery_app.connection_for_write() as conn:
            conn.default_channel._purge("celery")
        yield


class TestBrokerUnreachable:
    def test_evaluate_now_answers_and_keeps_the_job(
        self, client_for, officer_users, period, django_capture_on_commit_callbacks
    ):
        client = client_for(officer_users)
        url = reverse("associations:evaluation_start", args=["users"])
        with app_broker(DOWN), django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"period": period.pk})
        assert response.status_code == 302
        evaluation = Evaluation.objects.get(period=period)
        assert evaluation.status == Evaluation.Status.QUEUED
        row = PendingTask.objects.get()
        assert (row.name, row.args, row.attempts) == ("associations.tasks.evaluate_period_task", [evaluation.pk], 1)
        assert "Error" in row.last_error

    def test_pages_with_job_results_say_they_may_be_late(self, client_for, officer_users, period):
        client = client_for(officer_users)
        dashboard = reverse("associations:home", args=["users"])
        with app_broker(DOWN):
            assert "data-jobs-delayed" not in client.get(dashboard).content.decode()
            PendingTask.objects.create(name="associations.tasks.evaluate_period_task", args=[1], attempts=1)
            body = client.get(dashboard).content.decode()
        assert "data-jobs-delayed" in body
        assert "hasil mungkin tertunda" in body  # Indonesian first
        # Without a broker jobs run in-process: nothing can be late, and the page asks nothing.
        assert "data-jobs-delayed" not in client.get(dashboard).content.decode()

    def test_a_row_no_request_sent_counts_as_late_after_a_while(self):
        row = PendingTask.objects.create(name="x", args=[])
        with app_broker(DOWN):
            assert not selectors.jobs_delayed()  # on its way with the request that wrote it
            PendingTask.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(minutes=3))
            assert selectors.jobs_delayed()

    def test_nothing_is_sent_while_it_stays_away(self):
        PendingTask.objects.create(name="associations.tasks.evaluate_period_task", args=[1], attempts=1)
        with app_broker(DOWN):
            assert outbox_flush() == 0
        assert PendingTask.objects.get().attempts == 2


class TestFlush:
    def test_sends_what_waited_once_and_leaves_fresh_rows_to_their_request(self, memory_broker):
        failed = PendingTask.objects.create(name="associations.tasks.evaluate_period_task", args=[1], attempts=1)
        orphan = PendingTask.objects.create(name="awards.tasks.build_shortlist_task", args=[2])
        PendingTask.objects.filter(pk=orphan.pk).update(created_at=timezone.now() - dt.timedelta(minutes=1))
        in_flight = PendingTask.objects.create(name="awards.tasks.build_shortlist_task", args=[3])

        assert outbox_flush() == 2
        assert list(PendingTask.objects.values_list("pk", flat=True)) == [in_flight.pk]
        assert queued_messages() == 2
        assert failed.pk not in PendingTask.objects.values_list("pk", flat=True)

        # Twice: nothing more leaves.
        assert outbox_flush() == 0
        assert queued_messages() == 2

    def test_the_first_send_that_works_again_takes_the_backlog(self, memory_broker, django_capture_on_commit_callbacks):
        from awards.services.shortlist import build_shortlist_task

        with app_broker(DOWN), django_capture_on_commit_callbacks(execute=True):
            task_enqueue(build_shortlist_task, 1)
        assert PendingTask.objects.get().attempts == 1

        with app_broker("memory://"), django_capture_on_commit_callbacks(execute=True):
            task_enqueue(build_shortlist_task, 2)
        assert not PendingTask.objects.exists()
        with app_broker("memory://"):
            assert queued_messages() == 2

    def test_a_job_is_written_in_the_transaction_of_the_change(self, memory_broker):
        from django.db import transaction

        from awards.services.shortlist import build_shortlist_task

        with pytest.raises(RuntimeError), transaction.atomic():
            task_enqueue(build_shortlist_task, 1)
            raise RuntimeError("the change fails")
        assert not PendingTask.objects.exists()
        assert queued_messages() == 0


def test_without_a_broker_jobs_run_in_process_and_nothing_is_kept(django_capture_on_commit_callbacks, settings):
    from kpmi_si.notifications.services import notification_send
    from tests import factories

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=factories.UserFactory(email="a@example.id"), message=lambda: "Halo")
    assert not PendingTask.objects.exists()


def test_beat_sends_the_waiting_jobs_every_minute(settings):
    from kpmi_si.outbox.tasks import outbox_flush_task

    entry = settings.CELERY_BEAT_SCHEDULE["send-waiting-jobs"]
    assert entry["task"] == outbox_flush_task.name
    assert entry["schedule"] == 60.0
