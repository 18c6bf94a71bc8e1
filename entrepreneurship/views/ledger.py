"""A KPMI's money: the year's income against operations with the coverage, the ledger with its
filters and totals, a manual posting, a reversal. Seen by `can_view_money`, written by
`can_keep_money`; a keeper of another group is refused (403), another group's posting is not found."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors, post_data
from members.models import Kpmi

from .. import permissions
from ..forms.ledger import PeriodForm, PostingForm, ReverseForm
from ..models import Category, Posting
from ..selectors import ledger as selectors
from ..services.ledger import posting_record_manual, posting_reverse


def kpmi_or_403(request: HttpRequest, pk: int, check: Any) -> Kpmi:
    kpmi = get_object_or_404(Kpmi, pk=pk)
    if not check(request.user, kpmi):
        raise PermissionDenied
    return kpmi


def _refused(request: HttpRequest, form: PeriodForm) -> None:
    """A period that cannot be read is said, and the page shows this year instead."""
    for errors in form.errors.values():
        for error in errors:
            messages.warning(request, error)


@login_required
@require_GET
def money_overview(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_money)
    form = PeriodForm(request.GET or None, with_category=False)
    if form.is_bound and not form.is_valid():
        _refused(request, form)
    _start, _end, year = form.period()
    if year is None:  # a range was asked for: this page shows whole years, the one the range starts in
        year = (_start or _end).year
    money = selectors.money_year(kpmi=kpmi, year=year)
    chart = {
        "labels": [date_format(m.month, "M") for m in money.months],
        "earnedLabel": _("Earned income"),
        "donationsLabel": _("Donations"),
        "costsLabel": _("Operating costs"),
        "earned": [str(m.earned) for m in money.months],
        "donations": [str(m.donations) for m in money.months],
        "costs": [str(m.costs) for m in money.months],
    }
    years = sorted({*selectors.posting_years(kpmi=kpmi), year}, reverse=True)
    return render(
        request,
        "entrepreneurship/money.html",
        {
            "kpmi": kpmi,
            "money": money,
            "chart": chart,
            "years": years,
            "can_keep": permissions.can_keep_money(request.user, kpmi),
        },
    )


@login_required
@require_GET
def ledger(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_money)
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        _refused(request, form)
    start, end, year = form.period()
    category = form.category()
    totals = selectors.ledger_totals(kpmi=kpmi, start=start, end=end, category=category)
    rows = selectors.ledger_rows(kpmi=kpmi, start=start, end=end, category=category)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for posting in page:
        posting.balance = totals.opening + posting.running
    query = {"tahun": year} if year else {k: v for k, v in (("dari", start), ("sampai", end)) if v}
    return render(
        request,
        "entrepreneurship/ledger.html",
        {
            "kpmi": kpmi,
            "filter": form,
            "page": page,
            "totals": totals,
            "start": start,
            "end": end,
            "year": year,
            "category": category,
            "category_label": Category(category).label if category else "",
            "export_query": "&".join(f"{k}={v}" for k, v in query.items()),
            "can_keep": permissions.can_keep_money(request.user, kpmi),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_create(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    form = PostingForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            _posting, created = create_once(
                request,
                form,
                scope="entrepreneurship.posting",
                create=lambda: posting_record_manual(actor=request.user, kpmi=kpmi, **form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The posting is recorded in the ledger."))
            return redirect("entrepreneurship:ledger", kpmi.pk)
    return render(
        request,
        "entrepreneurship/form_page.html",
        {
            "kpmi": kpmi,
            "form": form,
            "title": _("Record an operating cost or a donation"),
            "submit": pgettext("button", "Record"),
            "back": reverse("entrepreneurship:ledger", args=[kpmi.pk]),
        },
    )


def _posting_or_404(kpmi: Kpmi, pk: int) -> Posting:
    try:
        return selectors.posting_of(kpmi=kpmi, pk=pk)
    except Posting.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def posting_reverse_view(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    posting = _posting_or_404(kpmi, pk)
    form = ReverseForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            posting_reverse(actor=request.user, posting=posting, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The posting is reversed."))
            return redirect("entrepreneurship:ledger", kpmi.pk)
    return render(
        request,
        "entrepreneurship/posting_reverse.html",
        {
            "kpmi": kpmi,
            "posting": posting,
            "form": form,
            "reversed_by": getattr(posting, "reversed_by", None),
        },
    )
