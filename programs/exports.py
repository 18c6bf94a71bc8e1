"""CSV and XLSX downloads of a filtered work list. Rows are read in chunks and written as they come,
so exporting a large list does not hold it all in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from . import selectors
from .models import Activity, Kind

CHUNK = 1000
# Spreadsheets run a cell that starts with one of these as a formula: a title typed as
# "=HYPERLINK(...)" must stay text in the file an officer opens.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def headers() -> list[str]:
    return [
        _("ID"),
        _("Kind"),
        _("Status"),
        _("Date"),
        _("Title"),
        _("Logged for KPMI"),
        _("District"),
        _("Village"),
        _("Credited members"),
        _("Summary"),
        _("Channel"),
        _("Link"),
        _("Venue"),
        _("Number of participants"),
        _("Audience"),
        _("What was deployed"),
        _("Site"),
        _("Site name"),
        _("Beneficiaries"),
        _("Deployment status"),
        _("Trainees are"),
        _("Trainees"),
        _("Evidence link"),
        _("Evidence files"),
        _("Logged by"),
        _("Logged at"),
    ]


def _row(a: Activity) -> list[Any]:
    detail = a.detail
    pub = detail if a.kind == Kind.PUBLICATION else None
    edu = detail if a.kind == Kind.EDUCATION else None
    dep = detail if a.kind == Kind.DEPLOYMENT else None
    tra = detail if a.kind == Kind.TRAINING else None
    credited = "; ".join(f"{c.member.full_name} ({c.kpmi.name})" for c in a.credits.all())
    return [
        a.pk,
        a.get_kind_display(),
        a.get_status_display(),
        a.date,
        a.title,
        a.kpmi.name,
        a.kecamatan.name,
        a.desa.name if a.desa else "",
        credited,
        a.summary,
        pub.get_channel_display() if pub else "",
        pub.link if pub else "",
        (edu or tra).venue if (edu or tra) else "",
        edu.participants if edu else None,
        edu.get_audience_display() if edu else "",
        dep.get_deployment_kind_display() if dep else "",
        dep.get_site_type_display() if dep else "",
        dep.site_name if dep else "",
        dep.beneficiaries if dep else None,
        dep.get_operational_status_display() if dep else "",
        tra.get_trainee_group_display() if tra else "",
        "; ".join(m.full_name for m in tra.trainees.all()) if tra else "",
        a.evidence_url,
        a.n_evidence,
        str(a.created_by) if a.created_by else "",
        timezone.localtime(a.created_at).replace(tzinfo=None),
    ]


def rows(list_rows: QuerySet) -> Iterator[list[Any]]:
    """The export rows of a filtered work list (activities or per-member/per-group rows)."""
    ids = selectors.list_activity_ids(list_rows)
    for start in range(0, len(ids), CHUNK):
        for activity in selectors.export_batch(ids[start : start + CHUNK]):
            yield [_safe(value) for value in _row(activity)]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(table: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte-order mark tells spreadsheet programs the file is UTF-8 (names carry accents).
    yield "\ufeff"
    yield writer.writerow(headers())
    for row in table:
        yield writer.writerow(["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else v) for v in row])


def csv_response(list_rows: QuerySet, basename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(rows(list_rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{basename}.csv"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(list_rows: QuerySet, basename: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Work")[:31])
    sheet.append(headers())
    for row in rows(list_rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{basename}.xlsx"'
    return response
