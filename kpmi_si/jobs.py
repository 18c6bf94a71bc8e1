"""What a background job's run records, whatever the job: the target evaluation of a period
(associations.Evaluation) and the shortlist build of an award round (awards.ShortlistBuild).

A run is queued by a request, claimed by a worker, reports its progress in steps (the progress bar
reads it), and ends succeeded or failed with the error. Each concrete run adds the object it works
on and a database rule allowing one active run per object.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# A run still "queued" or "running" after this long lost its worker; a new request may replace it.
STALE_AFTER = dt.timedelta(hours=2)


class JobRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
