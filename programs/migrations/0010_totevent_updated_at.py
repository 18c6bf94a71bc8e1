# A ToT's edit form carries the version it was opened on (kpmi_si.concurrency): the row's updated_at.
# Existing events take their creation time as their last change.

import django.utils.timezone
from django.db import migrations, models


def from_created(apps, schema_editor):
    TotEvent = apps.get_model("programs", "TotEvent")
    TotEvent.objects.update(updated_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0009_notification_moved_to_kpmi_si"),
    ]

    operations = [
        migrations.AddField(
            model_name="totevent",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(from_created, migrations.RunPython.noop),
    ]
