"""Migration 0007 moves a programme's one logged work to its list of works, and back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("programs", "0006_collaboration_programmes")
AFTER = ("programs", "0007_collaboration_work_competition_measure_signup_withdraw")


def migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_programmes_logged_work_becomes_its_first_work(back_to_latest):
    apps = migrate(BEFORE)
    Kecamatan = apps.get_model("members", "Kecamatan")
    Kpmi = apps.get_model("members", "Kpmi")
    Period = apps.get_model("associations", "Period")
    Activity = apps.get_model("programs", "Activity")
    Program = apps.get_model("programs", "CollaborationProgram")
    kecamatan = Kecamatan.objects.get(name="Cibatu")
    kpmi = Kpmi.objects.create(name="KPMI Migrasi", kecamatan=kecamatan, founded_on=dt.date(2015, 1, 1))
    period = Period.objects.create(name="2025", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    activity = Activity.objects.create(
        kind="education", kpmi=kpmi, title="Edukasi", date=dt.date(2025, 5, 1), kecamatan=kecamatan
    )
    common = {"theme": "t", "date": dt.date(2025, 6, 1), "venue": "v", "period": period, "threshold": 2}
    logged = Program.objects.create(name="Dengan kerja", activity=activity, **common)
    Program.objects.create(name="Tanpa kerja", **common)

    apps = migrate(AFTER)
    Work = apps.get_model("programs", "CollaborationWork")
    assert list(Work.objects.values_list("program_id", "activity_id")) == [(logged.pk, activity.pk)]

    apps = migrate(BEFORE)
    Program = apps.get_model("programs", "CollaborationProgram")
    assert Program.objects.get(pk=logged.pk).activity_id == activity.pk
    assert Program.objects.get(name="Tanpa kerja").activity_id is None
