"""The bell: in-app messages to one user, with an optional e-mail copy. Every app notifies (members,
associations, programs, awards, the coming ones), so this lives beside the audit trail, not in a
feature app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message to one user (the bell); written in the recipient's language when sent."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The e-mail copy, written in the recipient's language with the message and sent by a background
    # job (services.notification_email): empty subject = no e-mail; emailed_at = sent.
    email_subject = models.CharField(_("e-mail subject"), max_length=200, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        # The table was made when notifications lived in programs; it keeps its name and rows.
        db_table = "programs_notification"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="programs_no_recipie_83f1a8_idx")]

    def __str__(self) -> str:
        return self.message
