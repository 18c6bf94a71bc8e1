"""Telling users things: the bell in the app and, where the user has an address, an e-mail copy sent by
a background job once the change it reports is committed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kpmi_si.outbox.services import task_enqueue

from .models import Notification

logger = logging.getLogger(__name__)


def notification_send(*, recipient: Any, message: Callable[[], str], link: str = "", subject: str = "") -> None:
    """Tell a user something, in the app and by e-mail, in the user's own language.

    `message` is a callable so that it is rendered under the recipient's language, not the actor's.
    The e-mail is handed to a background job once the change it reports is committed, so that an
    officer sending fifty invitations does not wait for fifty SMTP conversations."""
    if recipient is None or not recipient.is_active:
        return
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        text = str(message())
        title = (str(subject) or _("SI KPMI notification")) if recipient.email else ""
    notification = Notification.objects.create(recipient=recipient, message=text[:500], link=link, email_subject=title)
    if title:
        task_enqueue(notification_email_task, notification.pk)


def notification_email(*, notification_id: int) -> bool:
    """Send one notification's e-mail copy, unless it went already (a redelivered task). Returns
    whether a mail left. A worker killed between sending and marking sends it once more on the
    rerun: a second copy of a message is better than an invitation nobody hears of."""
    notification = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .exclude(email_subject="")
        .select_related("recipient")
        .first()
    )
    if notification is None or not notification.recipient.email:
        return False
    link = f"{settings.SITE_URL}{notification.link}" if notification.link else ""
    body = f"{notification.message}\n\n{link}" if link else notification.message
    send_mail(notification.email_subject, body, None, [notification.recipient.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


# Defined beside the service it runs, so that sending one needs no import of a tasks module (and no
# import circle). The name is the one it had in programs: messages already queued still find it.
@shared_task(bind=True, acks_late=True, max_retries=5, name="programs.tasks.notification_email_task")
def notification_email_task(self: Any, notification_id: int) -> bool:
    """One notification's e-mail. A mail server that is down is tried again later, with growing pauses."""
    try:
        return notification_email(notification_id=notification_id)
    except OSError as exc:  # smtplib's errors are OSErrors too
        if self.request.is_eager:
            # In-process (no broker): the change is committed and the bell shows it; a mail server
            # that is down must not turn the request that made the change into an error page.
            logger.warning("E-mail of notification %s not sent: %s", notification_id, exc)
            return False
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


def notifications_mark_read(*, user: Any, pk: int | None = None) -> int:
    """Mark one (or every) unread notification of the user as read."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=timezone.now())
