"""Competitions (lomba) of the Users association and their frozen leaderboards."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Kpmi, Member

from .work import Kind

PARTICIPANTS_NEED_EDUCATION = _("Only ICT education records participants: choose ICT education as the counted work.")


class Competition(models.Model):
    """A contest that stimulates managers (Users association): who did the most work of one kind in
    a period. Its leaderboard is computed from the logged work while it runs and frozen at closing."""

    class Entrants(models.TextChoices):
        MANAGERS = "managers", _("Managers")
        KPMI = "kpmi", _("KPMI groups")

    class Status(models.TextChoices):
        OPEN = "open", _("Running")
        CLOSED = "closed", _("Closed")

    class Measure(models.TextChoices):
        RECORDS = "records", _("Number of records")
        PARTICIPANTS = "participants", _("Number of education participants")

    TRANSITIONS: dict[str, tuple[str, ...]] = {Status.OPEN: (Status.CLOSED,), Status.CLOSED: ()}
    # Training counts trainees, not a competition of its own (issue: publications, education, deployments).
    KINDS = (Kind.PUBLICATION, Kind.EDUCATION, Kind.DEPLOYMENT)

    title = models.CharField(pgettext_lazy("heading", "title"), max_length=150)
    period = models.ForeignKey(
        "associations.Period", verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("counted work"), max_length=16, choices=[(k.value, k.label) for k in KINDS])
    # What the leaderboard adds up over the counted work (programs.metrics.work_scores).
    measure = models.CharField(_("ranked by"), max_length=16, choices=Measure, default=Measure.RECORDS)
    entrants = models.CharField(_("who may enter"), max_length=10, choices=Entrants, default=Entrants.MANAGERS)
    winners = models.PositiveSmallIntegerField(_("number of winners"), default=3, validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(winners__gte=1), name="competition_has_winners"),
            # Only education sessions record how many people took part.
            models.CheckConstraint(
                condition=Q(measure="records") | Q(measure="participants", kind=Kind.EDUCATION),
                name="competition_participants_of_education",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("interventions:competition_detail", args=[self.pk])


class CompetitionStanding(models.Model):
    """One line of a closed competition's frozen leaderboard; the top lines are its winners."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="standings")
    rank = models.PositiveIntegerField(_("rank"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kpmi = models.ForeignKey(Kpmi, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveIntegerField(_("score"))
    is_winner = models.BooleanField(_("winner"), default=False)

    class Meta:
        verbose_name = _("competition standing")
        verbose_name_plural = _("competition standings")
        ordering = ["competition", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "member"], condition=Q(member__isnull=False), name="standing_one_per_member"
            ),
            models.UniqueConstraint(
                fields=["competition", "kpmi"], condition=Q(member__isnull=True), name="standing_one_per_kpmi"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competition} #{self.rank}: {self.member or self.kpmi} ({self.score})"
