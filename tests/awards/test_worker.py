"""The shortlist job through a real Celery worker and Redis broker, killed half-way and run again.

Needs PostgreSQL (the worker is another process and must see the test database) and a Redis for
tests (TEST_REDIS_URL; .ci/run sets it). Skipped, with the reason, where either is missing. Mirrors
tests/associations/test_worker.py."""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.db import connection

from awards import services
from awards.models import Achievement, AwardRound, Finalist, ShortlistBuild, Subject
from tests.workers import needs_worker, start_worker, stop, wait_for

from .conftest import category

pytestmark = [pytest.mark.django_db(transaction=True), needs_worker]


def shortlist(round):
    return list(
        Finalist.objects.filter(category__round=round)
        .order_by("category__position", "rank")
        .values_list(
            "category__subject",
            "category__achievement",
            "rank",
            "member__full_name",
            "supervisor__username",
            "score",
            "previous",
        )
    )


def test_worker_killed_half_way_then_rerun_completes(postgres_url, broker, round_2025, garut):
    build, _ = services.shortlist_create(actor=None, round=round_2025)
    n_categories = round_2025.categories.count()

    # Hold the round's row lock: the worker ranks every category, then blocks at the write.
    lock = connection.cursor()
    lock.execute("BEGIN")
    lock.execute("SELECT id FROM awards_awardround WHERE id = %s FOR UPDATE", [round_2025.pk])
    worker = start_worker(postgres_url)
    try:
        broker.send_task("awards.tasks.build_shortlist_task", args=[build.pk])
        wait_for(lambda: ShortlistBuild.objects.filter(pk=build.pk, steps_done=n_categories).exists())
        time.sleep(0.5)  # now waiting on the lock, half-way: computed, nothing written
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
        stop(worker)

    build.refresh_from_db()
    round_2025.refresh_from_db()
    assert build.status == ShortlistBuild.Status.RUNNING
    assert round_2025.status == AwardRound.Status.SHORTLISTING
    assert not Finalist.objects.exists()

    worker = start_worker(postgres_url)
    try:
        broker.send_task("awards.tasks.build_shortlist_task", args=[build.pk])
        wait_for(lambda: ShortlistBuild.objects.get(pk=build.pk).status == ShortlistBuild.Status.SUCCEEDED)
        round_2025.refresh_from_db()
        assert round_2025.status == AwardRound.Status.SHORTLISTED
        pubs = category(round_2025, Subject.MANAGER, Achievement.PUBLICATIONS)
        names = list(pubs.finalists.order_by("rank").values_list("member__full_name", flat=True))
        assert names == ["Asep", "Budi", "Cucu", "Dedi", "Euis"]

        # And once more through the worker: nothing changes.
        before = shortlist(round_2025)
        rows = list(Finalist.objects.order_by("pk").values())
        again, _ = services.shortlist_create(actor=None, round=round_2025)
        broker.send_task("awards.tasks.build_shortlist_task", args=[again.pk])
        wait_for(lambda: ShortlistBuild.objects.get(pk=again.pk).status == ShortlistBuild.Status.SUCCEEDED)
        assert ShortlistBuild.objects.get(pk=again.pk).finalists_changed == 0
        assert shortlist(round_2025) == before
        assert list(Finalist.objects.order_by("pk").values()) == rows
    finally:
        stop(worker)
