"""Competitions: list, open, the live or frozen leaderboard, close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors

from .. import permissions, selectors, services
from ..forms import (
    CompetitionForm,
)
from ..models import (
    Competition,
)
from .common import _page, _refused


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
            competition, created = create_once(
                request,
                form,
                scope="programs.competition",
                create=lambda: services.competition_create(actor=request.user, **form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
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
