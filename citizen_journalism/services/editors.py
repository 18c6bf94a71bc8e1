"""Granting and removing the editor role (KOMTIK admin, in the Django admin for now), audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kpmi_si.audit.services import audit_log
from members.models import Kecamatan
from members.permissions import is_komtik_admin

from ..models import EditorRole


def _codes(role: EditorRole | None) -> list[str]:
    return sorted(k.code for k in role.kecamatan.all()) if role is not None else []


@transaction.atomic
def editor_role_set(*, actor: Any, user: Any, kecamatan: Iterable[Kecamatan]) -> EditorRole:
    """Make `user` an editor of these districts (none: the whole regency), or change their districts."""
    if not is_komtik_admin(actor):
        raise PermissionDenied
    role = EditorRole.objects.select_for_update().filter(user=user).first()
    before = _codes(role) if role is not None else None
    if role is None:
        role = EditorRole(user=user)
        role.full_clean(exclude=["user"])
        role.save()
    role.kecamatan.set(list(kecamatan))
    after = _codes(role)
    if before != after:
        audit_log(actor=actor, action="editor.set", target=role, changes={"kecamatan": [before, after]})
    return role


@transaction.atomic
def editor_role_remove(*, actor: Any, role: EditorRole) -> None:
    if not is_komtik_admin(actor):
        raise PermissionDenied
    audit_log(actor=actor, action="editor.remove", target=role, changes={"kecamatan": [_codes(role), None]})
    role.delete()
