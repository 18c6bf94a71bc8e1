"""The evaluation through a real Celery worker and Redis broker, killed half-way and run again.

Needs PostgreSQL (the worker is another process and must see the test database) and a Redis for
tests (TEST_REDIS_URL; .ci/run sets it). Skipped, with the reason, where either is missing."""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.db import connection

from associations import services
from associations.models import Evaluation, TargetResult
from members.models import Level
from programs.models import Kind
from tests import factories
from tests.programs.factories import make_activity
from tests.workers import needs_worker, start_worker, stop, wait_for

from .conftest import day, stage_tables

pytestmark = [pytest.mark.django_db(transaction=True), needs_worker]


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
    # The stage was computed on its own connection and committed: the killed run left it behind.
    assert stage_tables() == [f"kpmi_evaluation_stage_{period.pk}_users_manager"]

    worker = start_worker(postgres_url)
    try:
        broker.send_task("associations.tasks.evaluate_period_task", args=[evaluation.pk])
        wait_for(lambda: Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.SUCCEEDED)
        results = dict(
            TargetResult.objects.filter(period=period, metric="publications").values_list("member_id", "actual")
        )
        assert results == {m.pk: i + 1 for i, m in enumerate(managers)}
        assert TargetResult.objects.filter(period=period, metric="education").count() == 6
        assert stage_tables() == []  # the rerun dropped what the killed run left

        # And once more through the worker: nothing changes.
        before = list(TargetResult.objects.order_by("pk").values())
        again, _ = services.evaluation_create(actor=None, period=period)
        broker.send_task("associations.tasks.evaluate_period_task", args=[again.pk])
        wait_for(lambda: Evaluation.objects.get(pk=again.pk).status == Evaluation.Status.SUCCEEDED)
        assert Evaluation.objects.get(pk=again.pk).results_changed == 0
        assert list(TargetResult.objects.order_by("pk").values()) == before
    finally:
        stop(worker)
