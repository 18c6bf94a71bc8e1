"""The one export helper (kpmi_si.exports): typed-in text never becomes a formula, file names are
safe, downloads stay out of caches."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from kpmi_si import exports

HOSTILE = ["=1+2", '=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _xlsx(rows):
    response = exports.xlsx_response(basename="t", sheet_title="Data", header=["a"], rows=rows)
    return response, load_workbook(io.BytesIO(response.content)).active


@pytest.mark.parametrize("value", HOSTILE)
def test_xlsx_keeps_formula_like_text_as_text(value):
    _response, sheet = _xlsx([[value]])
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value.replace("\n", "\r") in (value, "'" + value)


def test_xlsx_keeps_numbers_dates_and_plain_text():
    when = dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)
    _response, sheet = _xlsx([[-5, 2.5, dt.date(2026, 3, 1), when, "Asep", None]])
    values = [c.value for c in sheet[2]]
    assert values[:3] == [-5, 2.5, dt.datetime(2026, 3, 1)]
    assert values[3] == when.astimezone(ZoneInfo("Asia/Jakarta")).replace(tzinfo=None)
    assert values[4] == "Asep"
    assert sheet["A2"].data_type == "n"


def test_xlsx_drops_control_characters_instead_of_failing():
    _response, sheet = _xlsx([["Ne\x0bng\x00"]])
    assert sheet["A2"].value == "Neng"


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_prefixes_formula_like_text(value):
    response = exports.csv_response(basename="t", header=["a"], rows=[[value], [-5], [None]])
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == ["'" + value]
    assert rows[2:] == [["-5"], [""]]


@pytest.mark.parametrize(
    "basename, expected",
    [
        ("target-users-publications-2026", "target-users-publications-2026.xlsx"),
        ('2026 "Q1"\r\nSet-Cookie: x', "2026-Q1-Set-Cookie-x.xlsx"),
        ("../../etc/passwd", "etc-passwd.xlsx"),
        ("Şukma", "ukma.xlsx"),
        ("", "export.xlsx"),
    ],
)
def test_file_names_are_safe(basename, expected):
    response = exports.xlsx_response(basename=basename, sheet_title="x", header=["a"], rows=[])
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


def test_downloads_are_private_and_not_stored():
    for response in (
        exports.xlsx_response(basename="t", sheet_title="x", header=["a"], rows=[]),
        exports.csv_response(basename="t", header=["a"], rows=[]),
    ):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives
