"""Notifications moved from programs to kpmi_si.notifications without moving data: the rows written
before the move are the rows read after it, and the way back keeps them too."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kpmi_si.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("programs", "0008_notification_email"), ("notifications", None)]
AFTER = [("programs", "0009_notification_moved_to_kpmi_si"), ("notifications", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_rows_written_in_programs_are_read_from_notifications_and_back(back_to_latest):
    user = factories.UserFactory(username="penerima")
    ContentType.objects.get_or_create(app_label="programs", model="notification")
    ContentType.objects.filter(app_label="notifications", model="notification").delete()
    apps = migrate(BEFORE)
    Old = apps.get_model("programs", "Notification")
    old = Old.objects.create(recipient_id=user.pk, message="Undangan ToT", link="/undangan/7/")

    migrate(AFTER)
    moved = Notification.objects.get(pk=old.pk)
    assert (moved.recipient_id, moved.message, moved.link) == (user.pk, "Undangan ToT", "/undangan/7/")
    # Permissions granted on the model follow it: its content type moved, none was left behind.
    assert ContentType.objects.filter(app_label="notifications", model="notification").count() == 1
    assert not ContentType.objects.filter(app_label="programs", model="notification").exists()

    apps = migrate(BEFORE)
    assert apps.get_model("programs", "Notification").objects.get(pk=old.pk).message == "Undangan ToT"
