"""The dashboard's XLSX download: the results of one metric in one period, as filtered and sorted
on the page. Written by the project's one export helper (kpmi_si.exports), which keeps a KPMI or a
member named like a formula ("=1+2") text in the officer's workbook."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from kpmi_si import exports

from .metrics import KPMI, PERCENT, THOUSAND_RUPIAH, Metric
from .models import Association, Period, TargetResult


def _rows(results: QuerySet[TargetResult], per_manager: bool, scale: int) -> Iterator[list[Any]]:
    for row in results.iterator(chunk_size=2000):
        name = [row.member.full_name] if per_manager else []
        yield [
            *name,
            row.kpmi.name,
            row.kecamatan.name,
            row.target * scale,
            row.actual * scale,
            float(row.ratio) * 100,
            row.get_status_display(),
        ]


def results_xlsx(
    *, association: Association, period: Period, metric: Metric, results: QuerySet[TargetResult]
) -> HttpResponse:
    per_manager = metric.subject != KPMI
    header = [_("Manager")] if per_manager else []
    # Money as whole Rupiah (stored in thousands), a coverage as its percentage: the column says which.
    unit = {THOUSAND_RUPIAH: " (Rp)", PERCENT: " (%)"}.get(metric.unit, "")
    header += ["KPMI", _("District"), _("Target") + unit, _("Actual") + unit, "%", _("Status")]
    return exports.xlsx_response(
        basename=f"target-{association.code}-{metric.code}-{period.name}",
        sheet_title=str(metric.code),
        header=header,
        rows=_rows(results, per_manager, 1000 if metric.unit == THOUSAND_RUPIAH else 1),
    )
