"""Pioneers' businesses of a KPMI: the list, registering one, its page, an income or a cost, closing,
settling a month. Seen by the money's viewers and the group's pioneers; run by the group's keepers
and the business's own pioneer. Another group's business is not found under this group's address."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from kpmi_si.idempotency.views import create_once
from kpmi_si.money import format_rupiah
from members.forms import apply_service_errors, post_data
from members.models import Kpmi

from .. import permissions
from ..forms.businesses import BusinessCloseForm, BusinessEntryForm, BusinessForm, BusinessSettleForm
from ..models import Business
from ..selectors import businesses as selectors
from ..services import businesses as services
from .ledger import kpmi_or_403


def _business(request: HttpRequest, kpmi: Kpmi, pk: int, *, run: bool = False) -> Business:
    try:
        business = selectors.business_of(kpmi=kpmi, pk=pk)
    except Business.DoesNotExist:
        raise Http404 from None
    if run and not permissions.can_run_business(request.user, business):
        raise PermissionDenied
    return business


@login_required
@require_GET
def business_list(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_businesses)
    rows = selectors.businesses_of(kpmi=kpmi)
    return render(
        request,
        "entrepreneurship/business_list.html",
        {
            "kpmi": kpmi,
            "page": Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page")),
            "can_register": permissions.can_register_business(request.user, kpmi),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_create(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_register_business)
    # A keeper chooses the pioneer; a pioneer registers their own business.
    own = None if permissions.can_keep_money(request.user, kpmi) else permissions.linked_member(request.user)
    form = BusinessForm(post_data(request), kpmi=kpmi, owner=own)
    if request.method == "POST" and form.is_valid():
        try:
            business, created = create_once(
                request,
                form,
                scope="entrepreneurship.business",
                create=lambda: services.business_register(actor=request.user, kpmi=kpmi, **form.service_data()),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The business %(name)s is registered.") % {"name": business.name})
            return redirect(business)
    return _form_page(
        request, kpmi, form, title=_("Register a pioneer's business"), submit=_("Register"), back=_list_url(kpmi)
    )


def _list_url(kpmi: Kpmi) -> str:
    return reverse("entrepreneurship:business_list", args=[kpmi.pk])


def _form_page(request: HttpRequest, kpmi: Kpmi, form: Any, **context: Any) -> HttpResponse:
    return render(request, "entrepreneurship/form_page.html", {"kpmi": kpmi, "form": form, **context})


@login_required
@require_GET
def business_detail(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_businesses)
    business = _business(request, kpmi, pk)
    return render(
        request,
        "entrepreneurship/business_detail.html",
        {
            "kpmi": kpmi,
            "business": business,
            "totals": selectors.business_totals(business=business),
            "entries": Paginator(selectors.business_entries(business=business), settings.PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "settlements": selectors.business_settlements(business=business)[:24],
            "can_run": permissions.can_run_business(request.user, business),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_entry_create(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_businesses)
    business = _business(request, kpmi, pk, run=True)
    form = BusinessEntryForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            _entry, created = create_once(
                request,
                form,
                scope="entrepreneurship.business_entry",
                create=lambda: services.business_entry_record(
                    actor=request.user, business=business, **form.cleaned_data
                ),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The income or cost is recorded."))
            return redirect(business)
    return _form_page(
        request,
        kpmi,
        form,
        business=business,
        title=_("Record income or a cost of %(name)s") % {"name": business.name},
        submit=pgettext("button", "Record"),
        back=business.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_close(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_businesses)
    business = _business(request, kpmi, pk, run=True)
    form = BusinessCloseForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.business_close(actor=request.user, business=business, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The business is closed."))
            return redirect(business)
    return _form_page(
        request,
        kpmi,
        form,
        business=business,
        title=_("Close %(name)s") % {"name": business.name},
        submit=_("Close the business"),
        back=business.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_settle(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_businesses)
    business = _business(request, kpmi, pk, run=True)
    form = BusinessSettleForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            settlement = services.business_settle_month(actor=request.user, business=business, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(month)s is settled: contribution %(amount)s.")
                % {"month": f"{settlement.month:%m/%Y}", "amount": format_rupiah(settlement.contribution)},
            )
            return redirect(business)
    return _form_page(
        request,
        kpmi,
        form,
        business=business,
        title=_("Settle a month of %(name)s") % {"name": business.name},
        submit=_("Settle"),
        back=business.get_absolute_url(),
        help=_(
            "The month's profit (income minus costs) is computed and the pledged share is posted to the "
            "KPMI ledger. A settled month is closed: no more income or costs can be recorded in it."
        ),
    )
