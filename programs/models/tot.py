"""The central Training of Trainers (Communities association): the events members are invited to."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TotEvent(models.Model):
    """A central Training of Trainers at KOMTIK Garut, run by the Communities association. Passing
    it is how a trainer candidate becomes a trainer."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(_("name"), max_length=150)
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=255, default="KOMTIK Garut")
    capacity = models.PositiveSmallIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    respond_by = models.DateField(
        _("answer by"), null=True, blank=True, help_text=_("Leave empty to accept answers until the day before.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SCHEDULED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Stamped by every save: the version an edit form carries (kpmi_si.concurrency).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ToT event")
        verbose_name_plural = _("ToT events")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="totevent_capacity_positive")]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        return reverse("interventions:tot_detail", args=[self.pk])

    @property
    def answer_deadline(self) -> dt.date:
        return self.respond_by or self.date - dt.timedelta(days=1)
