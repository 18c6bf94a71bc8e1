"""The shape of a member's data file: one section per kind of data (kept apart from the sources so that
source modules and the exports can share it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    """One kind of data about the member: a sheet of the XLSX file, a key of the JSON file.

    `columns` pairs each row key (English, stable: what programs read in the JSON) with its label
    (in the reader's language: the XLSX header)."""

    key: str
    title: str
    columns: tuple[tuple[str, Any], ...]
    rows: list[dict[str, Any]]


def section(key: str, title: Any, columns: tuple[tuple[str, Any], ...], rows: list[dict[str, Any]]) -> Section:
    return Section(key=key, title=str(title), columns=columns, rows=rows)
