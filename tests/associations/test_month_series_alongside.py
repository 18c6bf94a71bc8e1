"""The evaluation counts the regency's month series on a second connection while its one INSERT
writes the results (kpmi_si.alongside): the trend must read what counting them in place reads, a
failure there must fail the run with the previous numbers kept, and no connection may be left open.

PostgreSQL only, committed data (a second connection sees nothing a test's transaction holds)."""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from associations import refresh, services
from associations.models import Evaluation, MonthlyActual, TargetResult
from associations.services import evaluation as evaluation_service
from members.models import Level
from programs.models import Kind
from tests import factories
from tests.programs.factories import make_activity

from .conftest import day

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def period(worked_period):
    return worked_period


@pytest.fixture
def spied(monkeypatch):
    """Where each month series was counted: (thread, server process, that thread's Django connection)."""
    seen: list[tuple[threading.Thread, int, Any]] = []
    real = evaluation_service._month_series

    def month_series(period, codes):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            seen.append((threading.current_thread(), cursor.fetchone()[0], connections[DEFAULT_DB_ALIAS]))
        return real(period, codes)

    monkeypatch.setattr(evaluation_service, "_month_series", month_series)
    return seen


def _evaluate(period) -> Evaluation:
    evaluation, _created = services.evaluation_create(actor=None, period=period)
    return services.period_evaluate(evaluation_id=evaluation.pk)


def _trend(period) -> dict[tuple[str, int], int]:
    return {(m.metric, m.month.month): m.actual for m in MonthlyActual.objects.filter(period=period)}


def test_the_trend_is_counted_on_a_second_connection_and_reads_what_counting_in_place_reads(period, spied):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own = cursor.fetchone()[0]

    evaluation = _evaluate(period)

    assert evaluation.status == Evaluation.Status.SUCCEEDED, evaluation.error
    [(thread, backend, wrapper)] = spied
    assert thread is not threading.current_thread()
    assert backend != own
    assert _trend(period) == {
        ("publications", 1): 1,
        ("publications", 2): 3,
        ("publications", 5): 1,
        ("new_members", 3): 2,
    }
    # The same series counted in place, on this connection, inside a transaction.
    with transaction.atomic():
        in_place = evaluation_service._month_series(period, ["publications", "new_members"])
    assert {(code, month.month): n for (code, month), n in in_place.items() if n} == _trend(period)
    # The second connection went with its thread (closed, or back in the pool).
    assert not thread.is_alive()
    assert wrapper.connection is None
    assert wrapper is not connections[DEFAULT_DB_ALIAS]


def test_a_failing_trend_fails_the_run_and_the_previous_numbers_stand(period, monkeypatch, kpmi_a):
    assert _evaluate(period).status == Evaluation.Status.SUCCEEDED
    results = sorted(TargetResult.objects.filter(period=period).values_list("metric", "kpmi_id", "member_id", "actual"))
    trend = _trend(period)
    # New work that a successful run would count (not refreshed on its own meanwhile: the refresh
    # job is not sent), then a month series that breaks on its connection.
    with mock.patch.object(refresh.refresh_stale_results_task, "apply_async"):
        manager = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, joined_on=day(4))
        make_activity(kpmi=kpmi_a, credited=[manager], kind=Kind.PUBLICATION, date=day(6))
    assert TargetResult.objects.filter(period=period, member=manager).count() == 0

    opened = []

    def broken(period, codes):
        opened.append(connections[DEFAULT_DB_ALIAS])
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        raise RuntimeError("the trend's connection went away")

    monkeypatch.setattr(evaluation_service, "_month_series", broken)
    evaluation = _evaluate(period)

    assert evaluation.status == Evaluation.Status.FAILED
    assert "the trend's connection went away" in evaluation.error
    assert (
        sorted(TargetResult.objects.filter(period=period).values_list("metric", "kpmi_id", "member_id", "actual"))
        == results
    )
    assert _trend(period) == trend
    assert opened[0].connection is None  # closed with its thread, the failure notwithstanding
    # Once the trend can be counted again, the next run writes what the failed one could not.
    monkeypatch.undo()
    assert _evaluate(period).status == Evaluation.Status.SUCCEEDED
    assert TargetResult.objects.get(period=period, member=manager).actual == 1
    assert _trend(period)[("publications", 6)] == 1


def test_inside_a_transaction_the_trend_is_counted_in_place(period, spied, kpmi_a):
    """An evaluation run inside the caller's transaction (an in-process run within a request's): a
    second connection would not see the caller's uncommitted rows, so the series are counted in place."""
    with transaction.atomic():
        manager = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, joined_on=day(4))
        make_activity(kpmi=kpmi_a, credited=[manager], kind=Kind.PUBLICATION, date=day(7))
        evaluation = _evaluate(period)
    assert evaluation.status == Evaluation.Status.SUCCEEDED, evaluation.error
    [(thread, _backend, _wrapper)] = spied
    assert thread is threading.current_thread()
    assert _trend(period)[("publications", 7)] == 1
