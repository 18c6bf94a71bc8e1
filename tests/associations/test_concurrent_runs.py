"""Two runs of the evaluation of one period at the same time (two `evaluate_targets` started by
hand, or the command while a worker runs the nightly job): one computes, the other waits for it or
steps aside, and the run's record says how many results the evaluation really changed.

PostgreSQL only: each run is a thread with its own database connection, as two processes would be."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from associations import services
from associations.models import Association, Evaluation, MonthlyActual, TargetResult
from associations.services import evaluation as evaluation_service
from members.models import Level
from programs.models import Kind
from tests import factories
from tests.programs.factories import make_activity
from tests.workers import wait_for

from .conftest import day

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def period(postgres_url, admin_user, officer_users, kpmi_a, kpmi_b):
    period = services.period_open_year(actor=admin_user, year=2025)
    users = Association.objects.get(code="users")
    services.target_set(actor=officer_users, period=period, association=users, metric="publications", value=3)
    for kpmi in (kpmi_a, kpmi_b):
        manager = factories.MemberFactory(kpmi=kpmi, level=Level.MANAGER)
        for month in (1, 2):
            make_activity(kpmi=kpmi, credited=[manager], kind=Kind.PUBLICATION, date=day(month))
    return period


@pytest.fixture
def held_stage(monkeypatch):
    """The evaluation's computing step, made to wait half-way until released; counts its runs."""
    computed: list[int] = []
    inside, release = threading.Event(), threading.Event()
    real = evaluation_service._stage

    def stage(evaluation, today, codes):
        computed.append(evaluation.pk)
        inside.set()
        assert release.wait(30)
        yield from real(evaluation, today, codes)

    monkeypatch.setattr(evaluation_service, "_stage", stage)
    return computed, inside, release


def _in_thread(target, out: dict, key: str) -> threading.Thread:
    def run():
        try:
            out[key] = target()
        except BaseException as exc:  # reported by the test, not lost in the thread
            out[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _command(period) -> str:
    out = io.StringIO()
    call_command("evaluate_targets", "--period", period.name, stdout=out)
    return out.getvalue()


def _waiting_for_the_run_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


def test_a_second_command_waits_for_the_running_one_and_computes_nothing(period, held_stage):
    computed, inside, release = held_stage
    out: dict = {}
    first = _in_thread(lambda: _command(period), out, "first")
    assert inside.wait(30)
    second = _in_thread(lambda: _command(period), out, "second")
    wait_for(_waiting_for_the_run_lock, timeout=30)
    release.set()
    first.join(60)
    second.join(60)

    assert not isinstance(out["first"], BaseException), out["first"]
    assert not isinstance(out["second"], BaseException), out["second"]
    assert len(computed) == 1
    evaluation = Evaluation.objects.get()
    assert evaluation.status == Evaluation.Status.SUCCEEDED
    # The first evaluation of the period wrote every result and every month of the trend.
    written = TargetResult.objects.filter(period=period).count() + MonthlyActual.objects.filter(period=period).count()
    assert written > 0
    assert evaluation.results_changed == written
    assert f"{written} results changed" in out["first"]
    assert f"{written} results changed" in out["second"]


def test_a_redelivered_task_steps_aside_while_the_run_is_live(period, held_stage):
    """The same evaluation sent to a second worker (or redelivered) while the first still runs it."""
    computed, inside, release = held_stage
    evaluation, _created = services.evaluation_create(actor=None, period=period)
    out: dict = {}
    first = _in_thread(lambda: services.period_evaluate(evaluation_id=evaluation.pk), out, "first")
    assert inside.wait(30)
    assert services.period_evaluate(evaluation_id=evaluation.pk) is None
    release.set()
    first.join(60)
    assert len(computed) == 1
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUCCEEDED
    assert evaluation.results_changed == TargetResult.objects.count() + MonthlyActual.objects.count()
