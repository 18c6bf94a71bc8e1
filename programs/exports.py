"""CSV and XLSX downloads of a filtered work list. Rows are read in chunks and written as they come,
so exporting a large list does not hold it all in memory. The files are written by the project's
one export helper (kpmi_si.exports), which keeps a title typed as "=HYPERLINK(...)" text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kpmi_si import exports
from kpmi_si.links import site_absolute

from . import selectors
from .models import Activity, Kind

CHUNK = 1000


def headers() -> list[str]:
    return [
        _("ID"),
        _("Kind"),
        _("Status"),
        _("Date"),
        pgettext("heading", "Title"),
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
        site_absolute(pub.link) if pub else "",
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
        site_absolute(a.evidence_url),
        a.n_evidence,
        str(a.created_by) if a.created_by else "",
        a.created_at,
    ]


def rows(list_rows: QuerySet) -> Iterator[list[Any]]:
    """The export rows of a filtered work list (activities or per-member/per-group rows)."""
    ids = selectors.list_activity_ids(list_rows)
    for start in range(0, len(ids), CHUNK):
        for activity in selectors.export_batch(ids[start : start + CHUNK]):
            yield _row(activity)


def csv_response(list_rows: QuerySet, basename: str) -> StreamingHttpResponse:
    return exports.csv_response(basename=basename, header=headers(), rows=rows(list_rows))


def xlsx_response(list_rows: QuerySet, basename: str) -> HttpResponse:
    return exports.xlsx_response(basename=basename, sheet_title=_("Work"), header=headers(), rows=rows(list_rows))
