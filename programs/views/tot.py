"""The central ToT: the officer's events, candidates and sending invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.confirm import confirmation
from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors, post_data

from .. import permissions, selectors, services
from ..forms import (
    SendInvitationsForm,
    TotCandidateForm,
    TotEventEditForm,
    TotEventForm,
)
from ..models import (
    Invitation,
    TotEvent,
)
from .common import _page, _refused


def _tot_officer_or_403(request: HttpRequest) -> None:
    if not permissions.can_run_tot(request.user):
        raise PermissionDenied


def _tot_or_403(request: HttpRequest, pk: int) -> TotEvent:
    _tot_officer_or_403(request)
    return get_object_or_404(TotEvent, pk=pk)


@login_required
@require_GET
def tot_list(request: HttpRequest) -> HttpResponse:
    _tot_officer_or_403(request)
    return render(request, "programs/tot_list.html", {"events": _page(request, selectors.tot_event_list())})


@login_required
@require_http_methods(["GET", "POST"])
def tot_create(request: HttpRequest) -> HttpResponse:
    _tot_officer_or_403(request)
    form = TotEventForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            event, created = create_once(
                request,
                form,
                scope="programs.tot_event",
                create=lambda: services.tot_event_create(actor=request.user, **form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The ToT is scheduled."))
            return redirect(event)
    return render(request, "programs/tot_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def tot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _tot_or_403(request, pk)
    form = TotEventEditForm(post_data(request), instance=TotEvent.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.tot_event_update(
                actor=request.user, event=event, data=form.cleaned_data, version=form.loaded_version
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The ToT is saved."))
            return redirect(event)
    return render(request, "programs/tot_form.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def tot_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET says what cancelling will do; only the confirming POST cancels (#14)."""
    event = _tot_or_403(request, pk)
    refusal = services.tot_cancel_refusal(event)
    if refusal:
        messages.error(request, refusal)
        return redirect(event)
    withdrawn, told = services.tot_cancel_effect(event)
    page = confirmation(
        request,
        title=_("Cancel %(name)s?") % {"name": event.name},
        consequences=[
            _(
                "The ToT is cancelled: %(n)s open invitations are withdrawn and their candidates are free for "
                "the next ToT."
            )
            % {"n": withdrawn},
            _(
                "%(n)s of them were sent already: the invited members and their KPMI's managers and supervisors "
                "are told it is off. Proposals not sent yet are withdrawn without a message."
            )
            % {"n": told},
            _("The ToT can no longer be edited; schedule a new one instead."),
        ],
        button=_("Cancel the ToT"),
        back=event.get_absolute_url(),
    )
    if page is not None:
        return page
    try:
        services.tot_event_cancel(actor=request.user, event=event)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The ToT is cancelled; the member side of the invitations sent is told."))
    return redirect(event)


@login_required
@require_GET
def tot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _tot_or_403(request, pk)
    groups = [
        (kpmi, rows, sum(1 for inv in rows if inv.status == Invitation.Status.PROPOSED))
        for kpmi, rows in selectors.tot_invitations_by_kpmi(event)
    ]
    taken = sum(1 for _kpmi, rows, _n in groups for inv in rows if inv.status in Invitation.HOLDS_A_SEAT)
    return render(
        request,
        "programs/tot_detail.html",
        {
            "event": event,
            "groups": groups,
            "seats_taken": taken,
            "seats_left": max(event.capacity - taken, 0),
            "proposed_count": sum(n for _kpmi, _rows, n in groups),
            "attendance_open": timezone.localdate() >= event.date,
            "can_cancel": services.tot_cancel_refusal(event) is None,
            "Status": Invitation.Status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tot_add_candidate(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a trainer candidate the evaluation did not propose (e.g. from a group on target)."""
    event = _tot_or_403(request, pk)
    form = TotCandidateForm(post_data(request), event=event)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.invitation_propose(
                actor=request.user,
                event=event,
                member=member,
                capacity=form.cleaned_data["capacity"],
                version=form.loaded_version,
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
