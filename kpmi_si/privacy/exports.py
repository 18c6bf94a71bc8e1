"""A member's data as files: JSON for programs, XLSX for people.

Every XLSX value is written as a text cell. Spreadsheet programs run a cell that starts with "=" (or
"+", "-", "@") as a formula: a name typed as `=HYPERLINK("http://…","klik")` must reach the member as
those characters, not as a live link or a command. programs/exports.py prefixes such values with an
apostrophe instead; a text cell keeps the value exactly as it was typed, which is what a copy of
one's own data should do. Cells and the download itself go through kpmi_si/exports, the one export
helper of the project.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from kpmi_si.exports import as_download, xlsx_cell

from .selectors import Section

# Characters a sheet's name may not contain, and its greatest length (Excel's rules).
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31


def _local(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(microsecond=0)
    return value


def as_text(value: Any) -> str:
    """A value as the text a person reads in a cell."""
    value = _local(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "; ".join(f"{key}: {as_text(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(as_text(item) for item in value)
    return str(value)


def text_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A cell that holds `value` as the text a person reads, whatever its first character: never a formula."""
    return xlsx_cell(sheet, as_text(value))


def _sheet_name(title: str, taken: set[str]) -> str:
    name = _SHEET_NAME_FORBIDDEN.sub(" ", title)[:_SHEET_NAME_MAX] or "-"
    candidate, n = name, 2
    while candidate.lower() in taken:
        suffix = f" {n}"
        candidate, n = name[: _SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def xlsx_bytes(sections: Iterable[Section]) -> bytes:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for section in sections:
        sheet = workbook.create_sheet(title=_sheet_name(section.title, taken))
        sheet.append([text_cell(sheet, label) for _key, label in section.columns])
        for row in section.rows:
            sheet.append([text_cell(sheet, row.get(key)) for key, _label in section.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    return _local(value)


def json_bytes(sections: Iterable[Section], *, about: dict[str, Any]) -> bytes:
    document = {
        **about,
        **{section.key: [_json_ready(row) for row in section.rows] for section in sections},
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    return as_download(HttpResponse(content, content_type=content_type), filename)
