"""Middleware the whole site shares.

- Response headers: the Content-Security-Policy comes from django-csp's middleware
  (settings.CONTENT_SECURITY_POLICY); Django has no setting for Permissions-Policy and for keeping pages
  with personal data out of caches, so SecurityHeadersMiddleware adds them.
- A database too busy to answer is a "try again in a moment" page (HTTP 503), not a server error. Each
  process keeps a pool of at most DB_POOL_MAX_SIZE connections (see kpmi_si/env.py). Under a burst, a
  request waits up to DB_POOL_TIMEOUT seconds for one; past that, or when PostgreSQL itself has no
  connection left, the visitor is told the site is busy and to retry, and a load balancer or monitor
  sees a 503 with Retry-After rather than an error to page someone about.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg
from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from psycopg_pool import PoolTimeout

logger = logging.getLogger(__name__)

NO_STORE = "private, no-store"
RETRY_AFTER_SECONDS = 10
# PostgreSQL's "sorry, too many clients already" (too_many_connections).
_TOO_MANY_CONNECTIONS = "53300"


def _holds_personal_data(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.has_header("Content-Disposition"):
        return True
    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return user.is_authenticated
    except DatabaseError:
        # The database was too busy to say who this is (the 503 page): assume the worst, keep nothing.
        return True


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
        if _holds_personal_data(request, response):
            response["Cache-Control"] = NO_STORE
        return response


def is_database_busy(exc: BaseException | None) -> bool:
    """Whether `exc`, or what caused it (Django wraps the driver's errors), says no connection was free."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, PoolTimeout):
            return True
        if isinstance(exc, psycopg.OperationalError) and (
            getattr(exc, "sqlstate", None) == _TOO_MANY_CONNECTIONS or "too many clients" in str(exc)
        ):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        logger.warning("Database busy, answered 503: %s %s (%s)", request.method, request.path, exception)
        # Rendered without the request: its context processors would ask the busy database again.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = NO_STORE
        return response
