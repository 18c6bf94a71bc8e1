"""Project-level pages: the landing page, the role-based home redirect, KOMTIK's overview and the page of an
expired form (CSRF_FAILURE_VIEW)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from associations.models import Association
from awards import selectors as award_selectors
from kpmi_si import homes
from kpmi_si.privacy import selectors as privacy_selectors
from members import permissions, selectors
from members.models import Kecamatan, Kpmi, Level


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a security token that no longer matches its cookie: a page left open across a
    login or logout, another tab's login, cleared cookies. Nothing was saved. Django's own page is in
    English and carries an inline style the site's policy refuses; this one says, in the user's
    language, to open the form again (the page it came from, when that is this site) and send it again."""
    referer = request.headers.get("referer", "")
    again = (
        referer
        if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure())
        else request.get_full_path()
    )
    return render(request, "403_csrf.html", {"again": again}, status=403)


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "landing.html",
        {
            "n_kpmi": Kpmi.objects.filter(status=Kpmi.Status.ACTIVE).count(),
            "n_kecamatan": Kecamatan.objects.filter(kpmi_set__isnull=False).distinct().count(),
            "level_totals": [(Level(k).label, v) for k, v in selectors.level_totals().items()],
        },
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role's home: what needs it now. The admin has KOMTIK's overview, a member with no group
    to keep their own page; officers, keepers of a group and jurors get their agenda here."""
    user = request.user
    if permissions.is_komtik_admin(user):
        return redirect("komtik_home")
    code = permissions.officer_association_code(user)
    managed = list(selectors.kpmi_for_user(user=user)) if not code else []
    seats = award_selectors.jury_seats(user=user).exists()
    if not (code or managed or seats):
        member = getattr(user, "member", None)
        if member is not None:
            return redirect(member)
        return redirect("directory:kpmi_list")
    context: dict = {
        "officer": homes.officer_agenda(association=Association.objects.get(code=code)) if code else None,
        "groups": [homes.group_agenda(kpmi=kpmi) for kpmi in managed],
        "to_score": homes.finalists_to_score(user=user) if seats else None,
    }
    return render(request, "role_home.html", context)


@login_required
@require_GET
def komtik_home(request: HttpRequest) -> HttpResponse:
    if not permissions.is_komtik_admin(request.user):
        raise PermissionDenied
    return render(
        request,
        "komtik_home.html",
        {
            "level_totals": [(Level(k).label, v) for k, v in selectors.level_totals().items()],
            "n_kpmi": Kpmi.objects.count(),
            "associations": Association.objects.all(),
            "open_reviews": privacy_selectors.open_review_count(),
        },
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and docker-compose: the process serves and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


_set_language_protected = csrf_protect(i18n.set_language)


@csrf_exempt
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a POST: it sets the language cookie and goes back to `next`, checked
    to be on this site). A logged-in user's switch is checked against forgery as every POST is. A
    visitor's switch needs no token: the worst a forged one does is show the site in the other
    language, as a link could, and without the token every public page would set a CSRF cookie and
    mask a token for a form the reader rarely uses (templates/base.html leaves it out for visitors)."""
    if request.user.is_authenticated:
        return _set_language_protected(request)
    return i18n.set_language(request)
