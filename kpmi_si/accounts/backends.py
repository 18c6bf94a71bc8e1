"""The password backend of the site: Django's ModelBackend, loading a session's user in the statement
that also reads its roles (members.permissions.user_with_roles). Every logged-in page asks for the
user, then for its officer record, member record and kept groups (menu, role checks, offline outbox):
one round trip instead of two (README, Benchmark, issue #16). On PostgreSQL that statement is part of the
session's own read (kpmi_si.accounts.sessions), and the user comes from there."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from members.permissions import user_with_roles

from .sessions import NOT_READ, user_read_along

# Sessions remember the path of the backend that logged them in; those made before this backend
# name Django's ModelBackend, which settings keeps listed after this one until they have expired
# (SESSION_COOKIE_AGE), so that nobody is logged out by the change.
LEGACY_BACKEND = "django.contrib.auth.backends.ModelBackend"


class UserBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username is not None and password is not None:
            # The legacy ModelBackend listed next would check the same password again: one hash per
            # wrong password, not two. Django then sends user_login_failed as for any refusal (axes).
            raise PermissionDenied
        return user

    def get_user(self, user_id: Any) -> Any:
        # Read with the session itself when Django's get_user loads a session's user (sessions.py).
        user = user_read_along(user_id)
        if user is NOT_READ:
            user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
