"""Views follow the project's recipe: load through a permission-aware helper, validate a form, call
one service, add a message, redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.audit.selectors import audit_entries_for
from members.forms import apply_service_errors
from members.models import Kpmi, Member
from members.permissions import is_komtik_admin, managed_kpmi_ids
from members.selectors import kpmi_for_user

from . import evidence, exports, periods, permissions, selectors, services
from .filters import ActivityFilter
from .forms import (
    COLLABORATION_FORMS,
    FORMS,
    AssociationAwardForm,
    AttendanceForm,
    CollaborationForm,
    CompetitionForm,
    ProjectCancelForm,
    ProjectCompleteForm,
    RejectForm,
    ResultForm,
    SendInvitationsForm,
    TotCandidateForm,
    TotEventEditForm,
    TotEventForm,
    VolunteerProjectForm,
)
from .models import (
    Activity,
    CollaborationProgram,
    Competition,
    Invitation,
    Kind,
    Notification,
    ProjectSignup,
    Status,
    TotEvent,
    VolunteerProject,
)

# Indonesian paths, like the rest of the site: /kegiatan/catat/terbitan/ ...
KIND_SLUGS: dict[str, str] = {
    "terbitan": Kind.PUBLICATION,
    "edukasi": Kind.EDUCATION,
    "penerapan": Kind.DEPLOYMENT,
    "pelatihan": Kind.TRAINING,
}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}


def _page(request: HttpRequest, queryset: QuerySet):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _kpmi_param(request: HttpRequest) -> Kpmi | None:
    raw = request.GET.get("kpmi", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Kpmi.objects.select_related("kecamatan", "desa"), pk=int(raw))


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
    return render(request, "programs/log_menu.html", {"groups": groups, "kpmi": kpmi, "kinds": kinds})


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
    form = FORMS[kind](request.POST or None, request.FILES or None, kpmi=kpmi, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_log(
                actor=request.user,
                kind=kind,
                kpmi=kpmi,
                data=form.service_data(),
                credited=form.credited_members(),
                trainees=form.trainees(),
                files=form.cleaned_data.get("evidence_files") or [],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if activity.status == Status.APPROVED:
                messages.success(request, _("The work was logged."))
            else:
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
        request.POST or None, request.FILES or None, kpmi=activity.kpmi, user=request.user, activity=activity
    )
    if request.method == "POST" and form.is_valid():
        try:
            stored = services.activity_update(
                actor=request.user,
                activity=activity,
                data=form.service_data(),
                credited=form.credited_members(),
                trainees=form.trainees(),
                files=form.cleaned_data.get("evidence_files") or [],
                remove_evidence=[e.pk for e in form.cleaned_data.get("remove_evidence") or []],
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
    form = RejectForm(request.POST or None)
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


# --- Interventions: central ToT, invitations, notifications -----------------------------------------


def _tot_officer_or_403(request: HttpRequest) -> None:
    if not permissions.can_run_tot(request.user):
        raise PermissionDenied


def _tot_or_403(request: HttpRequest, pk: int) -> TotEvent:
    _tot_officer_or_403(request)
    return get_object_or_404(TotEvent, pk=pk)


def _invitation_or_403(request: HttpRequest, pk: int, check: Callable[[Any, Invitation], bool]) -> Invitation:
    try:
        invitation = selectors.invitation_for_permission(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None
    if not check(request.user, invitation):
        raise PermissionDenied
    return invitation


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_GET
def tot_list(request: HttpRequest) -> HttpResponse:
    _tot_officer_or_403(request)
    return render(request, "programs/tot_list.html", {"events": _page(request, selectors.tot_event_list())})


@login_required
@require_http_methods(["GET", "POST"])
def tot_create(request: HttpRequest) -> HttpResponse:
    _tot_officer_or_403(request)
    form = TotEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.tot_event_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The ToT is scheduled."))
            return redirect(event)
    return render(request, "programs/tot_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def tot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _tot_or_403(request, pk)
    form = TotEventEditForm(request.POST or None, instance=TotEvent.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.tot_event_update(actor=request.user, event=event, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The ToT is saved."))
            return redirect(event)
    return render(request, "programs/tot_form.html", {"form": form, "event": event})


@login_required
@require_GET
def tot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _tot_or_403(request, pk)
    groups = selectors.tot_invitations_by_kpmi(event)
    taken = sum(1 for _kpmi, rows in groups for inv in rows if inv.status in Invitation.HOLDS_A_SEAT)
    return render(
        request,
        "programs/tot_detail.html",
        {
            "event": event,
            "groups": groups,
            "seats_taken": taken,
            "attendance_open": timezone.localdate() >= event.date,
            "Status": Invitation.Status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tot_add_candidate(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a trainer candidate the evaluation did not propose (e.g. from a group on target)."""
    event = _tot_or_403(request, pk)
    form = TotCandidateForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.invitation_propose(
                actor=request.user, event=event, member=member, capacity=form.cleaned_data["capacity"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is on the list; send the invitation from here.") % {"name": member.full_name}
            )
            return redirect(event)
    return render(
        request,
        "programs/tot_candidate_form.html",
        {"form": form, "event": event, "places_used": selectors.tot_places_used(event)},
    )


@login_required
@require_POST
def tot_send(request: HttpRequest, pk: int) -> HttpResponse:
    event = _tot_or_403(request, pk)
    form = SendInvitationsForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose at least one proposed invitation to send."))
        return redirect(event)
    try:
        sent = services.invitations_send(
            actor=request.user, event=event, invitation_ids=form.cleaned_data["invitations"]
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(n)s invitations sent.") % {"n": sent})
    return redirect(event)


@login_required
@require_GET
def invitation_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.invitations_for_user(request.user)
    return render(request, "programs/invitation_list.html", {"invitations": _page(request, rows)})


@login_required
@require_GET
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_403(request, pk, permissions.can_view_invitation)
    return render(
        request,
        "programs/invitation_detail.html",
        {
            "invitation": invitation,
            "can_answer": invitation.status == Invitation.Status.SENT
            and permissions.can_answer_invitation(request.user, invitation),
            "history": audit_entries_for(invitation)
            if permissions.can_view_invitation_as_officer(request.user, invitation)
            else None,
        },
    )


def _invitation_action(request: HttpRequest, pk: int, check, action: Callable[[Invitation], Any], done: str):
    invitation = _invitation_or_403(request, pk, check)
    try:
        action(invitation)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    # Back to the page the form was on (the ToT's list), but never to another site.
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = invitation.get_absolute_url()
    return redirect(back)


@login_required
@require_POST
def invitation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(
        request,
        pk,
        permissions.can_answer_invitation,
        lambda inv: services.invitation_accept(actor=request.user, invitation=inv),
        _("The invitation is accepted."),
    )


@login_required
@require_POST
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(
        request,
        pk,
        permissions.can_answer_invitation,
        lambda inv: services.invitation_decline(actor=request.user, invitation=inv),
        _("The invitation is declined."),
    )


def _officer_check(user: Any, invitation: Invitation) -> bool:
    return permissions.can_run_event(user, invitation.event)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(
        request,
        pk,
        _officer_check,
        lambda inv: services.invitation_withdraw(actor=request.user, invitation=inv),
        _("The invitation is withdrawn."),
    )


@login_required
@require_POST
def invitation_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        _invitation_or_403(request, pk, _officer_check)
        return HttpResponseBadRequest()
    return _invitation_action(
        request,
        pk,
        _officer_check,
        lambda inv: services.invitation_record_attendance(
            actor=request.user, invitation=inv, attended=form.cleaned_data["attended"]
        ),
        _("Attendance is recorded."),
    )


@login_required
@require_POST
def invitation_result(request: HttpRequest, pk: int) -> HttpResponse:
    form = ResultForm(request.POST)
    if not form.is_valid():
        _invitation_or_403(request, pk, _officer_check)
        return HttpResponseBadRequest()
    return _invitation_action(
        request,
        pk,
        _officer_check,
        lambda inv: services.invitation_record_result(
            actor=request.user, invitation=inv, passed=form.cleaned_data["passed"]
        ),
        _("The result is recorded."),
    )


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = _page(request, selectors.notifications_for(request.user))
    return render(request, "programs/notification_list.html", {"notifications": rows})


@login_required
@require_GET
def notification_count(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"unread": selectors.unread_notification_count(request.user)})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notification: mark it read and follow its link (only the recipient's own rows)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, pk=notification.pk)
    return redirect(notification.link or reverse("interventions:notification_list"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)
    return redirect("interventions:notification_list")


# --- Volunteer projects -----------------------------------------------------------------------------


def _project_or_404(pk: int) -> VolunteerProject:
    try:
        return selectors.project_detail(pk=pk)
    except VolunteerProject.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.projects_for_user(request.user)
    if not permissions.can_run_projects(request.user):
        rows = rows.filter(status__in=[VolunteerProject.Status.OPEN, VolunteerProject.Status.TEAM_CONFIRMED])
    return render(
        request,
        "programs/project_list.html",
        {"projects": _page(request, rows), "can_run": permissions.can_run_projects(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_run_projects(request.user):
        raise PermissionDenied
    form = VolunteerProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_publish(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The project is published."))
            return redirect(project)
    return render(request, "programs/project_form.html", {"form": form})


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(pk)
    can_run = permissions.can_run_projects(request.user)
    signups = selectors.project_signups(project)
    return render(
        request,
        "programs/project_detail.html",
        {
            "project": project,
            "signups": signups,
            "can_run": can_run,
            "candidates": selectors.managers_user_may_sign_up(request.user, project)
            if project.status == VolunteerProject.Status.OPEN
            else [],
            # Sign-ups this user may take back: their own and their groups' managers', while open.
            "withdrawable": {
                s.pk
                for s in signups
                if project.status == VolunteerProject.Status.OPEN
                and s.status == ProjectSignup.Status.SIGNED_UP
                and permissions.can_sign_up_member(request.user, s.member)
            },
            "can_cancel": can_run and project.can_move_to(VolunteerProject.Status.CANCELLED),
            "complete_form": ProjectCompleteForm(initial={"date": timezone.localdate()}) if can_run else None,
            "SignupStatus": ProjectSignup.Status,
            "ProjectStatus": VolunteerProject.Status,
        },
    )


@login_required
@require_POST
def project_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(pk)
    raw = request.POST.get("member", "")
    if not raw.isdigit():
        return HttpResponseBadRequest()
    member = get_object_or_404(Member.objects.select_related("kpmi"), pk=int(raw))
    if not permissions.can_sign_up_member(request.user, member):
        raise PermissionDenied
    try:
        services.project_sign_up(actor=request.user, project=project, member=member)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(name)s is signed up.") % {"name": member.full_name})
    return redirect(project)


@login_required
@require_POST
def project_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_run_projects(request.user):
        raise PermissionDenied
    project = _project_or_404(pk)
    ids = [int(v) for v in request.POST.getlist("signups") if v.isdigit()]
    try:
        services.project_confirm_team(actor=request.user, project=project, signup_ids=ids)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The team is confirmed."))
    return redirect(project)


@login_required
@require_POST
def project_complete(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_run_projects(request.user):
        raise PermissionDenied
    project = _project_or_404(pk)
    form = ProjectCompleteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(project)
    try:
        activity = services.project_complete(actor=request.user, project=project, **form.cleaned_data)
    except ValidationError as exc:
        _refused(request, exc)
        return redirect(project)
    messages.success(request, _("The project is completed and its deployment is logged."))
    return redirect(activity)


@login_required
@require_http_methods(["GET", "POST"])
def project_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (and an optional reason), POST cancels."""
    if not permissions.can_run_projects(request.user):
        raise PermissionDenied
    project = _project_or_404(pk)
    if not project.can_move_to(VolunteerProject.Status.CANCELLED):
        messages.error(
            request,
            _("This project is %(state)s; it cannot be cancelled.") % {"state": project.get_status_display()},
        )
        return redirect(project)
    form = ProjectCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_cancel(actor=request.user, project=project, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The project is cancelled; the managers who signed up are told."))
            return redirect(project)
    signed_up = [s for s in selectors.project_signups(project) if s.status in ProjectSignup.TAKES_A_PLACE]
    return render(request, "programs/project_cancel.html", {"project": project, "form": form, "signed_up": signed_up})


@login_required
@require_POST
def project_signup_withdraw(request: HttpRequest, pk: int, signup_pk: int) -> HttpResponse:
    project = _project_or_404(pk)
    signup = get_object_or_404(ProjectSignup.objects.select_related("member__kpmi"), pk=signup_pk, project=project)
    if not permissions.can_sign_up_member(request.user, signup.member):
        raise PermissionDenied
    try:
        services.project_signup_withdraw(actor=request.user, signup=signup)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(name)s is no longer signed up.") % {"name": signup.member.full_name})
    return redirect(project)


# --- Association awards -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def association_awards(request: HttpRequest) -> HttpResponse:
    if not permissions.can_grant_awards(request.user):
        raise PermissionDenied
    code = None if is_komtik_admin(request.user) else permissions.award_association_code(request.user)
    form = AssociationAwardForm(request.POST or None, association_code=code)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.association_award_grant(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The award is granted to %(name)s.") % {"name": award.member.full_name})
            return redirect("interventions:association_awards")
    rows = selectors.association_awards(association_code=code)
    return render(request, "programs/association_awards.html", {"form": form, "awards": _page(request, rows)})


# --- Competitions -----------------------------------------------------------------------------------


@login_required
@require_GET
def competition_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programs/competition_list.html",
        {
            "competitions": _page(request, selectors.competitions_list()),
            "can_run": permissions.can_run_competitions(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def competition_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_run_competitions(request.user):
        raise PermissionDenied
    form = CompetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            competition = services.competition_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The competition is open."))
            return redirect(competition)
    return render(request, "programs/competition_form.html", {"form": form})


@login_required
@require_GET
def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = get_object_or_404(Competition.objects.select_related("period"), pk=pk)
    return render(
        request,
        "programs/competition_detail.html",
        {
            "competition": competition,
            "standings": selectors.competition_leaderboard(competition),
            "can_run": permissions.can_run_competitions(request.user),
        },
    )


@login_required
@require_POST
def competition_close(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_run_competitions(request.user):
        raise PermissionDenied
    competition = get_object_or_404(Competition, pk=pk)
    try:
        services.competition_close(actor=request.user, competition=competition)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The competition is closed and its winners are recorded."))
    return redirect(competition)


# --- Collaboration programmes -----------------------------------------------------------------------


def _collaboration_or_403(request: HttpRequest, pk: int) -> CollaborationProgram:
    """A programme, for its officers (the Users association, the admin)."""
    if not permissions.can_run_collaborations(request.user):
        raise PermissionDenied
    return get_object_or_404(CollaborationProgram.objects.select_related("period"), pk=pk)


def _collaboration_for_side(request: HttpRequest, pk: int) -> tuple[CollaborationProgram, list[Member]]:
    """A programme and its participants, for its officers and the participants' side."""
    program = get_object_or_404(CollaborationProgram.objects.select_related("period"), pk=pk)
    participants = selectors.collaboration_participants(program)
    if not permissions.can_view_collaboration(request.user, participants):
        raise PermissionDenied
    return program, participants


@login_required
@require_GET
def collaboration_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_run_collaborations(request.user):
        raise PermissionDenied
    return render(
        request, "programs/collaboration_list.html", {"programs": _page(request, selectors.collaboration_list())}
    )


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_run_collaborations(request.user):
        raise PermissionDenied
    form = CollaborationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.collaboration_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The programme is scheduled."))
            return redirect(program)
    return render(request, "programs/collaboration_form.html", {"form": form})


def _collaboration_page(
    request: HttpRequest,
    program: CollaborationProgram,
    participants: list[Member],
    bound: Any = None,
) -> HttpResponse:
    """The programme's page. Officers review and send its invitations; officers and participants
    log its work, with one form per kind (`bound`: the one just refused, with its errors)."""
    officer = permissions.can_run_collaborations(request.user)
    can_log = program.status == CollaborationProgram.Status.SCHEDULED and bool(participants)
    forms = {}
    if can_log:
        forms = {kind: form_class(program=program) for kind, form_class in COLLABORATION_FORMS.items()}
        if bound is not None:
            forms[bound.kind] = bound
    return render(
        request,
        "programs/collaboration_detail.html",
        {
            "program": program,
            "is_officer": officer,
            "groups": selectors.tot_invitations_by_kpmi(program) if officer else None,
            "participants": participants,
            "works": selectors.collaboration_works(program),
            "publication_form": forms.get(Kind.PUBLICATION),
            "education_form": forms.get(Kind.EDUCATION),
            "Status": Invitation.Status,
        },
    )


@login_required
@require_GET
def collaboration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program, participants = _collaboration_for_side(request, pk)
    return _collaboration_page(request, program, participants)


@login_required
@require_POST
def collaboration_send(request: HttpRequest, pk: int) -> HttpResponse:
    program = _collaboration_or_403(request, pk)
    ids = [int(v) for v in request.POST.getlist("invitations") if v.isdigit()]
    try:
        sent = services.invitations_send(actor=request.user, event=program, invitation_ids=ids)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(n)s invitations sent.") % {"n": sent})
    return redirect(program)


@login_required
@require_POST
def collaboration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    program = _collaboration_or_403(request, pk)
    try:
        services.collaboration_cancel(actor=request.user, program=program)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The programme is cancelled; the invited managers are told."))
    return redirect(program)


@login_required
@require_POST
def collaboration_log_work(request: HttpRequest, pk: int, kind_slug: str) -> HttpResponse:
    kind = KIND_SLUGS.get(kind_slug)
    if kind not in COLLABORATION_FORMS:
        raise Http404
    program, participants = _collaboration_for_side(request, pk)
    form = COLLABORATION_FORMS[kind](request.POST, program=program)
    if form.is_valid():
        try:
            activity = services.collaboration_log_work(
                actor=request.user, program=program, kind=kind, data=form.service_data()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if activity.status == Status.APPROVED:
                messages.success(request, _("The programme's work is logged and credited to every participant."))
            else:
                messages.success(
                    request,
                    _(
                        "The programme's work is logged and credited to every participant. "
                        "It counts once a manager of your KPMI approves it."
                    ),
                )
            return redirect(activity)
    # Refused: the page again, with the form's messages on their fields and nothing saved.
    return _collaboration_page(request, program, participants, bound=form)
