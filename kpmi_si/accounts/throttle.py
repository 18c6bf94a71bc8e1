"""Counting requests per client: who the client is, and a fixed-window counter in the cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as the web server saw it. gunicorn sits behind the TLS proxy, which is
    the one place that could say who the client is; until it is configured to, this is the proxy's
    address and the login lock falls back to the username alone (see README)."""
    return request.META.get("REMOTE_ADDR") or None


def _count(scope: str, value: str, *, window: int) -> int:
    """Requests seen for this value in the current window, this one included. The key holds a hash:
    e-mail addresses are personal data and do not belong in cache keys or Redis dumps."""
    key = f"throttle:{scope}:{hashlib.sha256(value.encode()).hexdigest()}"
    # add() starts the window only if none is running; incr() is atomic in Redis and LocMemCache.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, timeout=window)
        return 1


def password_reset_allowed(*, email: str, ip_address: str | None) -> bool:
    """May a reset mail go to this address for this client now? Both are counted on every request,
    whether the address has an account or not, so that the answer tells nothing about accounts."""
    window = settings.PASSWORD_RESET_LIMIT_WINDOW
    per_email = _count("password-reset-email", email.strip().lower(), window=window)
    per_ip = _count("password-reset-ip", ip_address or "unknown", window=window)
    return per_email <= settings.PASSWORD_RESET_LIMIT_PER_EMAIL and per_ip <= settings.PASSWORD_RESET_LIMIT_PER_IP
