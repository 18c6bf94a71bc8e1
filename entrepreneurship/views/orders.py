"""Orders of a KPMI's services: the list, recording one (the price shown with its reason before it is
saved), its page, payment, cancellation, the receipt PDF, and turning a delivered order into logged
work. Money pages of a KPMI load the group first: 404 when it does not exist, 403 for a user who
does not keep (or, for reading, oversee) it; an order of another group under this group's address
is a 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kpmi_si.exports import as_download, filename
from kpmi_si.idempotency.views import create_once
from kpmi_si.picker import picker_searched
from members.forms import apply_service_errors, id_from, post_data
from members.models import Kpmi, Member

from .. import permissions
from ..forms.orders import MEMBER, CancelForm, OrderForm, PaymentForm, work_initial
from ..models import Client, Order, PaymentStatus
from ..receipts import render_receipt
from ..selectors import orders as selectors
from ..selectors.orders import OrderFilter
from ..services import orders as services
from ..services.pricing import price_compute
from .catalogue import kpmi_or_403


def _order_or_404(kpmi: Kpmi, pk: int) -> Order:
    try:
        return selectors.order_detail(kpmi=kpmi, pk=pk)
    except Order.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def order_list(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_money)
    orders = selectors.order_list(kpmi=kpmi, filters=request.GET)
    return render(
        request,
        "entrepreneurship/order_list.html",
        {
            "kpmi": kpmi,
            "filter": OrderFilter(request.GET or None, queryset=Order.objects.none(), kpmi=kpmi),
            "page": Paginator(orders, settings.PAGE_SIZE).get_page(request.GET.get("page")),
            "can_keep": permissions.can_keep_money(request.user, kpmi),
        },
    )


def _preview(form: OrderForm) -> dict[str, object]:
    """The price the order would get, computed by the one pricing function, without saving anything."""
    data = form.cleaned_data
    who = form.client_kwargs()
    client = who.get("client")
    if "new_client" in who:
        new = who["new_client"]
        # Never saved: only its category and district matter to the rules.
        client = Client(kpmi=form.kpmi, name=new["name"], category=new["category"], kecamatan=new["kecamatan"])
    price = price_compute(service=data["service"], quantity=data["quantity"], member=who.get("member"), client=client)
    unit, total, _free, reason = services.price_with_override(
        price=price,
        quantity=data["quantity"],
        override_unit_price=data.get("override_unit_price"),
        override_reason=data.get("override_reason") or "",
    )
    return {"unit_price": unit, "total": total, "reason": reason, "computed": price}


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    """Record an order. "Compute the price" sends the form back with the price and its reason and
    saves nothing; "Save" computes it again on the server (the catalogue may have changed since) and
    stores it with its reason."""
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    initial = {}
    picked = None
    member_pk = id_from(request.GET.get("member", ""))
    if member_pk is not None:
        picked = Member.objects.filter(pk=member_pk, anonymised_at__isnull=True).select_related("kpmi").first()
        if picked is not None:
            initial = {"client_type": MEMBER, "member": picked.pk}
    form = OrderForm(post_data(request), kpmi=kpmi, initial=initial)
    query = request.GET.get("q", "")[:100]
    context = {
        "form": form,
        "kpmi": kpmi,
        "query": query,
        "found": selectors.member_search(query=query) if query.strip() else None,
        "picked": picked,
        "preview": None,
    }
    if request.method == "POST" and not picker_searched(request, form) and form.is_valid():
        # A page saved already (its key is stored) is not priced again: create_once answers with its order.
        if "preview" in request.POST and not form.sent_before:
            context["preview"] = _preview(form)
            return render(request, "entrepreneurship/order_form.html", context)
        try:
            order, created = create_once(
                request,
                form,
                scope="entrepreneurship.order",
                create=lambda: services.order_create(actor=request.user, kpmi=kpmi, **form.service_kwargs()),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("Order recorded with receipt %(label)s: %(reason)s.")
                    % {"label": order.receipt_label, "reason": order.price_reason},
                )
            return redirect(order)
    return render(request, "entrepreneurship/order_form.html", context)


@login_required
@require_GET
def order_detail(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_money)
    order = _order_or_404(kpmi, pk)
    can_keep = permissions.can_keep_money(request.user, kpmi)
    return render(
        request,
        "entrepreneurship/order_detail.html",
        {
            "kpmi": kpmi,
            "order": order,
            "can_keep": can_keep,
            "can_pay": can_keep and order.payment_status == PaymentStatus.UNPAID,
            "can_cancel": can_keep and order.payment_status != PaymentStatus.CANCELLED,
            "can_log_work": can_keep and services.log_work_refusal(order) is None,
            "pay_form": PaymentForm() if can_keep and order.payment_status == PaymentStatus.UNPAID else None,
        },
    )


def _refused_to_page(request: HttpRequest, form, exc: ValidationError, order: Order) -> HttpResponse | None:
    """A refusal about a field goes back on the form; one about the order's state (paid already,
    cancelled already) is a message on the order's page."""
    if hasattr(exc, "error_dict") and any(name in form.fields for name in exc.error_dict):
        apply_service_errors(form, exc)
        return None
    for message in exc.messages:
        messages.error(request, message)
    return redirect(order)


@login_required
@require_http_methods(["GET", "POST"])
def order_pay(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    order = _order_or_404(kpmi, pk)
    if request.method == "GET" and order.payment_status != PaymentStatus.UNPAID:
        messages.info(request, _("This order is not waiting for a payment."))
        return redirect(order)
    form = PaymentForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.order_pay(
                actor=request.user,
                order=order,
                method=form.cleaned_data["method"],
                paid_on=form.cleaned_data["paid_on"],
            )
        except ValidationError as exc:
            refused = _refused_to_page(request, form, exc, order)
            if refused is not None:
                return refused
        else:
            messages.success(request, _("Payment recorded and posted to the ledger."))
            return redirect(order)
    return render(request, "entrepreneurship/order_pay.html", {"form": form, "kpmi": kpmi, "order": order})


@login_required
@require_http_methods(["GET", "POST"])
def order_cancel(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    order = _order_or_404(kpmi, pk)
    form = CancelForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.order_cancel(actor=request.user, order=order, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            refused = _refused_to_page(request, form, exc, order)
            if refused is not None:
                return refused
        else:
            if order.payment_status == PaymentStatus.PAID:
                messages.success(request, _("The order was cancelled and its payment reversed in the ledger."))
            else:
                messages.success(request, _("The order was cancelled."))
            return redirect(order)
    return render(request, "entrepreneurship/order_cancel.html", {"form": form, "kpmi": kpmi, "order": order})


@login_required
@require_GET
def order_receipt(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_money)
    order = _order_or_404(kpmi, pk)
    response = HttpResponse(render_receipt(order), content_type="application/pdf")
    return as_download(response, filename(f"kwitansi-{order.kpmi_id}-{order.receipt_number:06d}", "pdf"))


@login_required
@require_http_methods(["GET", "POST"])
def order_log_work(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    """The work-logging form of the service's kind, filled in from the order; saved through the same
    service as the work-logging page, and linked to the order in one transaction."""
    from programs.forms import FORMS
    from programs.models import Kind

    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    order = _order_or_404(kpmi, pk)
    refusal = services.log_work_refusal(order)
    if refusal is not None:
        messages.info(request, refusal)
        return redirect(order.activity if order.activity_id else order)
    kind = order.service.work_kind
    form = FORMS[kind](
        post_data(request), request.FILES or None, kpmi=kpmi, user=request.user, initial=work_initial(order)
    )
    if request.method == "POST" and not picker_searched(request, form) and form.is_valid():
        try:
            activity, created = create_once(
                request,
                form,
                scope="entrepreneurship.order_work",
                create=lambda: services.order_log_work(
                    actor=request.user,
                    order=order,
                    data=form.service_data(),
                    credited=form.credited_members(),
                    trainees=form.trainees(),
                    files=form.cleaned_data.get("evidence_files") or [],
                ),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The order is logged as work and marked delivered."))
            return redirect(activity)
    return render(
        request,
        "entrepreneurship/order_log_work.html",
        {"form": form, "kpmi": kpmi, "order": order, "kind_label": Kind(kind).label},
    )
