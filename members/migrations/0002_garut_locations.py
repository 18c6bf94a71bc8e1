"""Reference data: Garut's 42 kecamatan and 439 desa with their BPS codes (members/data/*.csv).

Loaded in every environment, production included. The CSV files ship with the code; nothing is
read from outside the project. Names are stored in title case, as people write them.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _title(name: str) -> str:
    return " ".join(word.capitalize() for word in name.split())


def load(apps, schema_editor):
    Kecamatan = apps.get_model("members", "Kecamatan")
    Desa = apps.get_model("members", "Desa")
    with open(DATA / "garut_kecamatan.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            Kecamatan.objects.update_or_create(code=row["code"], defaults={"name": _title(row["name"])})
    with open(DATA / "garut_desa.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            Desa.objects.update_or_create(
                code=row["code"],
                defaults={"kecamatan_id": row["kecamatan_code"], "name": _title(row["name"])},
            )


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
