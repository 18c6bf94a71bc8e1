from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from . import permissions


class Roles:
    """The user's roles as the navigation reads them (`roles.is_admin`, `roles["managed_kpmi"]`), each
    asked of the database only when a page first reads it: an officer's menu never needs the groups
    the user keeps, and anonymous visitors pay no queries."""

    def __init__(self, user: Any) -> None:
        self._user = user
        self._known: dict[str, Any] = {}

    def _member(self) -> Any:
        # Read with the officer code in one query (permissions.officer_association_code).
        permissions.officer_association_code(self._user)
        return getattr(self._user, "member", None) if self._user.is_authenticated else None

    def _managed(self) -> list[Any]:
        from .selectors import kpmi_for_user

        if not self._user.is_authenticated or getattr(self._user, "_keeps_kpmi", None) is False:
            # Known to keep none: read with the session's user (permissions.user_with_roles).
            return []
        return list(kpmi_for_user(user=self._user))

    def _readers(self) -> dict[str, Callable[[], Any]]:
        return {
            "is_admin": lambda: permissions.is_komtik_admin(self._user),
            "officer_association": lambda: permissions.officer_association_code(self._user),
            "managed_kpmi": self._managed,
            # Whether there is any, without reading the groups (members.permissions.keeps_any_kpmi).
            "keeps_kpmi": lambda: (
                bool(self._known["managed_kpmi"])
                if "managed_kpmi" in self._known
                else permissions.keeps_any_kpmi(self._user)
            ),
            "member": self._member,
        }

    def __getitem__(self, key: str) -> Any:
        if key not in self._known:
            self._known[key] = self._readers()[key]()  # KeyError for an unknown role, as a dict
        return self._known[key]

    def __contains__(self, key: object) -> bool:
        return key in self._readers()


def roles(request: HttpRequest) -> dict[str, Any]:
    """The navigation needs the user's roles; each is read lazily (Roles), so pages that don't show
    them (and anonymous visitors) pay no queries."""
    return {"roles": Roles(request.user)}
