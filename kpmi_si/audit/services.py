"""Writing the audit trail. Services call `audit_log` inside their own transaction, so a change and
its audit row are saved together or not at all."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value: model instances become their primary key and text."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "text": str(value)}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [old, new]}."""
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in after
        if before.get(name) != after.get(name)
    }


def audit_log(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        changes=changes or {},
        note=note,
    )
