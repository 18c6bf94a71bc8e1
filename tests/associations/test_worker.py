"""The evaluation through a real Celery worker and Redis broker, killed half-way and run again.

Needs PostgreSQL (the worker is another process and must see the test database) and a Redis for
tests (TEST_REDIS_URL; .ci/run sets it). Skipped, with the reason, where either is missing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from associations import services
from associations.models import Evaluation, TargetResult
from members.models import Level
from programs.models import Kind
from tests import factories
from tests.programs.factories import make_activity

from .conftest import day

REDIS = os.environ.get("TEST_REDIS_URL", "")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS, reason="TEST_REDIS_URL is not set (CI sets redis://127.0.0.1:6379/15)"),
]


@pytest.fixture
def postgres_url():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run the worker tests against PostgreSQL")
        pytest.skip("a worker process cannot share the in-memory SQLite test database")
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker():
    # Not the current app: shared tasks elsewhere in this process must keep running in-process.
    app = Celery(broker=REDIS, set_as_current=False)
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # a clean queue: no message left from another run
    yield app
    app.close()


def start_worker(postgres_url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": postgres_url, "REDIS_URL": REDIS, "DEBUG": "true"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kpmi_si",
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


@pytest.fixture
def data(admin_user, officer_users, kpmi_a, kpmi_b):
    from associations.models import Association

    period = services.period_open_year(actor=admin_user, year=2025)
    users = Association.objects.get(code="users")
    services.target_set(actor=officer_users, period=period, association=users, metric="publications", value=3)
    services.target_set(actor=officer_users, period=period, association=users, metric="education", value=1)
    managers = [factories.MemberFactory(kpmi=k, level=Level.MANAGER) for k in (kpmi_a, kpmi_b) for _ in range(3)]
    for index, manager in enumerate(managers):
        for month in range(1, index + 2):
            make_activity(kpmi=manager.kpmi, credited=[manager], kind=Kind.PUBLICATION, date=day(month))
    return period, managers


def test_worker_killed_half_way_then_rerun_completes(postgres_url, broker, data):
    period, managers = data
    evaluation, _ = services.evaluation_create(actor=None, period=period)

    # Hold the period's row lock: the worker computes every result, then blocks at the write.
    lock = connection.cursor()
    lock.execute("BEGIN")
    lock.execute("SELECT id FROM associations_period WHERE id = %s FOR UPDATE", [period.pk])
    worker = start_worker(postgres_url)
    try:
        broker.send_task("associations.tasks.evaluate_period_task", args=[evaluation.pk])
        wait_for(lambda: Evaluation.objects.filter(pk=evaluation.pk, steps_done=2).exists())
        time.sleep(0.5)  # now waiting on the lock, half-way: computed, nothing written
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
        stop(worker)

    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.RUNNING
    assert not TargetResult.objects.filter(period=period).exists()

    worker = start_worker(postgres_url)
    try:
        broker.send_task("associations.tasks.evaluate_period_task", args=[evaluation.pk])
        wait_for(lambda: Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.SUCCEEDED)
        results = dict(
            TargetResult.objects.filter(period=period, metric="publications").values_list("member_id", "actual")
        )
        assert results == {m.pk: i + 1 for i, m in enumerate(managers)}
        assert TargetResult.objects.filter(period=period, metric="education").count() == 6

        # And once more through the worker: nothing changes.
        before = list(TargetResult.objects.order_by("pk").values())
        again, _ = services.evaluation_create(actor=None, period=period)
        broker.send_task("associations.tasks.evaluate_period_task", args=[again.pk])
        wait_for(lambda: Evaluation.objects.get(pk=again.pk).status == Evaluation.Status.SUCCEEDED)
        assert Evaluation.objects.get(pk=again.pk).results_changed == 0
        assert list(TargetResult.objects.order_by("pk").values()) == before
    finally:
        stop(worker)
