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


# The longest username a person can have (the user model's field); axes keeps what was typed in a
# column of 255 characters.
USERNAME_MAX = 150


def login_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The username axes records and locks on: what was typed, without NUL bytes and cut to the longest
    real username. A 100,000-character "username" is a wrong login like any other, not a server error
    (it overflowed axes' column: a 500 the fuzzed login form found)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field) if credentials else request.POST.get(field)
    return str(value or "").replace("\x00", "")[:USERNAME_MAX]


def _peek(scope: str, value: str) -> int:
    return cache.get(f"throttle:{scope}:{hashlib.sha256(value.encode()).hexdigest()}") or 0


def invitation_redeem_blocked(*, ip_address: str | None) -> bool:
    """Too many wrong invitation codes from this address lately? Only wrong codes count, so a school
    whose members share one address can all redeem theirs; guessing a code stays out of reach."""
    return _peek("invitation-redeem-ip", ip_address or "unknown") >= settings.INVITATION_REDEEM_FAILURE_LIMIT


def invitation_redeem_failed(*, ip_address: str | None) -> None:
    _count("invitation-redeem-ip", ip_address or "unknown", window=settings.INVITATION_REDEEM_WINDOW)
