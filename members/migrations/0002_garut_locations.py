"""Reference data: Garut's 42 kecamatan and 439 desa with their BPS codes (members/data/*.csv).

Loaded in every environment, production included. The CSV files ship with the code; nothing is
read from outside the project.
"""

from django.db import migrations

from members.reference import load_garut_locations


def load(apps, schema_editor):
    load_garut_locations(apps.get_model("members", "Kecamatan"), apps.get_model("members", "Desa"))


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
