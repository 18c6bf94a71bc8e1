"""The evaluation: numbers computed from the logged data, stored with a status; safe to run twice,
a failure leaves the previous results, a closed period is frozen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from associations import metrics, services
from associations.models import Evaluation, MonthlyActual, TargetResult
from members import services as member_services
from members.models import Kpmi, Level
from programs.models import Kind, Status
from tests import factories
from tests.programs.factories import make_activity

from .conftest import day

pytestmark = pytest.mark.django_db


def evaluate(period, actor=None):
    evaluation, _created = services.evaluation_create(actor=actor, period=period)
    return services.period_evaluate(evaluation_id=evaluation.pk)


@pytest.fixture
def garut(admin_user, officer_communities, officer_users, period, communities, users_association, kpmi_a, kpmi_b):
    """KPMI A: 3 members joined in 2025 (one promoted to trainer), founded KPMI C; its manager
    published 4 times, once jointly with KPMI B's manager. KPMI B: 1 new member, nothing else."""
    services.target_set(
        actor=officer_communities, period=period, association=communities, metric="new_members", value=3
    )
    services.target_set(
        actor=officer_communities, period=period, association=communities, metric="new_trainers", value=2
    )
    services.target_set(actor=officer_communities, period=period, association=communities, metric="new_kpmi", value=1)
    services.target_set(
        actor=officer_users, period=period, association=users_association, metric="publications", value=4
    )

    new = [factories.MemberFactory(kpmi=kpmi_a, joined_on=day(m)) for m in (2, 3, 3)]
    factories.MemberFactory(kpmi=kpmi_a, joined_on=dt.date(2024, 12, 31))  # the year before: not counted
    factories.MemberFactory(kpmi=kpmi_b, joined_on=day(6))
    member_services.member_change_level(
        actor=officer_communities, member=new[0], to_level=Level.TRAINER, reason="Lulus ToT #5", effective_on=day(5)
    )
    founder = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, joined_on=dt.date(2019, 1, 1))
    factories.KpmiFactory(name="KPMI Gamma", founded_from=kpmi_a, founded_by=founder, founded_on=day(9))

    manager_a = factories.MemberFactory(
        kpmi=kpmi_a, level=Level.MANAGER, full_name="Pengelola A", joined_on=dt.date(2019, 1, 1)
    )
    manager_b = factories.MemberFactory(
        kpmi=kpmi_b, level=Level.MANAGER, full_name="Pengelola B", joined_on=dt.date(2019, 1, 1)
    )
    for month in (1, 2, 3):
        make_activity(kpmi=kpmi_a, credited=[manager_a], kind=Kind.PUBLICATION, date=day(month))
    make_activity(kpmi=kpmi_a, credited=[manager_a, manager_b], kind=Kind.PUBLICATION, date=day(4))
    make_activity(kpmi=kpmi_a, credited=[manager_a], kind=Kind.PUBLICATION, date=day(5), status=Status.PENDING)
    make_activity(kpmi=kpmi_a, credited=[manager_a], kind=Kind.EDUCATION, date=day(5))
    make_activity(kpmi=kpmi_a, credited=[manager_a], kind=Kind.PUBLICATION, date=dt.date(2026, 1, 2))
    return {"kpmi_a": kpmi_a, "kpmi_b": kpmi_b, "manager_a": manager_a, "manager_b": manager_b, "founder": founder}


def _result(period, metric, *, kpmi=None, member=None):
    qs = TargetResult.objects.filter(period=period, metric=metric)
    return qs.get(member=member) if member else qs.get(kpmi=kpmi, member=None)


def test_results_are_computed_from_the_logged_data(period, garut):
    evaluation = evaluate(period)
    assert evaluation.status == Evaluation.Status.SUCCEEDED
    assert evaluation.percent == 100

    a, b = garut["kpmi_a"], garut["kpmi_b"]
    members_a = _result(period, "new_members", kpmi=a)
    # Three 2025 members plus the two managers and the founder the fixture built (joined 2019: not
    # counted) -> 3; the 2024 member is not counted either.
    assert (members_a.target, members_a.actual, members_a.status) == (3, 3, TargetResult.Status.ACHIEVED)
    assert _result(period, "new_members", kpmi=b).actual == 1
    assert _result(period, "new_members", kpmi=b).status == TargetResult.Status.BEHIND
    trainers_a = _result(period, "new_trainers", kpmi=a)
    assert (trainers_a.actual, trainers_a.ratio) == (1, Decimal("0.500"))
    assert _result(period, "new_kpmi", kpmi=a).status == TargetResult.Status.ACHIEVED
    assert _result(period, "new_trainers", kpmi=b).status == TargetResult.Status.NOT_STARTED

    # Joint work counts once for each credited manager; pending and next-year work do not count.
    assert _result(period, "publications", member=garut["manager_a"]).actual == 4
    assert _result(period, "publications", member=garut["manager_b"]).actual == 1
    assert _result(period, "publications", member=garut["manager_b"]).kpmi == b

    trend = dict(MonthlyActual.objects.filter(period=period, metric="publications").values_list("month", "actual"))
    assert trend == {dt.date(2025, 1, 1): 1, dt.date(2025, 2, 1): 1, dt.date(2025, 3, 1): 1, dt.date(2025, 4, 1): 1}


def test_only_managers_and_living_groups_are_subjects(period, garut, kpmi_a):
    trainer = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
    make_activity(kpmi=kpmi_a, credited=[trainer], kind=Kind.PUBLICATION, date=day(3))
    dead = factories.KpmiFactory(name="KPMI Bubar", status=Kpmi.Status.DISSOLVED)
    evaluate(period)
    assert not TargetResult.objects.filter(member=trainer).exists()
    assert not TargetResult.objects.filter(kpmi=dead).exists()


def test_running_twice_changes_nothing_the_second_time(period, garut):
    evaluate(period)
    before = list(TargetResult.objects.order_by("pk").values())
    months = list(MonthlyActual.objects.order_by("pk").values())
    second = evaluate(period)
    assert second.status == Evaluation.Status.SUCCEEDED
    assert second.results_changed == 0
    assert list(TargetResult.objects.order_by("pk").values()) == before
    assert list(MonthlyActual.objects.order_by("pk").values()) == months


def test_a_manager_who_moved_group_is_counted_for_the_new_group(period, garut):
    evaluate(period)
    manager_b = garut["manager_b"]
    manager_b.kpmi = garut["kpmi_a"]
    manager_b.save(update_fields=["kpmi"])
    evaluation = evaluate(period)
    result = _result(period, "publications", member=manager_b)
    assert (result.kpmi, result.kecamatan_id, result.actual) == (garut["kpmi_a"], garut["kpmi_a"].kecamatan_id, 1)
    assert evaluation.results_changed == 1


def test_results_no_longer_due_are_removed(period, garut, admin_user, kpmi_b):
    evaluate(period)
    services.target_delete(actor=admin_user, target=period.targets.get(metric="new_kpmi", kpmi=None, member=None))
    Kpmi.objects.filter(pk=kpmi_b.pk).update(status=Kpmi.Status.DISSOLVED)
    manager_a = garut["manager_a"]
    manager_a.level = Level.PIONEER  # promoted out of the managers the Users association watches
    manager_a.save(update_fields=["level"])
    evaluate(period)
    assert not TargetResult.objects.filter(period=period, metric="new_kpmi").exists()
    assert not TargetResult.objects.filter(period=period, kpmi=kpmi_b).exists()
    assert not TargetResult.objects.filter(period=period, member=manager_a).exists()
    assert TargetResult.objects.filter(period=period, metric="new_members", kpmi=garut["kpmi_a"]).exists()


def test_new_work_changes_only_the_affected_results(period, garut, kpmi_a):
    evaluate(period)
    make_activity(kpmi=kpmi_a, credited=[garut["manager_b"]], kind=Kind.PUBLICATION, date=day(7))
    evaluation = evaluate(period)
    # manager B's result, and the July point of the trend.
    assert evaluation.results_changed == 2
    assert _result(period, "publications", member=garut["manager_b"]).actual == 2


def test_a_changed_result_is_rewritten_in_place(period, garut, kpmi_a):
    """A result whose number moved keeps its row, so the link to its page an officer already has
    (the dashboard's rows link by id) still leads to it, now with the new number."""
    evaluate(period)
    before = _result(period, "publications", member=garut["manager_b"])
    make_activity(kpmi=kpmi_a, credited=[garut["manager_b"]], kind=Kind.PUBLICATION, date=day(7))
    evaluate(period)
    after = _result(period, "publications", member=garut["manager_b"])
    assert after.pk == before.pk
    assert (before.actual, after.actual) == (1, 2)
    assert after.evaluated_at > before.evaluated_at


def test_an_override_replaces_the_default_for_one_group(period, garut, officer_communities, communities, kpmi_b):
    services.target_set(
        actor=officer_communities, period=period, association=communities, metric="new_members", value=1, kpmi=kpmi_b
    )
    evaluate(period)
    result = _result(period, "new_members", kpmi=kpmi_b)
    assert (result.target, result.status) == (1, TargetResult.Status.ACHIEVED)


def test_a_failing_evaluation_leaves_the_previous_results(period, garut, monkeypatch):
    evaluate(period)
    before = list(TargetResult.objects.order_by("pk").values())
    make_activity(kpmi=garut["kpmi_a"], credited=[garut["manager_b"]], kind=Kind.PUBLICATION, date=day(8))

    original = metrics.METRICS["publications"]

    def broken(start, end):
        raise RuntimeError("database went away")

    monkeypatch.setitem(
        metrics.METRICS, "publications", original.__class__(**{**original.__dict__, "per_subject": broken})
    )
    evaluation = evaluate(period)
    assert evaluation.status == Evaluation.Status.FAILED
    assert "database went away" in evaluation.error
    assert list(TargetResult.objects.order_by("pk").values()) == before


def test_a_closed_period_is_frozen(period, garut, admin_user):
    evaluate(period)
    services.period_close(actor=admin_user, period=period)
    period.refresh_from_db()
    with pytest.raises(ValidationError, match="ditutup"):
        services.evaluation_create(actor=admin_user, period=period)
    with pytest.raises(CommandError, match="ditutup"):
        call_command("evaluate_targets", "--period", "2025")


def test_one_active_evaluation_per_period(period, admin_user):
    first, created = services.evaluation_create(actor=admin_user, period=period)
    second, created_again = services.evaluation_create(actor=admin_user, period=period)
    assert created and not created_again and first == second


def test_a_finished_evaluation_is_not_run_again(period, garut):
    evaluation = evaluate(period)
    assert services.period_evaluate(evaluation_id=evaluation.pk) is None


def test_command_line(period, garut, capsys):
    call_command("evaluate_targets", "--period", "2025")
    assert "Evaluated 2025" in capsys.readouterr().out
    assert TargetResult.objects.filter(period=period).exists()
    with pytest.raises(CommandError, match="No period named"):
        call_command("evaluate_targets", "--period", "1999")


def test_requesting_runs_the_task_after_commit(period, garut, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = services.evaluation_request(actor=admin_user, period=period)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUCCEEDED
    assert evaluation.requested_by == admin_user


def test_nightly_job_queues_open_started_periods(period, garut, admin_user, django_capture_on_commit_callbacks):
    from associations.tasks import evaluate_open_periods

    services.period_open_year(actor=admin_user, year=dt.date.today().year + 1)  # not started: skipped
    with django_capture_on_commit_callbacks(execute=True):
        queued = evaluate_open_periods()
    assert len(queued) == 1
    assert Evaluation.objects.get(pk=queued[0]).status == Evaluation.Status.SUCCEEDED


@pytest.mark.parametrize(
    ("target", "actual", "elapsed", "status"),
    [
        (10, 10, "0.5", "achieved"),
        (0, 0, "0.5", "achieved"),
        (10, 0, "0.5", "not_started"),
        (10, 5, "0.5", "on_track"),
        (10, 4, "0.5", "behind"),
        (10, 9, "1", "behind"),
    ],
)
def test_status_rule(target, actual, elapsed, status):
    # The rule is SQL, run by the database for every subject in the statement that stores the results.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {services.STATUS_SQL} FROM (SELECT %s AS target, %s AS actual) r", [float(elapsed), target, actual]
        )
        assert cursor.fetchone()[0] == status


def test_results_are_deleted_with_their_period_and_group(period, garut):
    """Results carry no database-level foreign keys (see TargetResult): Django's cascade removes them."""
    evaluate(period)
    gamma = Kpmi.objects.get(name="KPMI Gamma")
    assert TargetResult.objects.filter(kpmi=gamma).exists()
    gamma.delete()
    assert not TargetResult.objects.filter(kpmi_id=gamma.pk).exists()
    period_pk = period.pk
    period.delete()
    assert not TargetResult.objects.filter(period_id=period_pk).exists()
