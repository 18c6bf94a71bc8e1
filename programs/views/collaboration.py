"""Collaboration programmes: list, create, the programme's page for officers and participants, send
invitations, cancel, log the work done there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.confirm import confirmation
from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors, id_from, post_data
from members.models import Member

from .. import permissions, selectors, services
from ..forms import (
    COLLABORATION_FORMS,
    CollaborationForm,
)
from ..models import (
    CollaborationProgram,
    Invitation,
    Kind,
    Status,
)
from .common import _page, _refused
from .work import KIND_SLUGS


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
    form = CollaborationForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            program, created = create_once(
                request,
                form,
                scope="programs.collaboration",
                create=lambda: services.collaboration_create(actor=request.user, **form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
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
    ids = [pk for v in request.POST.getlist("invitations") if (pk := id_from(v)) is not None]
    try:
        sent = services.invitations_send(actor=request.user, event=program, invitation_ids=ids)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(n)s invitations sent.") % {"n": sent})
    return redirect(program)


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    program = _collaboration_or_403(request, pk)
    page = confirmation(
        request,
        title=_("Cancel %(name)s?") % {"name": program.name},
        consequences=[
            _("The programme is cancelled: %(n)s open invitations are withdrawn and the invited managers are told.")
            % {"n": program.invitations.filter(status__in=["proposed", "sent", "accepted"]).count()},
            _("The programme's work can no longer be logged."),
        ],
        button=_("Cancel the programme"),
        back=program.get_absolute_url(),
    )
    if page is not None:
        return page
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
            activity, created = create_once(
                request,
                form,
                scope="programs.collaboration_work",
                create=lambda: services.collaboration_log_work(
                    actor=request.user, program=program, kind=kind, data=form.service_data()
                ),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created and activity.status == Status.APPROVED:
                messages.success(request, _("The programme's work is logged and credited to every participant."))
            elif created:  # else create_once said it was saved already
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
