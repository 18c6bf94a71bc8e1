"""A task send that the broker has not taken yet.

The row is written in the transaction of the change that calls for the job, so the job exists exactly
when the change does; it is deleted once the broker accepted the message. Whatever stays here (the broker
was unreachable, or the process died between its commit and the send) is sent again later."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingTask(models.Model):
    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(_("failed sends"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pending job")
        verbose_name_plural = _("pending jobs")

    def __str__(self) -> str:
        return f"{self.name}{tuple(self.args)}"
