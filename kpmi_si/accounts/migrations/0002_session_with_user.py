"""The site's own session table (accounts.Session: Django's, plus the user's id in a column), and the live
sessions of Django's table carried over, so that nobody is logged out by the change."""

from django.db import migrations, models
from django.utils import timezone

BATCH = 1000


def user_id_of(data: dict):
    # As kpmi_si.accounts.sessions.user_id_of, frozen here: a migration keeps its own copy.
    value = data.get("_auth_user_id")
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def carry_over(apps, schema_editor):
    # Signed under the store class's name ("SessionStore"): Django's database store reads them.
    from django.contrib.sessions.backends.db import SessionStore

    old = apps.get_model("sessions", "Session")
    new = apps.get_model("accounts", "Session")
    decoder = SessionStore()
    live = old.objects.using(schema_editor.connection.alias).filter(expire_date__gt=timezone.now())
    batch = []
    for row in live.iterator(chunk_size=BATCH):
        batch.append(
            new(
                session_key=row.session_key,
                session_data=row.session_data,
                expire_date=row.expire_date,
                user_id=user_id_of(decoder.decode(row.session_data)),
            )
        )
        if len(batch) == BATCH:
            new.objects.using(schema_editor.connection.alias).bulk_create(batch, ignore_conflicts=True)
            batch = []
    new.objects.using(schema_editor.connection.alias).bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name="session key"),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                ("user_id", models.BigIntegerField(editable=False, null=True, verbose_name="user id")),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "db_table": "accounts_session",
                "abstract": False,
            },
        ),
        # Back: Django's table still holds the sessions it had (new logins after this one are lost).
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]
