"""Middleware the whole site shares.

- Response headers: the Content-Security-Policy comes from django-csp's middleware
  (settings.CONTENT_SECURITY_POLICY), its header built once per process (CSPMiddleware); Django has no
  setting for Permissions-Policy and for keeping pages with personal data out of caches, so
  SecurityHeadersMiddleware adds them.
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
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils.functional import empty
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
        if getattr(user, "_wrapped", None) is empty:
            # The page never asked who this is (a health check, a count fetched by script): that the
            # session names a user says enough, without loading the user to find out (a round trip).
            session = getattr(request, "session", None)
            return session is not None and SESSION_KEY in session
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


# Set by django-csp's decorators on a response that wants a policy of its own (none of our views does).
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
_CSP_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
_site_policy: list[tuple[str, str]] | None = None


@receiver(setting_changed)
def _forget_site_policy(setting: str, **kwargs: object) -> None:
    global _site_policy
    if setting in _CSP_SETTINGS:
        _site_policy = None


def _site_policy_headers() -> list[tuple[str, str]]:
    """The site's CSP headers, as django-csp builds them from settings."""
    global _site_policy
    if _site_policy is None:
        headers = [(HEADER, build_policy()), (HEADER_REPORT_ONLY, build_policy(report_only=True))]
        _site_policy = [(name, value) for name, value in headers if value]
    return _site_policy


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the site's policy built once instead of twice per response
    (policy and report-only, from settings, each time): part of every page's fixed cost (README,
    Benchmark, issue #16). A response with a policy of its own (django-csp's decorators), a nonce, an
    excluded prefix or a DEBUG error page goes through django-csp's own code, unchanged."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        special = (
            (settings.DEBUG and response.status_code in (404, 500))  # django-csp leaves Django's debug pages be
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _OWN_POLICY)
            or any(
                (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
                for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
            )
        )
        if special:
            return super().process_response(request, response)
        for name, value in _site_policy_headers():
            if name not in response:
                response[name] = value
        # As django-csp: a nonce asked for after the header was written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
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
