"""Logging work without a signal: the JSON side of the phone's outbox (static/js/outbox.js).

- `activity_sync`: one queued entry, posted with the same fields as the online form plus the key
  the phone made for it. It is the online form's path: the same form class, the same create service
  behind the same idempotency key table (`activity_log_once`), so every rule is checked again, here
  and now, and an entry sent twice (a response lost on the way back) creates one record.
- `offline_lists`: what the phone keeps for the forms while offline, for this user only: the KPMI they
  may log for, those groups' members, the districts and villages, and the pages to keep.
- `outbox`: the page that lists the queued entries (drawn by the script from the phone's storage).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members.forms import apply_service_errors, id_from
from members.models import Desa, Kecamatan, Kpmi, Level
from members.permissions import can_manage_kpmi

from .. import permissions, selectors
from ..forms import FORMS
from ..models import Kind, Status
from .work import KIND_SLUGS, _logging_kpmis, activity_log_once

ALL = "__all__"


def _refusal(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"ok": False, "errors": {ALL: [message]}, **extra}, status=status)


def _field_errors(form: Any) -> dict[str, list[str]]:
    """The form's messages by field, as the online form shows them ("__all__" for the form's own)."""
    return {field: [str(m) for m in errors] for field, errors in form.errors.items()}


def _labels(form: Any) -> dict[str, str]:
    return {name: str(field.label) for name, field in form.fields.items() if field.label}


def activity_sync(request: HttpRequest, kind_slug: str) -> HttpResponse:
    """POST one queued entry. 201: logged now; 200: logged before under this key (nothing new); 400:
    refused with the form's field messages (nothing stored; the entry stays on the phone to be
    corrected); 401: the session ended (log in again, the entry waits); 403: not allowed for this
    KPMI (any more); 404: no such kind or KPMI; 405: not a POST."""
    if not request.user.is_authenticated:
        return _refusal(
            401, _("Your session has ended. Log in again to send the waiting entries."), login=reverse("login")
        )
    if request.method != "POST":
        response = _refusal(405, _("Only sending is possible here."))
        response["Allow"] = "POST"
        return response
    kind = KIND_SLUGS.get(kind_slug)
    pk = id_from(request.GET.get("kpmi"))
    kpmi = Kpmi.objects.select_related("kecamatan", "desa").filter(pk=pk).first() if pk is not None else None
    if kind is None or kpmi is None:
        return _refusal(404, _("This kind of work or this KPMI does not exist."))
    if not permissions.can_log_for_kpmi(request.user, kpmi):
        return _refusal(
            403,
            _(
                "You can no longer log work for %(kpmi)s, so this entry cannot be sent. "
                "Delete it, or ask a manager of %(kpmi)s to log it."
            )
            % {"kpmi": kpmi.name},
        )
    form = FORMS[kind](request.POST, request.FILES or None, kpmi=kpmi, user=request.user)
    if form.is_valid() and form.idempotency_key is None:
        # The phone always sends the key it made: without one, a retry could log the work twice.
        form.add_error(None, _("This entry has no key and was not sent. Open it in the outbox and save it again."))
    if form.is_valid():
        try:
            activity, created = activity_log_once(request, form, kind=kind, kpmi=kpmi, quiet=True)
        except PermissionDenied:
            return _refusal(403, _("You may not log work for %(kpmi)s.") % {"kpmi": kpmi.name})
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if not created:
                message = _("This entry was sent before and is saved; nothing was added twice.")
            elif activity.status == Status.APPROVED:
                message = _("The work was logged.")
            else:
                message = _("The work was logged. It counts once a manager of your KPMI approves it.")
            return JsonResponse(
                {
                    "ok": True,
                    "created": created,
                    "id": activity.pk,
                    "url": activity.get_absolute_url(),
                    "title": activity.title,
                    "message": message,
                },
                status=201 if created else 200,
            )
    return JsonResponse({"ok": False, "errors": _field_errors(form), "labels": _labels(form)}, status=400)


def _member_row(member: Any) -> dict[str, Any]:
    return {
        "id": member.pk,
        "name": member.full_name,
        "level": Level(member.level).label,
        "trainer": member.level >= Level.TRAINER,
    }


@login_required
@require_GET
def offline_lists(request: HttpRequest) -> HttpResponse:
    """The user's lists for the forms offline, refreshed by the phone when it has a signal; a fresh
    CSRF token for the next sending (after a new login the cached pages' tokens are stale); and the
    pages to keep. Nothing of a KPMI the user does not log for."""
    if not permissions.can_log_work(request.user):
        raise PermissionDenied
    groups = _logging_kpmis(request.user)
    menu = reverse("programs:log_menu")
    pages = [menu, reverse("programs:outbox")]
    kpmis = []
    for kpmi in groups:
        pages.append(f"{menu}?kpmi={kpmi.pk}")
        pages += [f"{reverse('programs:activity_create', args=[slug])}?kpmi={kpmi.pk}" for slug in KIND_SLUGS]
        kpmis.append(
            {
                "id": kpmi.pk,
                "name": kpmi.name,
                "kecamatan": kpmi.kecamatan_id,
                "desa": kpmi.desa_id,
                "keeper": can_manage_kpmi(request.user, kpmi),
                "members": [_member_row(m) for m in selectors.members_of(kpmi=kpmi)],
            }
        )
    return JsonResponse(
        {
            "user": request.user.pk,
            "csrf": get_token(request),
            "kinds": {slug: str(Kind(kind).label) for slug, kind in KIND_SLUGS.items()},
            "kpmis": kpmis,
            "kecamatan": list(Kecamatan.objects.order_by("name").values_list("code", "name")),
            "desa": list(Desa.objects.order_by("kecamatan__name", "name").values_list("code", "name", "kecamatan_id")),
            "pages": pages,
        }
    )


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """The outbox: drawn by static/js/outbox.js from the phone's storage, so it works offline too."""
    if not permissions.can_log_work(request.user):
        raise PermissionDenied
    return render(request, "programs/outbox.html", {})
