# Notifications now live in kpmi_si.notifications (app label "notifications"), on the same table:
# programs forgets the model without touching the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0008_notification_email"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
