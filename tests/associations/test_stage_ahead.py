"""The evaluation computes its stage on a second connection, one association's table after another,
while its own connection writes each table's results as soon as it is there (kpmi_si.alongside.Ahead):
the results must be those of counting in place, a failure half-way must fail the run with the
previous numbers kept, and neither a stage table nor a connection may be left behind.

PostgreSQL only, committed data (a second connection sees nothing a test's transaction holds)."""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from associations import refresh, services
from associations.models import Evaluation, TargetResult
from associations.services import evaluation as evaluation_service
from members.models import Level
from programs.models import Kind
from tests import factories
from tests.programs.factories import make_activity

from .conftest import day, stage_tables

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def period(worked_period):
    return worked_period


@pytest.fixture
def spied(monkeypatch):
    """Where each stage table was computed: (table, thread, server process, that thread's connection),
    and the order in which tables were staged and written ("staged", table) / ("written", table)."""
    seen: list[tuple[str, threading.Thread, int, Any]] = []
    order: list[tuple[str, str]] = []
    real_stage, real_write = evaluation_service._stage, evaluation_service._write_results

    def stage(evaluation, today, codes):
        for table, group in real_stage(evaluation, today, codes):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                seen.append((table, threading.current_thread(), cursor.fetchone()[0], connections[DEFAULT_DB_ALIAS]))
            order.append(("staged", table))
            yield table, group

    def write_results(cursor, period, staged, codes):
        def noted():
            for table, group in staged:
                yield table, group
                order.append(("written", table))  # back here when the writer asks for the next table

        return real_write(cursor, period, noted(), codes)

    monkeypatch.setattr(evaluation_service, "_stage", stage)
    monkeypatch.setattr(evaluation_service, "_write_results", write_results)
    return seen, order


def _evaluate(period) -> Evaluation:
    evaluation, _created = services.evaluation_create(actor=None, period=period)
    return services.period_evaluate(evaluation_id=evaluation.pk)


def _results(period) -> list[tuple[str, int, int | None, int, str]]:
    return sorted(
        TargetResult.objects.filter(period=period).values_list("metric", "kpmi_id", "member_id", "actual", "status")
    )


def test_the_stage_is_computed_on_a_second_connection_and_written_table_by_table(period, spied, kpmi_a, kpmi_b):
    seen, order = spied
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own = cursor.fetchone()[0]

    evaluation = _evaluate(period)

    assert evaluation.status == Evaluation.Status.SUCCEEDED, evaluation.error
    prefix = f"{services.STAGE}_{period.pk}_"
    assert [table for table, *_rest in seen] == [f"{prefix}communities_kpmi", f"{prefix}users_manager"]
    assert {thread for _table, thread, _backend, _wrapper in seen} != {threading.current_thread()}
    assert own not in {backend for _table, _thread, backend, _wrapper in seen}
    # Each table written once, after it was staged.
    assert sorted(order, key=lambda entry: entry[0]) == [
        *(("staged", table) for table, *_rest in seen),
        *(("written", table) for table, *_rest in seen),
    ]
    assert [entry for entry in order if entry[1] == seen[0][0]] == [("staged", seen[0][0]), ("written", seen[0][0])]
    # The numbers are those of counting in place, on this connection, inside a transaction.
    stored = _results(period)
    with transaction.atomic():
        assert _evaluate(period).status == Evaluation.Status.SUCCEEDED
        assert _results(period) == stored
        transaction.set_rollback(True)
    managers = {m.kpmi_id: m.member_id for m in TargetResult.objects.filter(period=period, metric="publications")}
    assert {(metric, member, actual) for metric, _kpmi, member, actual, _status in stored} == {
        ("publications", managers[kpmi_a.pk], 3),
        ("publications", managers[kpmi_b.pk], 2),
        ("new_members", None, 1),
        ("new_members", None, 1),
    }
    # Nothing left behind: the stage went with the write's commit, the second connection with its thread.
    assert stage_tables() == []
    _table, thread, _backend, wrapper = seen[0]
    assert not thread.is_alive()
    assert wrapper.connection is None
    # Once more with nothing new: nothing changes, through the same two connections.
    again = _evaluate(period)
    assert again.status == Evaluation.Status.SUCCEEDED
    assert again.results_changed == 0
    assert _results(period) == stored


def test_a_stage_failing_half_way_fails_the_run_and_the_previous_numbers_stand(period, monkeypatch, kpmi_a):
    assert _evaluate(period).status == Evaluation.Status.SUCCEEDED
    results = _results(period)
    new_members = TargetResult.objects.get(period=period, kpmi=kpmi_a, metric="new_members").actual
    # New work that a successful run would count (not refreshed on its own meanwhile: the refresh job
    # is not sent), then a stage that breaks after its first table, which the writer has written.
    with mock.patch.object(refresh.refresh_stale_results_task, "apply_async"):
        manager = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, joined_on=day(4))
        make_activity(kpmi=kpmi_a, credited=[manager], kind=Kind.PUBLICATION, date=day(6))
        factories.MemberFactory(kpmi=kpmi_a, joined_on=day(6))  # and one more new member (communities' table)
    real = evaluation_service._stage
    opened = []

    def broken(evaluation, today, codes):
        opened.append(connections[DEFAULT_DB_ALIAS])
        for item in real(evaluation, today, codes):
            yield item
            raise RuntimeError("the stage's connection went away")

    monkeypatch.setattr(evaluation_service, "_stage", broken)
    evaluation = _evaluate(period)

    assert evaluation.status == Evaluation.Status.FAILED
    assert "the stage's connection went away" in evaluation.error
    assert _results(period) == results  # the first table's write rolled back with the rest
    assert stage_tables() == []
    assert opened[0].connection is None  # closed with its thread, the failure notwithstanding
    # Once the stage can be computed again, the next run writes what the failed one could not.
    monkeypatch.undo()
    assert _evaluate(period).status == Evaluation.Status.SUCCEEDED
    assert TargetResult.objects.get(period=period, member=manager).actual == 1
    assert TargetResult.objects.get(period=period, kpmi=kpmi_a, metric="new_members").actual == new_members + 2


def test_the_stage_left_by_a_killed_run_is_dropped_by_the_next(period):
    """A run killed after staging leaves its tables (they are committed, on their own connection);
    the next run of the period must neither fail on them nor read their rows."""
    prefix = f"{services.STAGE}_{period.pk}_"
    with connection.cursor() as cursor:
        for table in (f"{prefix}communities_kpmi", f"{prefix}users_manager"):
            cursor.execute(f"CREATE UNLOGGED TABLE {table} AS SELECT 'publications' AS metric, 99 AS actual")
    assert len(stage_tables()) == 2

    evaluation = _evaluate(period)

    assert evaluation.status == Evaluation.Status.SUCCEEDED, evaluation.error
    assert 99 not in {actual for _metric, _kpmi, _member, actual, _status in _results(period)}
    assert sorted(actual for metric, *_rest, actual, _status in _results(period) if metric == "publications") == [2, 3]
    assert stage_tables() == []


def test_inside_a_transaction_the_stage_is_computed_in_place(period, spied, kpmi_a):
    """An evaluation run inside the caller's transaction (an in-process run within a request's): a
    second connection would not see the caller's uncommitted rows, so the stage is computed in place."""
    seen, _order = spied
    with transaction.atomic():
        manager = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, joined_on=day(4))
        make_activity(kpmi=kpmi_a, credited=[manager], kind=Kind.PUBLICATION, date=day(7))
        evaluation = _evaluate(period)
    assert evaluation.status == Evaluation.Status.SUCCEEDED, evaluation.error
    assert {thread for _table, thread, _backend, _wrapper in seen} == {threading.current_thread()}
    assert TargetResult.objects.get(period=period, member=manager).actual == 1
    assert stage_tables() == []
