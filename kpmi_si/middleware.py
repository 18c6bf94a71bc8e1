"""Response headers the whole site shares. The Content-Security-Policy comes from django-csp's
middleware (settings.CONTENT_SECURITY_POLICY); Django has no setting for these two."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

NO_STORE = "private, no-store"


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: private, no-store` on every response to a
    logged-in user (member lists, work, dashboards: personal data on every page, which neither a
    shared proxy nor the browser's back button on a shared computer should keep) and on every
    download (exports and certificates name people, even the public ones). Pages for anonymous
    visitors keep the default and may be cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.has_header("Content-Disposition"):
            response["Cache-Control"] = NO_STORE
        return response
