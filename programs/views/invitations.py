"""Invitations (ToT and collaboration): the member's side answers, the officer's side withdraws and
records attendance and results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.audit.selectors import audit_entries_for
from kpmi_si.confirm import confirmation

from .. import permissions, selectors, services
from ..forms import (
    AttendanceForm,
    ResultForm,
)
from ..models import (
    Invitation,
)
from .common import _page, _refused


def _invitation_or_403(request: HttpRequest, pk: int, check: Callable[[Any, Invitation], bool]) -> Invitation:
    try:
        invitation = selectors.invitation_for_permission(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None
    if not check(request.user, invitation):
        raise PermissionDenied
    return invitation


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
            "can_undo_decline": services.can_undo_decline(invitation)
            and permissions.can_answer_invitation(request.user, invitation),
            "keeps_group": permissions.can_manage_kpmi(request.user, invitation.member.kpmi),
            "history": audit_entries_for(invitation)
            if permissions.can_view_invitation_as_officer(request.user, invitation)
            else None,
        },
    )


def _invitation_action(
    request: HttpRequest,
    pk: int,
    check,
    action: Callable[[Invitation], Any],
    done: str,
    confirm: Callable[[Invitation], dict[str, Any]] | None = None,
):
    invitation = _invitation_or_403(request, pk, check)
    if confirm is not None:
        # A step that cannot be undone: its page first (the original button's fields go along).
        page = confirmation(request, back=_back(request, invitation), **confirm(invitation))
        if page is not None:
            return page
    try:
        action(invitation)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(_back(request, invitation))


def _back(request: HttpRequest, invitation: Invitation) -> str:
    """Back to the page the form was on (the ToT's list), but never to another site. Only a path:
    redirect() would take anything else for a view name to look up (and fail with a server error)."""
    back = request.POST.get("next", "") or request.GET.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = invitation.get_absolute_url()
    return back


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
@require_http_methods(["GET", "POST"])
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(
        request,
        pk,
        permissions.can_answer_invitation,
        lambda inv: services.invitation_decline(actor=request.user, invitation=inv),
        _("The invitation is declined."),
        confirm=lambda inv: {
            "title": _("Decline the invitation of %(member)s to %(event)s?")
            % {"member": inv.member.full_name, "event": inv.event.name},
            "consequences": [
                _("%(member)s will not take part; the officers are told.") % {"member": inv.member.full_name},
                _("Until %(date)s the decline can be taken back from the invitation's page.")
                % {"date": inv.event.answer_deadline.strftime("%d-%m-%Y")},
            ],
            "button": _("Decline"),
        },
    )


def _officer_check(user: Any, invitation: Invitation) -> bool:
    return permissions.can_run_event(user, invitation.event)


def _result_check(user: Any, invitation: Invitation) -> bool:
    """Results belong to a ToT: a programme's officers get no page for a step the service refuses them."""
    return _officer_check(user, invitation) and (invitation.is_tot or permissions.is_komtik_admin(user))


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
@require_http_methods(["GET", "POST"])
def invitation_result(request: HttpRequest, pk: int) -> HttpResponse:
    """POST records a result; a pass (which promotes) only with the confirmation of the page that
    GET shows: the ToT's "Passed" is a link to it, "Did not pass" a button."""
    form = ResultForm(request.POST if request.method == "POST" else {"passed": "yes"})
    if not form.is_valid():
        _invitation_or_403(request, pk, _result_check)
        return HttpResponseBadRequest()
    passed = form.cleaned_data["passed"]
    return _invitation_action(
        request,
        pk,
        _result_check,
        lambda inv: services.invitation_record_result(actor=request.user, invitation=inv, passed=passed),
        _("The result is recorded."),
        # A pass promotes the candidate to trainer: a level change, confirmed first.
        confirm=(
            lambda inv: {
                "title": _("Record that %(member)s passed %(event)s?")
                % {"member": inv.member.full_name, "event": inv.event.name},
                "consequences": [
                    _("%(member)s becomes a trainer (pelatih); the level history records the ToT.")
                    % {"member": inv.member.full_name},
                    _("Only the KOMTIK admin can correct a level afterwards."),
                ],
                "button": _("Record the pass"),
                "keep": {"passed": "yes", "next": request.POST.get("next") or request.GET.get("next", "")},
                "danger": False,
            }
        )
        if passed
        else None,
    )
