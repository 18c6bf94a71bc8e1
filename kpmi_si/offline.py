"""The installable web app's project-level pieces: the service worker at the site's root (so its
scope covers every page), the web app manifest, and a logout that tells the browser to drop what the
phone kept for the user. The offline logging itself is programs' (programs/views/offline.py) and the
scripts' (static/js/outbox.js, static/js/sw.js); README "Offline logging" tells the whole story."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

SERVICE_WORKER = "js/sw.js"
# What the service worker keeps from the first visit on: the files every page needs, and its icons.
PRECACHE = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "css/site.css",
    "js/outbox.js",
    "icons/icon-192.png",
)
THEME_COLOUR = "#198754"  # Bootstrap's "success" green, the navigation bar's colour


def _read(path: str) -> bytes:
    found = finders.find(path)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(path) as handle:
        return handle.read()


@lru_cache(maxsize=1)
def offline_version() -> str:
    """The release's mark: the cache names carry it, so that a new release's files replace the old.
    With hashed static names (production) the static manifest says what changed; otherwise the files'
    contents do. Computed once per process: a release restarts the processes."""
    digest = hashlib.sha256(getattr(settings, "OFFLINE_CACHE_VERSION", "").encode())
    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if manifest_name and staticfiles_storage.exists(manifest_name):
        with staticfiles_storage.open(manifest_name) as handle:
            digest.update(handle.read())
    for path in (SERVICE_WORKER, *PRECACHE):
        digest.update(_read(path))
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js, served from /sw.js so that its scope is the whole site, with the release's
    version and the static files' URLs (hashed in production) written in front of it."""
    config = {
        "version": offline_version(),
        "precache": [static(path) for path in PRECACHE],
        "outboxScript": static("js/outbox.js"),
        "staticUrl": static(""),
    }
    body = f"self.KPMI_SW = {json.dumps(config)};\n".encode() + _read(SERVICE_WORKER)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # the browser asks every time whether the worker changed
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: Android offers "Add to home screen" from it."""
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for size in (192, 512)
    ]
    icons.append(
        {"src": static("icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"}
    )
    data = {
        "name": _("KPMI Information System — KOMTIK Garut"),
        "short_name": "SI KPMI",
        "description": _("Log the work of your KPMI, also without a signal."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("home"),
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
        "shortcuts": [{"name": _("Log work"), "url": reverse("programs:log_menu")}],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


class LogoutView(auth_views.LogoutView):
    """Django's logout, plus `Clear-Site-Data`: the browser drops the pages, lists and queued entries
    the phone kept for the user (outbox.js clears them too, for browsers without the header, after
    warning about entries not sent yet)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
