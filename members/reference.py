"""Loading Garut's reference data (members/data/*.csv). Called by the data migration with historical
models, and by tests that flush the database (browser tests on a live server) with the real ones."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def title_case(name: str) -> str:
    """BPS writes names in capitals; people write "Tarogong Kidul"."""
    return " ".join(word.capitalize() for word in name.split())


def load_garut_locations(kecamatan_model: Any, desa_model: Any) -> None:
    with open(DATA / "garut_kecamatan.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            kecamatan_model.objects.update_or_create(code=row["code"], defaults={"name": title_case(row["name"])})
    with open(DATA / "garut_desa.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            desa_model.objects.update_or_create(
                code=row["code"],
                defaults={"kecamatan_id": row["kecamatan_code"], "name": title_case(row["name"])},
            )
