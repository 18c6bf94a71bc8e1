from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import permissions


def _roles(user: Any) -> dict[str, Any]:
    from .selectors import kpmi_for_user

    member = getattr(user, "member", None) if user.is_authenticated else None
    return {
        "is_admin": permissions.is_komtik_admin(user),
        "officer_association": permissions.officer_association_code(user),
        "managed_kpmi": list(kpmi_for_user(user=user)) if user.is_authenticated else [],
        "member": member,
    }


def roles(request: HttpRequest) -> dict[str, Any]:
    """The navigation needs the user's roles; computed lazily so pages that don't show them
    (and anonymous visitors) pay no queries."""
    user = request.user
    return {"roles": SimpleLazyObject(lambda: _roles(user))}
