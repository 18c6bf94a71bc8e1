"""Competitions: list, open, the live or frozen leaderboard, close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kpmi_si.confirm import confirmation
from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors, post_data

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
    form = CompetitionForm(post_data(request))
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
@require_http_methods(["GET", "POST"])
def competition_close(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_run_competitions(request.user):
        raise PermissionDenied
    competition = get_object_or_404(Competition.objects.select_related("period"), pk=pk)
    today = timezone.localdate()
    page = confirmation(
        request,
        title=_("Close %(title)s?") % {"title": competition.title},
        consequences=[
            _("The leaderboard is frozen as it stands now and the top %(n)s are recorded as winners.")
            % {"n": competition.winners},
            _("Work logged or approved after closing no longer changes the standings."),
        ],
        warnings=[
            _("The period %(period)s runs until %(end)s: closing now ends the competition early.")
            % {"period": competition.period.name, "end": competition.period.end.strftime("%d-%m-%Y")}
        ]
        if competition.status == Competition.Status.OPEN and today < competition.period.end
        else [],
        button=_("Close the competition"),
        back=competition.get_absolute_url(),
    )
    if page is not None:
        return page
    try:
        services.competition_close(actor=request.user, competition=competition)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The competition is closed and its winners are recorded."))
    return redirect(competition)
