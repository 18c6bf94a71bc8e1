"""Collaboration programmes (Users association) and the work logged in them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .work import Activity


class CollaborationProgram(models.Model):
    """A collaboration programme of the Users association: managers whose publication and
    education counts are low are invited to do that work together (date, place, theme). The work
    done there is logged once and credited to every participating manager."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(_("name"), max_length=150)
    theme = models.CharField(_("theme"), max_length=255)
    date = models.DateField(_("date"))
    venue = models.CharField(pgettext_lazy("venue", "place"), max_length=255)
    period = models.ForeignKey(
        "associations.Period",
        verbose_name=_("period evaluated"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Managers are proposed from this period's evaluation."),
    )
    threshold = models.PositiveSmallIntegerField(
        _("threshold"),
        validators=[MinValueValidator(1)],
        help_text=_("Managers whose publications plus education sessions are below this are proposed."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SCHEDULED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collaboration programme")
        verbose_name_plural = _("collaboration programmes")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(threshold__gte=1), name="collaboration_threshold_positive")]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        return reverse("interventions:collaboration_detail", args=[self.pk])

    @property
    def answer_deadline(self) -> dt.date:
        return self.date - dt.timedelta(days=1)


class CollaborationWork(models.Model):
    """A piece of work done in a collaboration programme (a publication, an ICT education session),
    logged once and credited to every participant (see services.collaboration_log_work). A programme
    produces several; each activity belongs to one programme at most."""

    program = models.ForeignKey(
        CollaborationProgram, verbose_name=_("collaboration programme"), on_delete=models.CASCADE, related_name="works"
    )
    # Deleting the logged record (its keepers may) removes it from the programme too.
    activity = models.OneToOneField(
        Activity, verbose_name=_("logged work"), on_delete=models.CASCADE, related_name="collaboration_work"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collaboration programme work")
        verbose_name_plural = _("collaboration programme work")
        ordering = ["program", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.program} — {self.activity}"
