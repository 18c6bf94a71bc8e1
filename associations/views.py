from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from members import permissions
from members.filters import KpmiFilter
from members.models import Kpmi, Level

from . import selectors
from .models import Association


@login_required
@require_GET
def association_home(request: HttpRequest, code: str) -> HttpResponse:
    """An association's home: its officers and the groups it watches. Officers see only their own."""
    try:
        association = selectors.association_by_code(code=code)
    except Association.DoesNotExist:
        raise Http404 from None
    if not (permissions.is_komtik_admin(request.user) or permissions.is_officer(request.user, code)):
        raise PermissionDenied
    groups = selectors.association_overview(filters=request.GET)
    return render(
        request,
        "associations/home.html",
        {
            "association": association,
            "filter": KpmiFilter(request.GET or None, queryset=Kpmi.objects.none()),
            "page": Paginator(groups, settings.PAGE_SIZE).get_page(request.GET.get("page")),
            "levels": Level,
        },
    )
