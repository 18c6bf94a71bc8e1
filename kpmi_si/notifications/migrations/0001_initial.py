# Notifications moved out of programs (they keep the table programs_notification and its rows): this
# migration only tells Django's state where the model lives now, and moves its content type so that
# permissions granted on it stay.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=new, model="notification").exists():
        return
    ContentType.objects.filter(app_label=old, model="notification").update(app_label=new)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("programs", "0008_notification_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("message", models.CharField(max_length=500, verbose_name="message")),
                        ("link", models.CharField(blank=True, max_length=500, verbose_name="link")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="time")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read at")),
                        ("email_subject", models.CharField(blank=True, max_length=200, verbose_name="e-mail subject")),
                        ("emailed_at", models.DateTimeField(blank=True, null=True, verbose_name="e-mailed at")),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "db_table": "programs_notification",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [models.Index(fields=["recipient", "read_at"], name="programs_no_recipie_83f1a8_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            lambda apps, se: move_content_type(apps, se, old="programs", new="notifications"),
            lambda apps, se: move_content_type(apps, se, old="notifications", new="programs"),
        ),
    ]
