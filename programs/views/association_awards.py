"""Association awards: an officer grants one; everyone sees the list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors, id_from, post_data
from members.permissions import is_komtik_admin

from .. import permissions, selectors, services
from ..forms import (
    AssociationAwardForm,
)
from .common import _page


@login_required
@require_http_methods(["GET", "POST"])
def association_awards(request: HttpRequest) -> HttpResponse:
    if not permissions.can_grant_awards(request.user):
        raise PermissionDenied
    code = None if is_komtik_admin(request.user) else permissions.award_association_code(request.user)
    # A dashboard's drill-down links here with ?member=<id>: the form opens on that pioneer or manager.
    form = AssociationAwardForm(
        post_data(request), association_code=code, initial={"member": id_from(request.GET.get("member"))}
    )
    if request.method == "POST" and form.is_valid():
        try:
            award, created = create_once(
                request,
                form,
                scope="programs.association_award",
                create=lambda: services.association_award_grant(actor=request.user, **form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The award is granted to %(name)s.") % {"name": award.member.full_name})
            return redirect("interventions:association_awards")
    rows = selectors.association_awards(association_code=code)
    return render(request, "programs/association_awards.html", {"form": form, "awards": _page(request, rows)})
