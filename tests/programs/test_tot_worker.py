"""The ToT proposals through a real Celery worker and Redis broker, killed half-way and run again.

Like tests/associations/test_worker.py: PostgreSQL and TEST_REDIS_URL needed, skipped otherwise."""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.db import connection

from associations import services as association_services
from associations.models import Association
from programs.models import Invitation
from tests.workers import needs_worker, start_worker, stop, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), needs_worker]


@pytest.fixture
def evaluation(admin_user, officer_communities, kpmi_a, kpmi_b, tot_event, candidates_a, candidates_b):
    period = association_services.period_open_year(actor=admin_user, year=2025)
    association_services.target_set(
        actor=officer_communities,
        period=period,
        association=Association.objects.get(code="communities"),
        metric="new_trainers",
        value=2,
    )
    evaluation, _ = association_services.evaluation_create(actor=None, period=period)
    return association_services.period_evaluate(evaluation_id=evaluation.pk)


def test_worker_killed_half_way_then_rerun_completes(
    postgres_url, broker, evaluation, tot_event, kpmi_a, kpmi_b, candidates_b
):
    # Hold an uncommitted invitation of a KPMI B candidate: the worker proposes KPMI A (committed
    # in its own transaction), then waits on this row's unique key when it reaches KPMI B.
    lock = connection.cursor()
    lock.execute("BEGIN")
    lock.execute(
        "INSERT INTO programs_invitation (tot_event_id, member_id, kpmi_id, status, created_at, note)"
        " VALUES (%s, %s, %s, 'proposed', now(), '')",
        [tot_event.pk, candidates_b[0].pk, kpmi_b.pk],
    )
    worker = start_worker(postgres_url)
    try:
        broker.send_task("programs.tasks.propose_interventions_task", args=[evaluation.pk])
        wait_for(lambda: Invitation.objects.filter(kpmi=kpmi_a).count() == 3)
        time.sleep(0.5)  # now blocked on KPMI B, half-way
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
        stop(worker)

    assert Invitation.objects.filter(kpmi=kpmi_a).count() == 3
    assert not Invitation.objects.filter(kpmi=kpmi_b).exists()
    first_half = list(Invitation.objects.order_by("pk").values())

    worker = start_worker(postgres_url)
    try:
        broker.send_task("programs.tasks.propose_interventions_task", args=[evaluation.pk])
        wait_for(lambda: Invitation.objects.filter(kpmi=kpmi_b).count() == 2)
        assert list(Invitation.objects.filter(kpmi=kpmi_a).order_by("pk").values()) == first_half

        # And once more: nothing new.
        before = list(Invitation.objects.order_by("pk").values())
        result = broker.send_task("programs.tasks.propose_interventions_task", args=[evaluation.pk])
        del result
        time.sleep(3)
        assert list(Invitation.objects.order_by("pk").values()) == before
    finally:
        stop(worker)
