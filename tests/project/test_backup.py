"""A logical backup of the demo data restores to the same site: `dumpdata` of everything (natural keys
for content types, which are rebuilt on an empty database), an emptied database, `loaddata`, and the
same rows, the same key values, working logins and sequences that go on after the restored ids.

The production backup is `pg_dump` (README, "Backups"); this test keeps the data model restorable
through Django's own serialisation, which is also how data moves to another database engine."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from awards.models import Award
from kpmi_si.audit.models import AuditEntry
from kpmi_si.demo.members import DEMO_PASSWORD
from members.models import Kpmi, Member

pytestmark = pytest.mark.django_db

# Rebuilt by migrate/flush (content types, permissions) or worthless in a restore (sessions, Django's and
# the site's own, the Django admin's own log of clicks).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "accounts.session", "admin.logentry"]
EXCLUDED_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "accounts.session",
    "admin.logentry",
}


def _counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED_MODELS
    }


def _key_values():
    return (
        list(Kpmi.objects.order_by("pk").values_list("pk", "name", "founded_by__full_name", "kecamatan__name")),
        list(Member.objects.order_by("pk").values_list("pk", "full_name", "level", "phone", "user__username")),
        list(Award.objects.order_by("pk").values_list("code", "finalist__member__full_name", "place")),
        list(AuditEntry.objects.order_by("pk").values_list("pk", "action", "target_type__model", "target_id")),
    )


def _flush() -> None:
    """Empty every table, as a fresh database is. Inside the test's transaction PostgreSQL refuses to
    truncate tables with foreign-key checks still pending: they are checked now, and deferred again
    for loaddata, which inserts rows in any order and checks them at the end."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--no-input", stdout=StringIO())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def fresh_content_types():
    """flush + loaddata recreate content types under new ids; the in-process cache must not keep the
    old ones, neither during the test nor after its transaction is rolled back."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


def test_demo_data_round_trips_through_dumpdata_and_loaddata(settings, tmp_path, client, fresh_content_types):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    counts, values = _counts(), _key_values()
    assert counts["members.member"] > 400 and counts["awards.award"] > 0

    dump = tmp_path / "kpmi.json"
    call_command("dumpdata", "--natural-foreign", *[f"--exclude={e}" for e in EXCLUDED], output=str(dump))
    _flush()
    ContentType.objects.clear_cache()
    assert Member.objects.count() == 0
    call_command("loaddata", str(dump), stdout=StringIO())

    assert _counts() == counts
    assert _key_values() == values
    # The restored site works: the admin logs in with the demo password, and new rows get new ids.
    # (through the login page: axes needs the request, which client.login() does not pass)
    client.post(reverse("login"), {"username": "admin", "password": DEMO_PASSWORD})
    assert "_auth_user_id" in client.session
    assert client.get(reverse("komtik_home")).status_code == 200
    new = Kpmi.objects.create(
        name="KPMI setelah pemulihan", kecamatan_id=Kpmi.objects.first().kecamatan_id, founded_on="2026-01-01"
    )
    assert new.pk > max(pk for pk, *_ in values[0])
