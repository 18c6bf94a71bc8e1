"""axes tells of a lockout by a signal; the audit trail hears it here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import services


def audit_lockout(
    sender: Any, *, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    services.login_lock_record(username=username, ip_address=ip_address)
