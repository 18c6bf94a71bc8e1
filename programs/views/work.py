"""Logged work: lists, the log menu and forms, one record's page, edit, delete, approve, reject,
evidence files. Views follow the project's recipe: load through a permission-aware helper, validate a
form, call one service, add a message, redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.idempotency.views import create_once
from kpmi_si.picker import picker_searched
from members.forms import apply_service_errors, id_from, post_data
from members.models import Kpmi
from members.permissions import is_komtik_admin, managed_kpmi_ids
from members.selectors import kpmi_for_user

from .. import evidence, exports, periods, permissions, selectors, services
from ..filters import ActivityFilter
from ..forms import (
    FORMS,
    RejectForm,
)
from ..models import (
    Activity,
    Kind,
    Status,
)
from .common import _page
from .offline_copy import keep_messages_for_later, offline_copy_requested, trim_for_offline_copy

# Indonesian paths, like the rest of the site: /kegiatan/catat/terbitan/ ...
KIND_SLUGS: dict[str, str] = {
    "terbitan": Kind.PUBLICATION,
    "edukasi": Kind.EDUCATION,
    "penerapan": Kind.DEPLOYMENT,
    "pelatihan": Kind.TRAINING,
}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}


def _kpmi_param(request: HttpRequest) -> Kpmi | None:
    raw = request.GET.get("kpmi", "").strip()
    if not raw:
        return None
    pk = id_from(raw)
    if pk is None:
        raise Http404
    return get_object_or_404(Kpmi.objects.select_related("kecamatan", "desa"), pk=pk)


def _activity_or_403(request: HttpRequest, pk: int, check: Callable[[Any, Activity], bool]) -> Activity:
    """The record, if the user may do `check` with it. Another group's record is a 403: the
    record's existence is no secret, its details are."""
    try:
        activity = selectors.activity_for_permission(pk=pk)
    except Activity.DoesNotExist:
        raise Http404 from None
    if not check(request.user, activity):
        raise PermissionDenied
    return activity


def _closed_redirect(request: HttpRequest, activity: Activity) -> HttpResponse | None:
    """Work in a closed period is shown, not changed; the admin alone may still correct it."""
    if is_komtik_admin(request.user) or periods.activity_is_editable(activity):
        return None
    messages.error(
        request,
        _("This work is dated before %(date)s: its period is closed and it can no longer be changed.")
        % {"date": periods.open_since().strftime("%d-%m-%Y")},
    )
    return redirect(activity)


def _export_or_none(request: HttpRequest, rows: QuerySet, basename: str) -> HttpResponse | None:
    fmt = request.GET.get("format", "")
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        return exports.csv_response(rows, f"{basename}-{stamp}")
    if fmt == "xlsx":
        return exports.xlsx_response(rows, f"{basename}-{stamp}")
    return None


def _activity_page(request: HttpRequest, rows: QuerySet):
    """A page of a work list, as activities whatever rows the list reads."""
    page = _page(request, rows)
    page.object_list = selectors.activities_of(page.object_list)
    return page


def _filters_active(request: HttpRequest) -> bool:
    return any(request.GET.get(name) for name in ActivityFilter.base_filters)


def _export_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


# --- lists --------------------------------------------------------------------------------------------


@login_required
@require_GET
def work_list(request: HttpRequest) -> HttpResponse:
    """ "Our KPMI's work" for a group's keepers; every group's work for officers and the admin."""
    user = request.user
    kpmi = _kpmi_param(request)
    if kpmi is not None:
        if not permissions.can_view_kpmi_work(user, kpmi):
            raise PermissionDenied
    elif managed_kpmi_ids(user) and not permissions.can_view_all_work(user):
        kpmi = kpmi_for_user(user=user).select_related("kecamatan", "desa").first()
    elif not permissions.can_view_all_work(user):
        if permissions.member_of(user) is not None:
            return redirect("programs:my_work")
        raise PermissionDenied

    if kpmi is not None:
        activities = selectors.kpmi_work(kpmi=kpmi, filters=request.GET)
        basename = f"kegiatan-kpmi-{kpmi.pk}"
    else:
        activities = selectors.all_work(filters=request.GET)
        basename = "kegiatan-semua-kpmi"
    export = _export_or_none(request, activities, basename)
    if export is not None:
        return export

    # Officers and the admin may look at any group; a keeper of several groups at each of theirs.
    if permissions.can_view_all_work(user):
        switchable = Kpmi.objects.order_by("name")
    elif len(managed_kpmi_ids(user)) > 1:
        switchable = kpmi_for_user(user=user)
    else:
        switchable = None
    return render(
        request,
        "programs/work_list.html",
        {
            "kpmi": kpmi,
            "switchable": switchable,
            "kpmi_required": not permissions.can_view_all_work(user),
            "filter": ActivityFilter(
                request.GET or None,
                queryset=Activity.objects.none(),
                members=selectors.filter_members(kpmi=kpmi),
            ),
            "page": _activity_page(request, activities),
            "pending": selectors.pending_count(kpmi=kpmi) if kpmi is not None else None,
            "can_log": kpmi is not None and permissions.can_log_for_kpmi(user, kpmi),
            "export_query": _export_query(request),
            "filters_active": _filters_active(request),
        },
    )


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """A member's own credited work, whatever its status."""
    member = permissions.member_of(request.user)
    if member is None:
        raise PermissionDenied
    activities = selectors.member_work(member=member, filters=request.GET)
    export = _export_or_none(request, activities, f"kegiatan-anggota-{member.pk}")
    if export is not None:
        return export
    return render(
        request,
        "programs/my_work.html",
        {
            "member": member,
            "filter": ActivityFilter(request.GET or None, queryset=Activity.objects.none(), members=None),
            "page": _activity_page(request, activities),
            "export_query": _export_query(request),
            "filters_active": _filters_active(request),
        },
    )


# --- logging ------------------------------------------------------------------------------------------


def _logging_kpmis(user: Any) -> list[Kpmi]:
    """The groups a user may log work for: any for the admin; the groups they keep; their own."""
    if is_komtik_admin(user):
        return list(Kpmi.objects.order_by("name"))
    groups = list(kpmi_for_user(user=user))
    own = permissions.member_of(user)
    if own is not None and own.kpmi_id not in {k.pk for k in groups}:
        groups.append(own.kpmi)
    return groups


@login_required
@require_GET
def log_menu(request: HttpRequest) -> HttpResponse:
    """ "Log work": pick what kind (and, for someone who keeps several groups, for which group)."""
    if not permissions.can_log_work(request.user):
        raise PermissionDenied
    groups = _logging_kpmis(request.user)
    if not groups:
        raise PermissionDenied
    kpmi = _kpmi_param(request)
    if kpmi is not None and not permissions.can_log_for_kpmi(request.user, kpmi):
        raise PermissionDenied
    if kpmi is None and len(groups) == 1:
        kpmi = groups[0]
    kinds = [(slug, Kind(kind).label) for slug, kind in KIND_SLUGS.items()]
    if offline_copy_requested(request):
        keep_messages_for_later(request)
    return render(request, "programs/log_menu.html", {"groups": groups, "kpmi": kpmi, "kinds": kinds})


ACTIVITY_SCOPE = "programs.activity"  # the idempotency keys' scope: the online form and the offline sync share it


def activity_log_once(
    request: HttpRequest, form: Any, *, kind: str, kpmi: Kpmi, quiet: bool = False
) -> tuple[Activity, bool]:
    """Log the valid `form`'s work once per idempotency key: (the record, created now). The online
    form and the offline sync (views.offline.activity_sync) both come through here, to one service."""
    return create_once(
        request,
        form,
        scope=ACTIVITY_SCOPE,
        quiet=quiet,
        create=lambda: services.activity_log(
            actor=request.user,
            kind=kind,
            kpmi=kpmi,
            data=form.service_data(),
            credited=form.credited_members(),
            trainees=form.trainees(),
            files=form.cleaned_data.get("evidence_files") or [],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, kind_slug: str) -> HttpResponse:
    kind = KIND_SLUGS.get(kind_slug)
    if kind is None:
        raise Http404
    kpmi = _kpmi_param(request)
    if kpmi is None:
        groups = _logging_kpmis(request.user)
        if len(groups) != 1:
            if not groups:
                raise PermissionDenied
            return redirect("programs:log_menu")
        kpmi = groups[0]
    if not permissions.can_log_for_kpmi(request.user, kpmi):
        raise PermissionDenied
    form = FORMS[kind](post_data(request), request.FILES or None, kpmi=kpmi, user=request.user)
    if request.method == "GET" and offline_copy_requested(request):
        trim_for_offline_copy(form, kpmi)
        keep_messages_for_later(request)
    if request.method == "POST" and not picker_searched(request, form) and form.is_valid():
        try:
            activity, created = activity_log_once(request, form, kind=kind, kpmi=kpmi)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created and activity.status == Status.APPROVED:
                messages.success(request, _("The work was logged."))
            elif created:  # else create_once said it was saved already
                messages.success(request, _("The work was logged. It counts once a manager of your KPMI approves it."))
            return redirect(activity)
    return render(
        request,
        "programs/activity_form.html",
        {"form": form, "kind": kind, "kind_label": Kind(kind).label, "kpmi": kpmi},
    )


# --- one record ---------------------------------------------------------------------------------------


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        activity = selectors.activity_detail(pk=pk)
    except Activity.DoesNotExist:
        raise Http404 from None
    user = request.user
    if not permissions.can_view_activity(user, activity):
        raise PermissionDenied
    is_open = is_komtik_admin(user) or periods.activity_is_editable(activity)
    can_change = permissions.can_change_activity(user, activity)
    return render(
        request,
        "programs/activity_detail.html",
        {
            "activity": activity,
            "detail": activity.detail,
            "kind_slug": SLUG_OF[activity.kind],
            "is_open": is_open,
            "can_change": can_change and is_open,
            "is_closed_for_user": can_change and not is_open,
            "can_decide": activity.status == Status.PENDING
            and is_open
            and permissions.can_decide_activity(user, activity),
            "history": selectors.activity_history(activity=activity) if permissions.can_view_history(user) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_403(request, pk, permissions.can_change_activity)
    closed = _closed_redirect(request, activity)
    if closed is not None:
        return closed
    activity = selectors.activity_detail(pk=activity.pk)
    form_class = FORMS[activity.kind]
    form = form_class(
        post_data(request), request.FILES or None, kpmi=activity.kpmi, user=request.user, activity=activity
    )
    if request.method == "POST" and not picker_searched(request, form) and form.is_valid():
        try:
            stored = services.activity_update(
                actor=request.user,
                activity=activity,
                data=form.service_data(),
                credited=form.credited_members(),
                trainees=form.trainees(),
                files=form.cleaned_data.get("evidence_files") or [],
                remove_evidence=[e.pk for e in form.cleaned_data.get("remove_evidence") or []],
                version=form.loaded_version,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if stored.status == Status.PENDING and activity.status != Status.PENDING:
                messages.success(request, _("Changes saved. The work now waits for approval again."))
            else:
                messages.success(request, _("Changes saved."))
            return redirect(stored)
    return render(
        request,
        "programs/activity_form.html",
        {
            "form": form,
            "kind": activity.kind,
            "kind_label": activity.get_kind_display(),
            "kpmi": activity.kpmi,
            "activity": activity,
        },
    )


def _list_url_for(user: Any) -> str:
    if managed_kpmi_ids(user) or permissions.can_view_all_work(user):
        return reverse("programs:work_list")
    return reverse("programs:my_work")


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST deletes."""
    activity = _activity_or_403(request, pk, permissions.can_change_activity)
    closed = _closed_redirect(request, activity)
    if closed is not None:
        return closed
    if request.method == "POST":
        try:
            services.activity_delete(actor=request.user, activity=activity)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(activity)
        messages.success(request, _("The work record was deleted."))
        return redirect(_list_url_for(request.user))
    return render(request, "programs/activity_confirm_delete.html", {"activity": activity})


@login_required
@require_POST
def activity_approve(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_403(request, pk, permissions.can_decide_activity)
    try:
        services.activity_approve(actor=request.user, activity=activity)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Approved: the work now counts."))
    return redirect(activity)


@login_required
@require_http_methods(["GET", "POST"])
def activity_reject(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_403(request, pk, permissions.can_decide_activity)
    form = RejectForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_reject(actor=request.user, activity=activity, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Rejected. The member sees your reason."))
            return redirect(activity)
    return render(request, "programs/activity_reject.html", {"form": form, "activity": activity})


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """Evidence is served through this check rather than from MEDIA_URL: photos show people, and
    only those who may see the record may see them."""
    activity = _activity_or_403(request, pk, permissions.can_view_activity)
    item = get_object_or_404(activity.evidence, pk=evidence_pk)
    return evidence.file_response(item)
