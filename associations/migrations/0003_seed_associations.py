"""The four associations inside KOMTIK Garut are part of how the federation is organised, so they
exist in every environment, production included."""

from django.db import migrations

CODES = ["communities", "users", "platform", "entrepreneurs"]


def seed(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    for code in CODES:
        Association.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("associations", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
