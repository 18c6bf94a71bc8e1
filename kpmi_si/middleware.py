"""A database too busy to answer is a "try again in a moment" page (HTTP 503), not a server error.

Each process keeps a pool of at most DB_POOL_MAX_SIZE connections (see kpmi_si/env.py). Under a
burst, a request waits up to DB_POOL_TIMEOUT seconds for one; past that, or when PostgreSQL itself
has no connection left, the visitor is told the site is busy and to retry, and a load balancer or
monitor sees a 503 with Retry-After rather than an error to page someone about.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from psycopg_pool import PoolTimeout

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# PostgreSQL's "sorry, too many clients already" (too_many_connections).
_TOO_MANY_CONNECTIONS = "53300"


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
        response["Cache-Control"] = "no-store"
        return response
