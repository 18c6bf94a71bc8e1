"""CSV and XLSX downloads, for every export of the project: one place that keeps typed-in text from
becoming a formula in the workbook an officer opens, names the file safely and keeps it out of caches.

A spreadsheet runs a cell that starts with =, +, -, @ (or a tab or carriage return before one of
them) as a formula: a KPMI renamed "=1+2" or a member called '=HYPERLINK("http://evil", "Klik")'
must stay text. In an XLSX file a cell is text by its type, so such values are written as text
cells (with Excel's "quote prefix", so that editing the cell keeps it text) and read exactly as
typed. A CSV has no types: there the value gets a leading apostrophe, which spreadsheets show and
do not run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_value(value: Any) -> Any:
    """A value as a CSV cell: text that a spreadsheet would run is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _naive(value).isoformat()
    if is_formula_like(value):
        return "'" + value
    return value


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value as an XLSX cell: text stays text, whatever it starts with."""
    if isinstance(value, dt.datetime):
        return _naive(value)  # Excel has no time zones: the Jakarta wall-clock time
    if not isinstance(value, str):
        return value
    # openpyxl refuses control characters (a name pasted from a chat can carry one): drop them
    # rather than fail the whole export.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _naive(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def filename(basename: str, extension: str) -> str:
    """A file name any browser and file system takes: ASCII letters, digits, dot, dash, underscore
    (a period is named by an officer, and a quote or a newline must not reach the header)."""
    stem = _UNSAFE_FILENAME.sub("-", basename).strip("-.") or "export"
    return f"{stem[:120]}.{extension}"


def as_download(response: HttpResponse | StreamingHttpResponse, name: str) -> Any:
    """Mark a response as a file to save, named safely, kept by no cache (every download of this site
    names people)."""
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    # Lists of members and their work are personal data: no shared cache or browser cache keeps them.
    patch_cache_control(response, private=True, no_store=True)
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte-order mark tells spreadsheet programs the file is UTF-8 (names carry accents).
    yield "\ufeff"
    yield writer.writerow([csv_value(v) for v in header])
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row])


def csv_response(*, basename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A CSV download, streamed: rows are written as they come, so a long list is never held whole."""
    response = StreamingHttpResponse(_csv_lines(header, rows), content_type=CSV_TYPE)
    return as_download(response, filename(basename, "csv"))


def xlsx_response(
    *, basename: str, sheet_title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """An XLSX download of one sheet (write-only: rows go to the file as they come)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.append([xlsx_cell(sheet, v) for v in header])
    for row in rows:
        sheet.append([xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return as_download(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename(basename, "xlsx"))


def _sheet_title(title: str) -> str:
    # Excel allows 31 characters and none of \ / ? * [ ] : in a sheet's name.
    return re.sub(r"[\\/?*\[\]:]", "-", str(title))[:31] or "Sheet"


# Rupiah in a workbook: a number the auditor can add up, shown as `Rp 1.250.000,00` in Indonesian
# Excel (the grouping and decimal marks follow the reader's locale).
RUPIAH_FORMAT = '"Rp" #,##0.00;-"Rp" #,##0.00'


def xlsx_money_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A Decimal as a number cell with the Rupiah format (never text: totals must add up)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = RUPIAH_FORMAT
    return cell


def xlsx_workbook_response(*, basename: str, sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]]) -> HttpResponse:
    """An XLSX download of several sheets of free layout (a header block, rows, totals). Every value
    goes through `xlsx_cell`, so typed-in text never becomes a formula; a `Decimal` is money and is
    written as a number with the Rupiah format; dates get a day-month-year format."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        for row in rows:
            sheet.append([_workbook_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return as_download(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename(basename, "xlsx"))


def _workbook_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, Promise):  # a translated label
        value = str(value)
    if isinstance(value, Decimal):
        return xlsx_money_cell(sheet, value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD-MM-YYYY"
        return cell
    return xlsx_cell(sheet, value)
