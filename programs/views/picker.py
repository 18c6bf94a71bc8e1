"""The member search behind the logging forms' pickers (#14): names and KPMI only, and only the
members the field itself would accept for a group the user may log work for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_GET

from kpmi_si.picker import picker_results

from .. import permissions, selectors
from .work import _kpmi_param

SEARCH_LIMIT = 20
# The picker's fields and the choices each accepts (the same querysets the forms validate against).
FIELDS = {
    "credited_other": lambda kpmi: selectors.members_elsewhere(kpmi=kpmi),
    "lead_trainer": lambda kpmi: selectors.trainer_choices(kpmi=kpmi),
}


@login_required
@require_GET
def member_search(request: HttpRequest) -> JsonResponse | HttpResponseBadRequest:
    kpmi = _kpmi_param(request)
    if kpmi is None:
        return HttpResponseBadRequest()
    if not permissions.can_log_for_kpmi(request.user, kpmi):
        raise PermissionDenied
    choices = FIELDS.get(request.GET.get("field", ""))
    if choices is None:
        return HttpResponseBadRequest()
    query = request.GET.get("q", "").strip()[:100]
    if len(query) < 2:
        return JsonResponse(picker_results([]))
    rows = choices(kpmi).filter(full_name__icontains=query)[:SEARCH_LIMIT]
    return JsonResponse(picker_results([(m.pk, m.full_name, m.kpmi.name) for m in rows]))
