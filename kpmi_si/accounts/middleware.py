"""Django's AuthenticationMiddleware, loading the request's user through Django's own `get_user` (the
session's backend and password hash checked as ever) while the session's store lends the backend the
user it read along with the session (kpmi_si.accounts.sessions): one statement for both."""

from __future__ import annotations

from typing import Any

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .sessions import loading_user_of


def get_user(request: HttpRequest) -> Any:
    # As django.contrib.auth.middleware.get_user, which keeps the user on the request the same way.
    if not hasattr(request, "_cached_user"):
        with loading_user_of(request.session):
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
