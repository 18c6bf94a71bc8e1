"""A member's data download, the anonymisation page and the review of flagged texts. The project's
recipe: load through a permission-aware helper, validate a form, call one service, add a message,
redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kpmi_si.exports import XLSX_TYPE
from members.models import Member
from members.permissions import can_view_member

from . import exports, permissions, selectors, services
from .forms import AnonymiseForm, ReviewForm
from .models import ReviewFlag


def _member_for(request: HttpRequest, pk: int, check) -> Member:
    """The member, if `check` allows the user. Someone who may not even see the member gets a 404
    (personal data: whether the record exists is not theirs to learn); someone who may see the member
    but not do this gets a 403."""
    member = get_object_or_404(Member.objects.select_related("kpmi"), pk=pk)
    if check(request.user, member):
        return member
    if can_view_member(request.user, member):
        raise PermissionDenied
    raise Http404


def _admin_only(request: HttpRequest) -> None:
    if not permissions.can_review(request.user):
        raise PermissionDenied


@never_cache  # Cache-Control: private, no-store: a copy of personal data stays out of every cache.
@login_required
@require_GET
def member_data_export(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for(request, pk, permissions.can_export_member_data)
    fmt = request.GET.get("format", "json")
    if fmt not in services.EXPORT_FORMATS:
        raise Http404
    sections = services.member_data_export(actor=request.user, member=member, fmt=fmt)
    basename = f"data-anggota-{member.pk}-{timezone.localdate().isoformat()}"
    if fmt == "xlsx":
        return exports.attachment(exports.xlsx_bytes(sections), content_type=XLSX_TYPE, filename=f"{basename}.xlsx")
    about = {
        "exported_at": timezone.localtime().replace(microsecond=0),
        "exported_by": str(request.user),
        "site": settings.SITE_URL,
    }
    return exports.attachment(
        exports.json_bytes(sections, about=about),
        content_type="application/json; charset=utf-8",
        filename=f"{basename}.json",
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for(request, pk, lambda user, _member: permissions.can_anonymise(user))
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_anonymise(actor=request.user, member=member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(member)
        messages.success(
            request,
            _("The member's identity was removed; they are now %(name)s. Texts that named them wait for review.")
            % {"name": member.full_name},
        )
        return redirect("privacy:review_list")
    return render(request, "privacy/anonymise.html", {"member": member, "form": form})


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    show_all = request.GET.get("semua") == "1"
    page = Paginator(selectors.review_flags(open_only=not show_all), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.flagged_texts(page.object_list)
    return render(request, "privacy/review_list.html", {"page": page, "show_all": show_all})


@login_required
@require_http_methods(["GET", "POST"])
def review_flag(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    flag = get_object_or_404(ReviewFlag.objects.select_related("content_type", "member"), pk=pk)
    (row,) = selectors.flagged_texts([flag])
    form = ReviewForm(request.POST or None, initial={"text": row.text})
    if request.method == "POST" and form.is_valid():
        try:
            flag = services.review_flag_resolve(
                actor=request.user, flag=flag, text=form.cleaned_data["text"] if row.text is not None else None
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for message in exc.message_dict.get("text", []):
                    form.add_error("text", message)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("privacy:review_list")
        else:
            messages.success(request, _("Reviewed: %(outcome)s.") % {"outcome": flag.get_outcome_display()})
            return redirect("privacy:review_list")
    return render(request, "privacy/review_flag.html", {"row": row, "flag": flag, "form": form})
