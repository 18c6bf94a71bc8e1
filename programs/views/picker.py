"""The member search behind the logging forms' pickers (#14): names and KPMI only, and only the
members the field itself would accept for a group the user may log work for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_GET

from kpmi_si.picker import picker_results

from .. import permissions
from ..forms import FORMS
from .work import _kpmi_param

SEARCH_LIMIT = 20


@login_required
@require_GET
def member_search(request: HttpRequest) -> JsonResponse | HttpResponseBadRequest:
    """?kpmi=&kind=&field=&q=: the form of that kind says whom the field accepts (the same
    `people` it validates with), so the search offers exactly what saving accepts."""
    kpmi = _kpmi_param(request)
    if kpmi is None:
        return HttpResponseBadRequest()
    if not permissions.can_log_for_kpmi(request.user, kpmi):
        raise PermissionDenied
    form_class = FORMS.get(request.GET.get("kind", ""))
    field = request.GET.get("field", "")
    if form_class is None or field not in form_class.picker_fields:
        return HttpResponseBadRequest()
    query = request.GET.get("q", "").strip()[:100]
    if len(query) < 2:
        return JsonResponse(picker_results([]))
    rows = form_class.people(field, kpmi=kpmi).filter(full_name__icontains=query)[:SEARCH_LIMIT]
    return JsonResponse(picker_results([(m.pk, m.full_name, m.kpmi.name) for m in rows]))
