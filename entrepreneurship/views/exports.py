"""XLSX downloads of a KPMI's books: the ledger and the orders of a period (a year or a range of dates
chosen on the ledger page). The same permission as the ledger page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from .. import exports, permissions
from ..forms.ledger import PeriodForm
from .ledger import kpmi_or_403


def _period(request: HttpRequest) -> tuple[PeriodForm, bool]:
    form = PeriodForm(request.GET or None, with_category=False)
    if form.is_bound and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return form, False
    return form, True


@login_required
@require_GET
def ledger_export(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_money)
    form, ok = _period(request)
    if not ok:
        return redirect("entrepreneurship:ledger", kpmi.pk)
    start, end, _year = form.period()
    return exports.ledger_xlsx(kpmi=kpmi, start=start, end=end)


@login_required
@require_GET
def orders_export(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_money)
    form, ok = _period(request)
    if not ok:
        return redirect("entrepreneurship:ledger", kpmi.pk)
    start, end, _year = form.period()
    return exports.orders_xlsx(kpmi=kpmi, start=start, end=end)
