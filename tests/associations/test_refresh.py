"""The incremental re-evaluation (associations.refresh): a change that moves a number marks the
subjects and month it touches; the refresh recomputes only those and leaves exactly what a full
evaluation would store. Safe to run twice and after a run killed half-way; without a broker it runs
right after the change's commit."""

from __future__ import annotations

import threading
from unittest import mock

import psycopg
import pytest
from django.db import DataError, connection, connections, transaction

from associations import refresh, services
from associations.models import Evaluation, MonthlyActual, StaleResult, TargetResult
from members import services as member_services
from members.models import Level
from programs import services as work_services
from programs.models import Activity, Kind, Status
from tests import factories
from tests.programs.factories import make_activity

from . import test_evaluation
from .conftest import day
from .test_evaluation import evaluate

garut = test_evaluation.garut  # the fixture: KPMI A and B, their managers and a year of their work

pytestmark = pytest.mark.django_db


def stored(period) -> tuple[set, set]:
    results = set(
        TargetResult.objects.filter(period=period).values_list(
            "metric", "kpmi_id", "member_id", "target", "actual", "ratio", "status", "kecamatan_id"
        )
    )
    months = set(MonthlyActual.objects.filter(period=period).values_list("metric", "month", "actual"))
    return results, months


def publications(period, member):
    return TargetResult.objects.get(period=period, metric="publications", member=member).actual


def changes_after_evaluation(period, garut, admin_user, officer_communities, communities):
    """What an officer and a manager do after the night's evaluation: an approved publication of
    Pengelola B in July, a ToT pass in KPMI B, a new KPMI founded from B, an override for KPMI A."""
    pending = make_activity(
        kpmi=garut["kpmi_b"], credited=[garut["manager_b"]], kind=Kind.PUBLICATION, date=day(7), status=Status.PENDING
    )
    work_services.activity_approve(actor=admin_user, activity=pending)
    candidate = member_services.member_register(
        actor=admin_user, kpmi=garut["kpmi_b"], full_name="Calon B", gender="female", birth_year=2001, joined_on=day(1)
    )
    member_services.member_change_level(
        actor=officer_communities, member=candidate, to_level=Level.TRAINER, reason="Lulus ToT #6", effective_on=day(8)
    )
    # A manager of long standing (joined before the year: no new member to count).
    founder = factories.MemberFactory(kpmi=garut["kpmi_b"], level=Level.MANAGER, joined_on=day(1).replace(year=2019))
    member_services.kpmi_create(
        actor=admin_user,
        data={
            "name": "KPMI Delta",
            "kecamatan": garut["kpmi_b"].kecamatan,
            "founded_on": day(10),
            "founded_by": founder,
            "status": "active",
        },
    )
    services.target_set(
        actor=officer_communities,
        period=period,
        association=communities,
        metric="new_members",
        value=1,
        kpmi=garut["kpmi_a"],
    )


def test_an_approved_activity_marks_its_members_groups_and_month(period, garut, admin_user):
    evaluate(period)
    pending = make_activity(
        kpmi=garut["kpmi_b"], credited=[garut["manager_b"]], kind=Kind.PUBLICATION, date=day(7), status=Status.PENDING
    )
    assert not StaleResult.objects.filter(member_id=garut["manager_b"].pk).exists()  # pending work counts nothing
    work_services.activity_approve(actor=admin_user, activity=pending)
    marks = StaleResult.objects.filter(period=period)
    assert set(marks.exclude(member_id=None).values_list("member_id", flat=True)) == {garut["manager_b"].pk}
    assert garut["kpmi_b"].pk in set(marks.exclude(kpmi_id=None).values_list("kpmi_id", flat=True))
    assert set(marks.exclude(month=None).values_list("month", flat=True)) == {day(7, 1)}


def test_the_refresh_stores_what_a_full_evaluation_stores(
    period,
    garut,
    admin_user,
    officer_communities,
    communities,
):
    evaluate(period)
    before = publications(period, garut["manager_b"])
    changes_after_evaluation(period, garut, admin_user, officer_communities, communities)

    changed = refresh.stale_results_refresh()
    assert changed > 0
    assert publications(period, garut["manager_b"]) == before + 1
    assert not StaleResult.objects.exists()
    incremental = stored(period)

    full = evaluate(period)
    assert full.status == Evaluation.Status.SUCCEEDED
    assert stored(period) == incremental
    assert full.results_changed == 0  # the full run found nothing left to change


def test_the_refresh_is_safe_to_run_twice(period, garut, admin_user, officer_communities, communities):
    evaluate(period)
    changes_after_evaluation(period, garut, admin_user, officer_communities, communities)
    refresh.stale_results_refresh()
    after_first = stored(period)
    assert refresh.stale_results_refresh() == 0
    assert stored(period) == after_first


def work_changes_after_evaluation(period, garut, admin_user):
    """What officers do to logged work after the night's evaluation: a publication of Pengelola B
    approved in July (a month with none), and the joint publication of April (that month's only one)
    deleted."""
    pending = make_activity(
        kpmi=garut["kpmi_b"], credited=[garut["manager_b"]], kind=Kind.PUBLICATION, date=day(7), status=Status.PENDING
    )
    work_services.activity_approve(actor=admin_user, activity=pending)
    joint = Activity.objects.get(kind=Kind.PUBLICATION, date=day(4))
    work_services.activity_delete(actor=admin_user, activity=joint)


def test_a_refresh_of_logged_work_alone_stores_what_a_full_evaluation_stores(period, garut, admin_user, monkeypatch):
    evaluate(period)
    april = MonthlyActual.objects.get(period=period, metric="publications", month=day(4, 1))
    assert april.actual == 1
    work_changes_after_evaluation(period, garut, admin_user)

    if connection.vendor == "postgresql":
        # Marks of logged work alone are refreshed in one message of statements, without the claim of
        # the general path (which SQLite takes).
        monkeypatch.setattr(refresh, "_claim", lambda: pytest.fail("the general path was taken"))
    assert refresh.stale_results_refresh() > 0
    monkeypatch.undo()
    assert not StaleResult.objects.exists()
    assert publications(period, garut["manager_b"]) == 1  # April's joint one gone, July's counted
    assert not MonthlyActual.objects.filter(period=period, metric="publications", month=day(4, 1)).exists()
    assert MonthlyActual.objects.get(period=period, metric="publications", month=day(7, 1)).actual == 1
    incremental = stored(period)

    full = evaluate(period)
    assert full.status == Evaluation.Status.SUCCEEDED
    assert stored(period) == incremental
    assert full.results_changed == 0


def test_a_refresh_killed_half_way_leaves_its_marks_for_the_next_run(
    period,
    garut,
    admin_user,
    monkeypatch,
):
    """A change of any kind (a new member marks every metric), refreshed by the general path."""
    evaluate(period)
    before = stored(period)
    member_services.member_register(
        actor=admin_user, kpmi=garut["kpmi_b"], full_name="Anggota B", gender="male", birth_year=2000, joined_on=day(7)
    )
    n_marks = StaleResult.objects.count()

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(refresh, "_refresh_months", killed)
    with pytest.raises(SystemExit):
        refresh.stale_results_refresh()
    assert stored(period) == before  # the results written before the kill were rolled back
    assert StaleResult.objects.count() == n_marks

    monkeypatch.undo()
    assert refresh.stale_results_refresh() > 0
    assert not StaleResult.objects.exists()
    assert evaluate(period).results_changed == 0


@pytest.mark.django_db(transaction=True)
def test_a_refresh_of_logged_work_that_fails_half_way_leaves_its_marks_for_the_next_run(
    period, garut, admin_user, monkeypatch
):
    """Outside any transaction of the caller (as the worker runs it), the one message of statements
    is one transaction: a statement failing after the claim and the first writes undoes them all."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes the general path (see the test above)")
    evaluate(period)
    before = stored(period)
    with mock.patch.object(refresh.refresh_stale_results_task, "apply_async"):  # no refresh after the commit
        work_changes_after_evaluation(period, garut, admin_user)
    marks = set(StaleResult.objects.values_list("pk", flat=True))
    assert marks

    month_sql = refresh._month_sql
    monkeypatch.setattr(
        refresh, "_month_sql", lambda *args: (month_sql(*args)[0].replace("n > 0", "n / 0 > 0"), month_sql(*args)[1])
    )
    with pytest.raises(DataError):
        refresh.stale_results_refresh()
    assert stored(period) == before
    assert set(StaleResult.objects.values_list("pk", flat=True)) == marks

    monkeypatch.undo()
    assert refresh.stale_results_refresh() > 0
    assert not StaleResult.objects.exists()
    assert publications(period, garut["manager_b"]) == 1
    assert evaluate(period).results_changed == 0


@pytest.mark.django_db(transaction=True)
def test_a_change_committing_while_its_mark_is_refreshed_is_still_counted(period, garut, admin_user):
    """Two approvals of one manager's work in one month: the refresh takes the first's marks while the
    second is approved but not yet committed, so it counts without the second. The second's own marks
    outlive that refresh, and the next one counts it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: no change commits during a refresh")
    evaluate(period)
    before = publications(period, garut["manager_b"])
    first, second = (
        make_activity(
            kpmi=garut["kpmi_b"],
            credited=[garut["manager_b"]],
            kind=Kind.PUBLICATION,
            date=day(7, d),
            status=Status.PENDING,
        )
        for d in (2, 3)
    )
    approved, release = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def approve_second() -> None:
        try:
            with transaction.atomic():
                work_services.activity_approve(actor=admin_user, activity=second)
                approved.set()
                assert release.wait(30)
        except BaseException as exc:  # reported by the test, not lost in the thread
            failure.append(exc)
        finally:
            approved.set()
            connections.close_all()

    with mock.patch.object(refresh.refresh_stale_results_task, "apply_async"):  # the test runs the refresh
        work_services.activity_approve(actor=admin_user, activity=first)
        thread = threading.Thread(target=approve_second)
        thread.start()
        assert approved.wait(30)
        refresh.stale_results_refresh()  # claims the first approval's marks; the second is not committed
        assert publications(period, garut["manager_b"]) == before + 1
        release.set()
        thread.join(30)
    assert not failure, failure

    refresh.stale_results_refresh()
    assert publications(period, garut["manager_b"]) == before + 2
    assert not StaleResult.objects.exists()
    assert evaluate(period).results_changed == 0


def approve_publication(garut, admin_user, month: int) -> None:
    pending = make_activity(
        kpmi=garut["kpmi_b"],
        credited=[garut["manager_b"]],
        kind=Kind.PUBLICATION,
        date=day(month),
        status=Status.PENDING,
    )
    with mock.patch.object(refresh.refresh_stale_results_task, "apply_async"):  # refreshed by the test
        work_services.activity_approve(actor=admin_user, activity=pending)


def refreshed_as_a_full_run_stores(period) -> None:
    assert refresh.stale_results_refresh() > 0
    assert not StaleResult.objects.exists()
    incremental = stored(period)
    full = evaluate(period)
    assert stored(period) == incremental
    assert full.results_changed == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_connection_that_lost_its_prepared_statements_still_refreshes(period, garut, admin_user):
    """The refresh's statements are prepared once per connection; a session reset behind its back
    (DISCARD ALL, as a pooler may do) is found out and they are prepared again."""
    evaluate(period)
    before = publications(period, garut["manager_b"])
    approve_publication(garut, admin_user, 7)
    refreshed_as_a_full_run_stores(period)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    approve_publication(garut, admin_user, 8)
    refreshed_as_a_full_run_stores(period)
    assert publications(period, garut["manager_b"]) == before + 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_statements_prepared_on_the_connection_unknown_to_the_process_are_used(period, garut, admin_user):
    """A message that prepared its statements and then failed leaves them prepared (PREPARE is not
    undone with the transaction) while the process forgot them: preparing them again is refused, and
    the refresh learns the connection's statements and runs them."""
    evaluate(period)
    before = publications(period, garut["manager_b"])
    approve_publication(garut, admin_user, 7)
    refreshed_as_a_full_run_stores(period)
    refresh._PREPARED_ON.clear()
    approve_publication(garut, admin_user, 8)
    refreshed_as_a_full_run_stores(period)
    assert publications(period, garut["manager_b"]) == before + 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_new_connection_prepares_the_statements_in_its_first_refresh(period, garut, admin_user):
    """A connection the pool has just opened has none of the statements, and the process knows it."""
    evaluate(period)
    before = publications(period, garut["manager_b"])
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    refresh._PREPARED_ON.clear()
    approve_publication(garut, admin_user, 7)
    refreshed_as_a_full_run_stores(period)
    assert publications(period, garut["manager_b"]) == before + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_prepared_statements WHERE starts_with(name, 'kpmi_refresh_')")
        assert cursor.fetchone()[0] == 3  # the claim, the subjects' and the month's statements


def test_an_override_of_a_metric_not_of_logged_work_is_refreshed_at_once(
    period, garut, officer_communities, communities, monkeypatch
):
    """Its subjects' statement is not a prepared one (see refresh._subjects_prepared): it rides in the
    same message as SQL text."""
    evaluate(period)
    services.target_set(
        actor=officer_communities,
        period=period,
        association=communities,
        metric="new_members",
        value=1,
        kpmi=garut["kpmi_a"],
    )
    if connection.vendor == "postgresql":
        monkeypatch.setattr(refresh, "_claim", lambda: pytest.fail("the general path was taken"))
    refreshed_as_a_full_run_stores(period)
    result = TargetResult.objects.get(period=period, metric="new_members", kpmi=garut["kpmi_a"], member=None)
    assert result.target == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_marks_it_does_not_take_go_to_the_general_path(period, garut, admin_user):
    """A new member marks every metric with its month, which the two messages do not take: their claim
    is undone, the general path claims the marks again in a transaction of its own, and the connection
    is left outside any transaction."""
    evaluate(period)
    with mock.patch.object(refresh.refresh_stale_results_task, "apply_async"):  # refreshed by the test
        member_services.member_register(
            actor=admin_user,
            kpmi=garut["kpmi_b"],
            full_name="Anggota B",
            gender="male",
            birth_year=2000,
            joined_on=day(7),
        )
    assert StaleResult.objects.filter(metric="").exists()
    refreshed_as_a_full_run_stores(period)
    if connection.vendor == "postgresql":
        assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_while_an_evaluation_is_queued_the_refresh_writes_nothing_and_keeps_the_marks(period, garut, admin_user):
    """Its stage may predate the change: the marks wait for the run after it."""
    evaluate(period)
    before = stored(period)
    n = publications(period, garut["manager_b"])
    approve_publication(garut, admin_user, 7)
    marks = set(StaleResult.objects.values_list("pk", flat=True))
    queued, _created = services.evaluation_create(actor=None, period=period)
    assert refresh.stale_results_refresh() == 0
    assert stored(period) == before
    assert set(StaleResult.objects.values_list("pk", flat=True)) == marks
    services.period_evaluate(evaluation_id=queued.pk)
    assert not StaleResult.objects.exists()  # settled by the evaluation
    assert publications(period, garut["manager_b"]) == n + 1


def test_without_a_broker_the_refresh_runs_after_the_commit(
    period,
    garut,
    admin_user,
    django_capture_on_commit_callbacks,
):
    evaluate(period)
    before = publications(period, garut["manager_b"])
    pending = make_activity(
        kpmi=garut["kpmi_b"], credited=[garut["manager_b"]], kind=Kind.PUBLICATION, date=day(7), status=Status.PENDING
    )
    with django_capture_on_commit_callbacks(execute=True):
        work_services.activity_approve(actor=admin_user, activity=pending)
    assert publications(period, garut["manager_b"]) == before + 1
    assert not StaleResult.objects.exists()


def test_a_closed_period_is_not_marked(period, garut, admin_user):
    evaluate(period)
    services.period_close(actor=admin_user, period=period)
    pending = make_activity(
        kpmi=garut["kpmi_b"], credited=[garut["manager_b"]], kind=Kind.PUBLICATION, date=day(7), status=Status.PENDING
    )
    work_services.activity_approve(actor=admin_user, activity=pending)
    assert not StaleResult.objects.filter(period=period).exists()


def test_beat_refreshes_the_marked_numbers_twice_a_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-stale-results"]
    assert entry["task"] == refresh.refresh_stale_results_task.name
    assert entry["schedule"] <= 60  # an officer sees an approved activity within a minute
