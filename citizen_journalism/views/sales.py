"""The content market's pages: buyers, sales, revenue shares (the Entrepreneurs association's
officers and the KOMTIK admin), an author's earnings statement and its downloads (the author too),
payouts. Each view: load with a permission check, validate a form, call one service, say what
happened, redirect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.exports import as_download, filename, xlsx_workbook_response
from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors, id_from, post_data
from members.models import Member

from .. import permissions, selectors, services
from ..forms import BuyerForm, PayoutForm, SaleCancelForm, SaleForm, ShareForm
from ..models import Buyer, BuyerToken, RevenueShare, Sale
from ..statements import render_statement, statement_rows


def _manager(request: HttpRequest) -> None:
    if not permissions.can_manage_sales(request.user):
        raise PermissionDenied


def _form_page(request: HttpRequest, form: Any, *, title: str, submit: str, back: str, help: str = "") -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "back": back, "help": help}
    return render(request, "citizen_journalism/sales_form.html", context)


# --- buyers -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def buyer_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    page = Paginator(selectors.buyers(), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "citizen_journalism/buyer_list.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def buyer_create(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = BuyerForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            buyer, created = create_once(
                request,
                form,
                scope="citizen_journalism.buyer",
                create=lambda: services.buyer_create(actor=request.user, data=form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The buyer %(name)s was registered.") % {"name": buyer.name})
            return redirect("citizen_journalism:buyer_list")
    return _form_page(
        request,
        form,
        title=_("Register a buyer"),
        submit=_("Register"),
        back=reverse("citizen_journalism:buyer_list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def buyer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    buyer = get_object_or_404(Buyer, pk=pk)
    form = BuyerForm(post_data(request), instance=buyer)
    if request.method == "POST" and form.is_valid():
        try:
            services.buyer_update(actor=request.user, buyer=buyer, data=form.cleaned_data, version=form.loaded_version)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The buyer was saved."))
            return redirect("citizen_journalism:buyer_list")
    return _form_page(
        request,
        form,
        title=_("Edit the buyer %(name)s") % {"name": buyer.name},
        submit=_("Save"),
        back=reverse("citizen_journalism:buyer_list"),
    )


# --- a buyer's API tokens --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def buyer_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """The buyer's tokens, and a button that issues one. The new key is in this one answer only (not
    a redirect: it is never stored, so no later page could show it)."""
    _manager(request)
    buyer = get_object_or_404(Buyer, pk=pk)
    new_key = None
    if request.method == "POST":
        try:
            _token, new_key = services.buyer_token_issue(actor=request.user, buyer=buyer)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
    context = {"buyer": buyer, "tokens": selectors.buyer_tokens(buyer=buyer), "new_key": new_key}
    response = render(request, "citizen_journalism/buyer_tokens.html", context)
    if new_key:
        # Neither a browser's cache nor a proxy keeps the page that shows a key.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def buyer_token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    _manager(request)
    token = get_object_or_404(BuyerToken, pk=token_pk, buyer_id=pk)
    services.buyer_token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("The token %(prefix)s… was revoked: it no longer opens the API.") % {"prefix": token.prefix}
    )
    return redirect("citizen_journalism:buyer_tokens", pk=pk)


# --- sales ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def sale_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    page = Paginator(selectors.sales(), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "citizen_journalism/sale_list.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def sale_create(request: HttpRequest) -> HttpResponse:
    _manager(request)
    initial = {}
    article_id = id_from(request.GET.get("artikel"))
    if article_id is not None:
        initial["article"] = article_id
    form = SaleForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sale, created = create_once(
                request,
                form,
                scope="citizen_journalism.sale",
                create=lambda: services.sale_record(
                    actor=request.user,
                    article=data["article"],
                    buyer=data["buyer"],
                    kind=data["kind"],
                    amount=data["amount"],
                    date=data["date"],
                ),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("The sale was recorded: %(author)s earns %(share)s%% of it, the rest goes to their KPMI.")
                    % {"author": sale.author.full_name, "share": sale.author_percent},
                )
            return redirect("citizen_journalism:sale_list")
    return _form_page(
        request,
        form,
        title=_("Record a sale"),
        submit=_("Record the sale"),
        back=reverse("citizen_journalism:sale_list"),
        help=_(
            "A licence lets the buyer use the article alongside others; an exclusive purchase is once per "
            "article and shows the buyer's name on it. The fee is split between the author and their KPMI "
            "by the shares in force today."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sale_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    sale = get_object_or_404(Sale.objects.select_related("article", "buyer"), pk=pk)
    if sale.is_cancelled:
        messages.info(request, _("This sale was cancelled already."))
        return redirect("citizen_journalism:sale_list")
    form = SaleCancelForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sale_cancel(actor=request.user, sale=sale, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The sale was cancelled; the KPMI's posting and the author's share were reversed.")
            )
            return redirect("citizen_journalism:sale_list")
    return _form_page(
        request,
        form,
        title=_("Cancel the sale of “%(title)s” to %(buyer)s")
        % {"title": sale.article.title, "buyer": sale.buyer.name},
        submit=_("Cancel the sale"),
        back=reverse("citizen_journalism:sale_list"),
        help=_("Nothing is deleted: the KPMI's income is reversed in its ledger and the author's share is taken back."),
    )


# --- revenue shares ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def shares(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = ShareForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.revenue_share_set(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The share was saved. Sales already recorded keep the share they used."))
            return redirect("citizen_journalism:shares")
    context = {"form": form, "rows": selectors.revenue_shares()}
    return render(request, "citizen_journalism/shares.html", context)


@login_required
@require_POST
def share_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    share = get_object_or_404(RevenueShare, pk=pk)
    try:
        services.revenue_share_remove(actor=request.user, share=share)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The override was removed."))
    return redirect("citizen_journalism:shares")


# --- an author's earnings -------------------------------------------------------------------------------------------


def _author(request: HttpRequest, pk: int) -> Member:
    """The author whose statement this is; someone else's is not found, for whoever may not see it."""
    author = Member.objects.select_related("kpmi").filter(pk=pk).first()
    if author is None or not permissions.can_view_statement(request.user, author):
        raise Http404
    return author


def _year(request: HttpRequest, today: dt.date) -> int:
    year = id_from(request.GET.get("tahun"))
    return year if year is not None and 2000 <= year <= today.year else today.year


@login_required
@require_GET
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    author = _author(request, pk)
    today = timezone.localdate()
    year = _year(request, today)
    context = {
        "statement": selectors.earnings_statement(author=author, year=year, today=today),
        "years": selectors.statement_years(author, today),
        "can_pay": permissions.can_manage_sales(request.user),
    }
    return render(request, "citizen_journalism/statement.html", context)


@login_required
@require_GET
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    author = _author(request, pk)
    today = timezone.localdate()
    found = selectors.earnings_statement(author=author, year=_year(request, today), today=today)
    response = HttpResponse(render_statement(found), content_type="application/pdf")
    return as_download(response, filename(f"pendapatan-{author.pk}-{found.year}", "pdf"))


@login_required
@require_GET
def statement_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    author = _author(request, pk)
    today = timezone.localdate()
    found = selectors.earnings_statement(author=author, year=_year(request, today), today=today)
    return xlsx_workbook_response(
        basename=f"pendapatan-{author.pk}-{found.year}", sheets=[(str(found.year), statement_rows(found))]
    )


@login_required
@require_http_methods(["GET", "POST"])
def payout_create(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    author = get_object_or_404(Member, pk=pk)
    form = PayoutForm(post_data(request))
    back = reverse("citizen_journalism:statement", args=[author.pk])
    if request.method == "POST" and form.is_valid():
        try:
            _payout, created = create_once(
                request,
                form,
                scope="citizen_journalism.payout",
                create=lambda: services.payout_record(actor=request.user, author=author, **form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The payout was recorded."))
            return redirect(back)
    return _form_page(
        request, form, title=_("Pay %(name)s") % {"name": author.full_name}, submit=_("Record the payout"), back=back
    )
