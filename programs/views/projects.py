"""Volunteer projects: list, publish, sign up, confirm the team, complete, cancel, withdraw a sign-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.confirm import confirmation
from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors, id_from, post_data
from members.models import Member

from .. import permissions, selectors, services
from ..forms import (
    ProjectCancelForm,
    ProjectCompleteForm,
    VolunteerProjectForm,
)
from ..models import (
    ProjectSignup,
    VolunteerProject,
)
from .common import _page, _refused


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
    form = VolunteerProjectForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            project, created = create_once(
                request,
                form,
                scope="programs.volunteer_project",
                create=lambda: services.project_publish(actor=request.user, data=form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
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
    member_pk = id_from(request.POST.get("member"))
    if member_pk is None:
        return HttpResponseBadRequest()
    member = get_object_or_404(Member.objects.select_related("kpmi"), pk=member_pk)
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
    ids = [pk for v in request.POST.getlist("signups") if (pk := id_from(v)) is not None]
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
    """The form on the project's page posts here; a valid one gets a page that says what closing the
    project will do, and only its confirming POST (carrying the same values) completes it (#14)."""
    if not permissions.can_run_projects(request.user):
        raise PermissionDenied
    project = _project_or_404(pk)
    if not project.can_move_to(VolunteerProject.Status.COMPLETED):
        messages.error(
            request,
            _("This project is %(state)s; it cannot be completed.") % {"state": project.get_status_display()},
        )
        return redirect(project)
    form = ProjectCompleteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(project)
    data = form.cleaned_data
    signups = selectors.project_signups(project)
    team = [s.member.full_name for s in signups if s.status == ProjectSignup.Status.CONFIRMED]
    page = confirmation(
        request,
        title=_("Complete %(project)s?") % {"project": project.title},
        consequences=[
            _("The project is closed as completed on %(date)s; it can no longer be changed or cancelled.")
            % {"date": data["date"].strftime("%d-%m-%Y")},
            _(
                "One ICT deployment (%(n)s beneficiaries) is logged and credited to the %(team)s team members "
                "(%(names)s); it counts at once."
            )
            % {"n": data["beneficiaries"], "team": len(team), "names": ", ".join(team)},
        ],
        button=_("Complete and log the deployment"),
        back=project.get_absolute_url(),
        keep={name: request.POST.get(name, "") for name in ("date", "beneficiaries", "summary")},
        danger=False,
        asking="confirm" not in request.POST,
    )
    if page is not None:
        return page
    try:
        activity = services.project_complete(actor=request.user, project=project, **data)
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
    form = ProjectCancelForm(post_data(request))
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
