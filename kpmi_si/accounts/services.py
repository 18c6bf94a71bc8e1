"""Writes about login locks: recording one in the audit trail, and lifting one (the admin)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet

from kpmi_si.audit.models import AuditEntry
from kpmi_si.audit.services import audit_log


def _who(attempt: AccessAttempt) -> str:
    # The attempt's own text is only its time; the trail must say whose login from where.
    return f"{attempt.username} @ {attempt.ip_address}"


@transaction.atomic
def login_lock_record(*, username: str | None, ip_address: str | None) -> AuditEntry | None:
    """Audit a lock once. axes signals a lockout on every refused try while the lock lasts, so the
    lock's attempt row is audited only the first time; a lock that expired or was lifted leaves no
    row, and the next lock is a new row with its own entry."""
    attempts = AccessAttempt.objects.select_for_update().filter(username=username, ip_address=ip_address)
    attempt = attempts.order_by("-attempt_time").first()
    if attempt is None:
        return None
    already = AuditEntry.objects.filter(
        action="login.lock",
        target_type=ContentType.objects.get_for_model(AccessAttempt),
        target_id__in=[str(pk) for pk in attempts.values_list("pk", flat=True)],
    )
    if already.exists():
        return None
    return audit_log(
        actor=None,
        action="login.lock",
        target=attempt,
        changes={"failures": [None, attempt.failures_since_start]},
        note=_who(attempt),
    )


@transaction.atomic
def login_lock_lift(*, actor: Any, attempts: QuerySet[AccessAttempt]) -> int:
    """Forget the failed logins (so lift any lock) of the given attempt rows, auditing each."""
    lifted = 0
    for attempt in attempts.select_for_update():
        audit_log(
            actor=actor,
            action="login.unlock",
            target=attempt,
            changes={"failures": [attempt.failures_since_start, 0]},
            note=_who(attempt),
        )
        attempt.delete()
        lifted += 1
    return lifted
