"""Counting requests per client: who the client is, and a fixed-window counter in the cache."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as the web server saw it. gunicorn sits behind the TLS proxy, which is
    the one place that could say who the client is; until it is configured to, this is the proxy's
    address and the login lock falls back to the username alone (see README)."""
    return request.META.get("REMOTE_ADDR") or None
