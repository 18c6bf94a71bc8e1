"""The collaboration half of the proposal job through a real Celery worker and Redis broker, killed
half-way and run again (tests/programs/test_tot_worker.py does the ToT half).

Like tests/associations/test_worker.py: PostgreSQL and TEST_REDIS_URL needed, skipped otherwise."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from associations import services as association_services
from associations.models import Association
from members.models import Level
from programs import services
from programs.models import Invitation, Kind
from tests import factories
from tests.programs.factories import make_activity
from tests.workers import needs_worker, start_worker, stop, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), needs_worker]

TASK = "programs.tasks.propose_interventions_task"


@pytest.fixture
def data(admin_user, officer_users, kpmi_a, kpmi_b):
    """A programme for managers below 2 publications + education: Asep and Ani (KPMI A), Budi (KPMI B)."""
    period = association_services.period_open_year(actor=admin_user, year=2025)
    users = Association.objects.get(code="users")
    association_services.target_set(
        actor=officer_users, period=period, association=users, metric="publications", value=2
    )
    low_a = [factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name=n) for n in ("Asep", "Ani")]
    budi = factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Budi")
    busy = factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Cucu")
    for day in (1, 2):
        make_activity(kpmi=kpmi_b, credited=[busy], kind=Kind.PUBLICATION, date=dt.date(2025, 3, day))
    program = services.collaboration_create(
        actor=officer_users,
        name="Kolaborasi Konten Garut",
        theme="Berita desa",
        date=timezone.localdate() + dt.timedelta(days=10),
        venue="Aula KOMTIK",
        period=period,
        threshold=2,
    )
    evaluation, _ = association_services.evaluation_create(actor=None, period=period)
    evaluation = association_services.period_evaluate(evaluation_id=evaluation.pk)
    return evaluation, program, low_a, budi


def test_worker_killed_half_way_then_rerun_completes(postgres_url, broker, data, kpmi_a, kpmi_b):
    evaluation, program, low_a, budi = data

    # Hold an uncommitted invitation of Budi (KPMI B): the worker proposes KPMI A (committed in its own
    # transaction), then waits on this row's unique key when it reaches KPMI B.
    lock = connection.cursor()
    lock.execute("BEGIN")
    lock.execute(
        "INSERT INTO programs_invitation (program_id, member_id, kpmi_id, status, created_at, note)"
        " VALUES (%s, %s, %s, 'proposed', now(), '')",
        [program.pk, budi.pk, kpmi_b.pk],
    )
    worker = start_worker(postgres_url)
    try:
        broker.send_task(TASK, args=[evaluation.pk])
        wait_for(lambda: Invitation.objects.filter(program=program, kpmi=kpmi_a).count() == 2)
        time.sleep(0.5)  # now blocked on KPMI B, half-way
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
        stop(worker)

    assert not Invitation.objects.filter(kpmi=kpmi_b).exists()
    first_half = list(Invitation.objects.order_by("pk").values())

    worker = start_worker(postgres_url)
    try:
        broker.send_task(TASK, args=[evaluation.pk])
        wait_for(lambda: Invitation.objects.filter(program=program, kpmi=kpmi_b).exists())
        assert list(Invitation.objects.filter(kpmi=kpmi_a).order_by("pk").values()) == first_half
        assert set(program.invitations.values_list("member__full_name", flat=True)) == {"Asep", "Ani", "Budi"}

        # And once more: nothing new.
        before = list(Invitation.objects.order_by("pk").values())
        broker.send_task(TASK, args=[evaluation.pk])
        time.sleep(3)
        assert list(Invitation.objects.order_by("pk").values()) == before
    finally:
        stop(worker)
