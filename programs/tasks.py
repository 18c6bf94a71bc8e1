"""Celery entry points: thin, they load by id and call a service. Safe to run twice (see services)."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def propose_interventions_task(evaluation_id: int) -> int:
    """Queued after every successful evaluation: write the ToT and collaboration proposals it calls for."""
    return services.interventions_propose(evaluation_id=evaluation_id)


@shared_task(bind=True, acks_late=True, max_retries=5)
def notification_email_task(self: Any, notification_id: int) -> bool:
    """One notification's e-mail. A mail server that is down is tried again later, with growing pauses."""
    try:
        return services.notification_email(notification_id=notification_id)
    except OSError as exc:  # smtplib's errors are OSErrors too
        if self.request.is_eager:
            # In-process (no broker): the change is committed and the bell shows it; a mail server
            # that is down must not turn the request that made the change into an error page.
            logger.warning("E-mail of notification %s not sent: %s", notification_id, exc)
            return False
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
