"""The catalogue: a KPMI's services and their free-service rules (its keepers keep them, its viewers
read them), KOMTIK's templates (KOMTIK admin, the Entrepreneurs officers) and their adoption by a KPMI.
Views follow the project's recipe: permission-aware load, form, one service call, message, redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors, post_data
from members.models import Kpmi

from .. import permissions
from ..forms.catalogue import AdoptForm, RuleForm, ServiceForm, TemplateForm
from ..models import EligibilityRule, Service, ServiceTemplate
from ..selectors import catalogue as selectors
from ..services import catalogue as services


def kpmi_or_403(request: HttpRequest, pk: int, check: Callable[[Any, Kpmi], bool]) -> Kpmi:
    """The KPMI of a money page, if the user may `check` it: 404 for a group that does not exist,
    403 for one the user does not keep (the group is public, its books are not)."""
    kpmi = get_object_or_404(Kpmi.objects.select_related("kecamatan", "desa"), pk=pk)
    if not check(request.user, kpmi):
        raise PermissionDenied
    return kpmi


def _service_or_404(kpmi: Kpmi, pk: int) -> Service:
    try:
        return selectors.service_detail(kpmi=kpmi, pk=pk)
    except Service.DoesNotExist:
        raise Http404 from None


def _templates_only(request: HttpRequest) -> None:
    if not permissions.can_manage_templates(request.user):
        raise PermissionDenied


# --- a KPMI's services ---------------------------------------------------------------------------------


@login_required
@require_GET
def service_list(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_money)
    can_keep = permissions.can_keep_money(request.user, kpmi)
    return render(
        request,
        "entrepreneurship/service_list.html",
        {
            "kpmi": kpmi,
            "services": selectors.service_list(kpmi=kpmi),
            "templates": selectors.templates_to_adopt(kpmi=kpmi) if can_keep else None,
            "can_keep": can_keep,
            "can_manage_templates": permissions.can_manage_templates(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    form = ServiceForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            service, created = create_once(
                request,
                form,
                scope="entrepreneurship.service",
                create=lambda: services.service_create(actor=request.user, kpmi=kpmi, data=form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The service %(name)s was added.") % {"name": service.name})
            return redirect("entrepreneurship:service_detail", kpmi.pk, service.pk)
    return render(request, "entrepreneurship/service_form.html", {"form": form, "kpmi": kpmi})


@login_required
@require_GET
def service_detail(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_view_money)
    service = _service_or_404(kpmi, pk)
    can_keep = permissions.can_keep_money(request.user, kpmi)
    return render(
        request,
        "entrepreneurship/service_detail.html",
        {"kpmi": kpmi, "service": service, "can_keep": can_keep, "rule_form": RuleForm() if can_keep else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    service = _service_or_404(kpmi, pk)
    form = ServiceForm(post_data(request), instance=service)
    if request.method == "POST" and form.is_valid():
        try:
            stored = services.service_update(
                actor=request.user, service=service, data=form.cleaned_data, version=form.loaded_version
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("entrepreneurship:service_detail", kpmi.pk, stored.pk)
    return render(request, "entrepreneurship/service_form.html", {"form": form, "kpmi": kpmi, "service": service})


@login_required
@require_http_methods(["GET", "POST"])
def service_adopt(request: HttpRequest, kpmi_pk: int, template_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    template = get_object_or_404(ServiceTemplate.objects.prefetch_related("rules__kecamatan"), pk=template_pk)
    form = AdoptForm(post_data(request), template=template)
    if request.method == "POST" and form.is_valid():
        try:
            service, created = create_once(
                request,
                form,
                scope="entrepreneurship.service_adopt",
                create=lambda: services.service_adopt(
                    actor=request.user, kpmi=kpmi, template=template, data=form.cleaned_data
                ),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The service %(name)s was added with its rules.") % {"name": service.name})
            return redirect("entrepreneurship:service_detail", kpmi.pk, service.pk)
    return render(request, "entrepreneurship/service_adopt.html", {"form": form, "kpmi": kpmi, "template": template})


@login_required
@require_POST
def rule_add(request: HttpRequest, kpmi_pk: int, pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    service = _service_or_404(kpmi, pk)
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            services.rule_add(actor=request.user, service=service, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The rule was added."))
            return redirect("entrepreneurship:service_detail", kpmi.pk, service.pk)
    # Refused: the service's page again, with the messages on the rule form's fields.
    return render(
        request,
        "entrepreneurship/service_detail.html",
        {"kpmi": kpmi, "service": service, "can_keep": True, "rule_form": form},
    )


@login_required
@require_POST
def rule_remove(request: HttpRequest, kpmi_pk: int, pk: int, rule_pk: int) -> HttpResponse:
    kpmi = kpmi_or_403(request, kpmi_pk, permissions.can_keep_money)
    service = _service_or_404(kpmi, pk)
    rule = get_object_or_404(EligibilityRule, pk=rule_pk, service=service)
    services.rule_remove(actor=request.user, rule=rule)
    messages.success(request, _("The rule was removed."))
    return redirect("entrepreneurship:service_detail", kpmi.pk, service.pk)


# --- KOMTIK's templates --------------------------------------------------------------------------------


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    _templates_only(request)
    return render(request, "entrepreneurship/template_list.html", {"templates": selectors.template_list()})


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    _templates_only(request)
    form = TemplateForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            template, created = create_once(
                request,
                form,
                scope="entrepreneurship.template",
                create=lambda: services.template_create(actor=request.user, data=form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The template %(name)s was added.") % {"name": template.name})
            return redirect("entrepreneurship:template_detail", template.pk)
    return render(request, "entrepreneurship/template_form.html", {"form": form})


def _template_or_404(pk: int) -> ServiceTemplate:
    try:
        return selectors.template_detail(pk=pk)
    except ServiceTemplate.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _templates_only(request)
    template = _template_or_404(pk)
    return render(request, "entrepreneurship/template_detail.html", {"template": template, "rule_form": RuleForm()})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _templates_only(request)
    template = _template_or_404(pk)
    form = TemplateForm(post_data(request), instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            stored = services.template_update(
                actor=request.user, template=template, data=form.cleaned_data, version=form.loaded_version
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("entrepreneurship:template_detail", stored.pk)
    return render(request, "entrepreneurship/template_form.html", {"form": form, "template": template})


@login_required
@require_POST
def template_rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    _templates_only(request)
    template = _template_or_404(pk)
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            services.rule_add(actor=request.user, template=template, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The rule was added."))
            return redirect("entrepreneurship:template_detail", template.pk)
    return render(request, "entrepreneurship/template_detail.html", {"template": template, "rule_form": form})


@login_required
@require_POST
def template_rule_remove(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    _templates_only(request)
    template = _template_or_404(pk)
    rule = get_object_or_404(EligibilityRule, pk=rule_pk, template=template)
    services.rule_remove(actor=request.user, rule=rule)
    messages.success(request, _("The rule was removed."))
    return redirect(reverse("entrepreneurship:template_detail", args=[template.pk]))
