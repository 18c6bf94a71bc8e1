"""Views follow one recipe: load through a permission-aware helper, validate a form, call one
service, add a message, redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kpmi_si.idempotency.views import create_once
from kpmi_si.picker import picker_results, picker_searched

from . import permissions, selectors, services
from .filters import KpmiFilter, MemberFilter
from .forms import KpmiForm, LevelChangeForm, MemberForm, apply_service_errors, post_data
from .models import Kecamatan, Kpmi, Level, Member


def _page(request: HttpRequest, queryset, size: int | None = None):
    return Paginator(queryset, size or settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _kpmi_or_403(request: HttpRequest, pk: int, check) -> Kpmi:
    kpmi = get_object_or_404(Kpmi, pk=pk)
    if not check(request.user, kpmi):
        raise PermissionDenied
    return kpmi


def _member_or_404(request: HttpRequest, pk: int, check=permissions.can_view_member) -> Member:
    """A member of a group the user may not see does not exist for them (personal data)."""
    member = get_object_or_404(Member.objects.select_related("kpmi"), pk=pk)
    if not check(request.user, member):
        raise Http404
    return member


# --- public directory -------------------------------------------------------------------------------


@require_GET
def kpmi_list(request: HttpRequest) -> HttpResponse:
    filterset = KpmiFilter(request.GET or None, queryset=Kpmi.objects.none())
    groups = selectors.kpmi_directory(filters=request.GET)
    return render(
        request,
        "members/kpmi_list.html",
        {"filter": filterset, "page": _page(request, groups), "levels": Level},
    )


@require_GET
def kpmi_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        kpmi = selectors.kpmi_detail(pk=pk)
    except Kpmi.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "members/kpmi_detail.html",
        {
            "kpmi": kpmi,
            "can_manage": permissions.can_manage_kpmi(request.user, kpmi),
            "can_view_members": permissions.can_view_kpmi_members(request.user, kpmi),
            "can_edit": permissions.can_edit_kpmi(request.user, kpmi),
            "can_assign_roles": permissions.can_assign_kpmi_roles(request.user),
        },
    )


# --- group management -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def kpmi_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_kpmi(request.user):
        raise PermissionDenied
    form = KpmiForm(post_data(request), user=request.user)
    if request.method == "POST" and not picker_searched(request, form) and form.is_valid():
        try:
            kpmi, created = create_once(
                request,
                form,
                scope="members.kpmi",
                create=lambda: services.kpmi_create(actor=request.user, data=form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("%(name)s was registered.") % {"name": kpmi.display_name})
            return redirect(kpmi)
    return render(request, "members/kpmi_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def kpmi_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kpmi = _kpmi_or_403(request, pk, permissions.can_edit_kpmi)
    form = KpmiForm(post_data(request), instance=kpmi, user=request.user)
    if request.method == "POST" and not picker_searched(request, form) and form.is_valid():
        try:
            # The service reads the stored row again (the form's instance holds the new values).
            stored = services.kpmi_update(
                actor=request.user, kpmi=kpmi, data=form.cleaned_data, version=form.loaded_version
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(stored)
    return render(request, "members/kpmi_form.html", {"form": form, "kpmi": kpmi})


@login_required
@require_GET
def member_list(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = _kpmi_or_403(request, kpmi_pk, permissions.can_view_kpmi_members)
    filterset = MemberFilter(request.GET or None, queryset=Member.objects.none())
    members = selectors.member_list(kpmi=kpmi, filters=request.GET)
    return render(
        request,
        "members/member_list.html",
        {
            "kpmi": kpmi,
            "filter": filterset,
            "page": _page(request, members),
            "can_manage": permissions.can_manage_kpmi(request.user, kpmi),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest, kpmi_pk: int) -> HttpResponse:
    kpmi = _kpmi_or_403(request, kpmi_pk, permissions.can_manage_kpmi)
    form = MemberForm(post_data(request), kpmi=kpmi, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member, created = create_once(
                request,
                form,
                scope="members.member",
                create=lambda: services.member_register(actor=request.user, kpmi=kpmi, **form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("%(name)s was added as a member.") % {"name": member.full_name})
            return redirect(member)
    return render(request, "members/member_form.html", {"form": form, "kpmi": kpmi})


@login_required
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_or_404(request, pk)
    member = selectors.member_detail(pk=member.pk)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "can_manage": permissions.can_manage_kpmi(request.user, member.kpmi),
            "can_change_level": bool(permissions.allowed_level_targets(request.user, member)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_or_404(request, pk)
    if not permissions.can_manage_kpmi(request.user, member.kpmi):
        raise PermissionDenied
    if member.is_anonymised:
        messages.error(request, _("This member's personal data was removed; it can no longer be edited."))
        return redirect(member)
    form = MemberForm(post_data(request), instance=member, kpmi=member.kpmi, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            stored = services.member_update(
                actor=request.user, member=member, data=form.cleaned_data, version=form.loaded_version
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(stored)
    return render(request, "members/member_form.html", {"form": form, "kpmi": member.kpmi, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def member_level_change(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_or_404(request, pk)
    if not permissions.allowed_level_targets(request.user, member):
        raise PermissionDenied
    form = LevelChangeForm(post_data(request), member=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.member_change_level(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now %(level)s.") % {"name": member.full_name, "level": change.get_to_level_display()},
            )
            return redirect(member)
    return render(request, "members/level_change_form.html", {"form": form, "member": member})


@login_required
@require_GET
def desa_options(request: HttpRequest) -> JsonResponse:
    """The villages of one district, for the picker that narrows "desa" to the chosen kecamatan
    (#14). Reference data (BPS), no personal data; behind the login like the forms that use it."""
    code = request.GET.get("kecamatan", "").strip()
    if not (code.isascii() and code.isdigit() and len(code) <= 7):
        raise Http404
    kecamatan = get_object_or_404(Kecamatan, pk=code)
    rows = selectors.desa_of(kecamatan=kecamatan, query=request.GET.get("q", "")[:100])
    return JsonResponse(picker_results([(d.code, d.name, kecamatan.name) for d in rows]))
