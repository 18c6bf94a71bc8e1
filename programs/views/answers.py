"""A keeper answers a ToT's invitations for their groups on one page; a decline taken back (#14)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.forms import apply_service_errors, post_data
from members.permissions import is_komtik_admin, managed_kpmi_ids

from .. import permissions, selectors, services
from ..forms import TotAnswersForm
from ..models import TotEvent
from .common import _refused
from .invitations import _invitation_or_403


@login_required
@require_http_methods(["GET", "POST"])
def tot_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Every invitation of this ToT for the groups the user keeps: accept or decline per row, one
    submit, all or nothing. The keepers' page; officers send and withdraw from the ToT's own page."""
    if not (is_komtik_admin(request.user) or managed_kpmi_ids(request.user)):
        raise PermissionDenied
    event = get_object_or_404(TotEvent, pk=pk)
    invitations = selectors.tot_invitations_to_answer(user=request.user, event=event)
    form = TotAnswersForm(post_data(request), invitations=invitations)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.invitations_answer(actor=request.user, event=event, answers=form.answers())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Answers saved: %(accepted)s accepted, %(declined)s declined.") % counts,
            )
            return redirect("interventions:tot_answer", pk=event.pk)
    return render(
        request,
        "programs/tot_answer.html",
        {"event": event, "form": form, "open_rows": sum(1 for _inv, name in form.rows if name)},
    )


@login_required
@require_POST
def invitation_undo_decline(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_403(request, pk, permissions.can_answer_invitation)
    try:
        services.invitation_undo_decline(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The decline is taken back; the invitation is open again."))
    return redirect(invitation)


__all__ = ["invitation_undo_decline", "tot_answer"]
