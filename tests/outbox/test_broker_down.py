"""Redis (the broker) stopped under the app: pages and work logging keep answering, a job asked for
meanwhile waits in the outbox, and once Redis is back the beat's flush hands it to a real worker,
which runs it and the jobs it queues in turn (the evaluation, then its proposals).

The Redis is the test's own (tests/servers.py), on a private port; the web side is Django's test
client with this process's Celery app pointed at it, the worker a real Celery process. Needs
PostgreSQL (the worker must see the test database) and redis-server; skipped, with the reason,
elsewhere."""

from __future__ import annotations

import time

import pytest
from celery import Celery
from django.urls import reverse
from django.utils import timezone

from associations import services as association_services
from associations.models import Association, Evaluation, TargetResult
from kpmi_si.outbox import services as outbox_services
from kpmi_si.outbox.models import PendingTask
from members.models import Level
from programs.models import Activity, Invitation
from tests import factories
from tests.servers import private_redis
from tests.workers import app_broker, start_worker, stop, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def period(admin_user, officer_communities, kpmi_a, tot_event):
    """This year, 2 new trainers per KPMI: KPMI A is behind, and its candidates can be proposed the ToT."""
    period = association_services.period_open_year(actor=admin_user, year=timezone.localdate().year)
    association_services.target_set(
        actor=officer_communities,
        period=period,
        association=Association.objects.get(code="communities"),
        metric="new_trainers",
        value=2,
    )
    factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE, full_name="Calon A")
    return period


@pytest.fixture
def tot_event(officer_communities):
    import datetime as dt

    from programs import services as program_services

    return program_services.tot_event_create(
        actor=officer_communities, name="ToT Pusat 1", date=timezone.localdate() + dt.timedelta(days=30), capacity=10
    )


def test_broker_down_then_back(postgres_url, settings, client_for, officer_communities, manager_a, kpmi_a, period):
    outbox_services._broker_failed = False
    officer, manager = client_for(officer_communities), client_for(manager_a)
    dashboard = reverse("associations:home", args=["communities"])
    with private_redis() as redis, app_broker(redis.url):
        # The same Redis is the cache, as in production (the password-reset limits count in it).
        settings.CACHES = {"default": {"BACKEND": "kpmi_si.cache.ResilientRedisCache", "LOCATION": redis.url}}
        redis.stop()

        # A page whose limits count in the cache answers (the limits let it through meanwhile).
        response = client_for(None).post(reverse("password_reset"), {"email": "siapa@example.id"})
        assert response.status_code == 302

        # Work logging: the record is stored and the manager lands on it.
        response = manager.post(
            reverse("programs:activity_create", args=["terbitan"]),
            {
                "title": "Info pasar murah",
                "date": timezone.localdate().isoformat(),
                "channel": "social",
                "link": "https://instagram.com/p/abc",
                "kecamatan": kpmi_a.kecamatan_id,
                "credited": [manager_a.member.pk],
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        assert response.url == Activity.objects.get(title="Info pasar murah").get_absolute_url()

        # Asking for a job: the request answers (quickly), the job waits in the outbox.
        started = time.monotonic()
        response = officer.post(reverse("associations:evaluation_start", args=["communities"]), {"period": period.pk})
        assert response.status_code == 302
        assert time.monotonic() - started < 10
        evaluation = Evaluation.objects.get(period=period)
        assert evaluation.status == Evaluation.Status.QUEUED
        assert PendingTask.objects.get().args == [evaluation.pk]

        # Pages keep working and the one showing the job's results says they may be late.
        for url in (dashboard, reverse("directory:kpmi_list"), reverse("programs:work_list")):
            assert officer.get(url).status_code == 200
        assert "data-jobs-delayed" in officer.get(dashboard).content.decode()

        redis.start()
        worker = start_worker(postgres_url, redis.url)
        try:
            # What Celery beat sends every minute.
            beat = Celery(broker=redis.url, set_as_current=False)
            beat.send_task("kpmi_si.outbox.tasks.outbox_flush_task")
            beat.close()
            wait_for(lambda: Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.SUCCEEDED)
            # The evaluation queued its proposals through the outbox, from the worker: they ran too.
            wait_for(lambda: Invitation.objects.filter(kpmi=kpmi_a).count() == 1)
            wait_for(lambda: not PendingTask.objects.exists())
        finally:
            stop(worker)

    assert TargetResult.objects.filter(period=period, kpmi=kpmi_a, metric="new_trainers").count() == 1
    assert Evaluation.objects.count() == 1
    assert "data-jobs-delayed" not in officer.get(dashboard).content.decode()
