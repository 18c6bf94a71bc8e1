"""Volunteer projects (Platform association): ICT deployments offered to volunteers at a site."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Desa, Kecamatan, Kpmi, Member

from .work import Activity, Deployment


class VolunteerProject(models.Model):
    """An ICT deployment offered to volunteers at a site (a school, a village office...). Managers of
    one or several KPMI sign up, the officer confirms the team, and completing the project logs one
    deployment credited to every team member."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for sign-up")
        TEAM_CONFIRMED = "team_confirmed", _("Team confirmed")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    # What the officer fills in when publishing (the form and the service both use this list).
    EDITABLE_FIELDS = (
        "title",
        "deployment_kind",
        "site_type",
        "site_name",
        "kecamatan",
        "desa",
        "needs",
        "start_date",
        "end_date",
        "team_size",
    )
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.OPEN: (Status.TEAM_CONFIRMED, Status.CANCELLED),
        Status.TEAM_CONFIRMED: (Status.COMPLETED, Status.CANCELLED),
        Status.COMPLETED: (),
        Status.CANCELLED: (),
    }

    title = models.CharField(pgettext_lazy("heading", "title"), max_length=200)
    deployment_kind = models.CharField(_("what is deployed"), max_length=16, choices=Deployment.DeploymentKind)
    site_type = models.CharField(_("site"), max_length=16, choices=Deployment.SiteType)
    site_name = models.CharField(_("site name"), max_length=150)
    kecamatan = models.ForeignKey(Kecamatan, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey(
        Desa, verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    needs = models.TextField(_("needs"), max_length=2000)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    team_size = models.PositiveSmallIntegerField(_("managers needed"), validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    activity = models.OneToOneField(
        Activity,
        verbose_name=_("logged deployment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer project")
        verbose_name_plural = _("volunteer projects")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(team_size__gte=1), name="project_team_size_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="project_dates_ordered"),
        ]
        indexes = [models.Index(fields=["status", "kecamatan"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("interventions:project_detail", args=[self.pk])

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())


class ProjectSignup(models.Model):
    """A manager offering to work on a project. One per member and project (a database rule)."""

    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        CONFIRMED = "confirmed", _("In the team")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Withdrawn -> signed up again: the row is kept (one per member and project, a database rule),
    # so a manager who changes their mind back signs up on the same row.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.SIGNED_UP: (Status.CONFIRMED, Status.NOT_SELECTED, Status.WITHDRAWN),
        Status.WITHDRAWN: (Status.SIGNED_UP,),
        Status.CONFIRMED: (),
        Status.NOT_SELECTED: (),
    }
    # The places a sign-up takes in the team.
    TAKES_A_PLACE = (Status.SIGNED_UP, Status.CONFIRMED)

    project = models.ForeignKey(VolunteerProject, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(Member, verbose_name=_("manager"), on_delete=models.CASCADE, related_name="+")
    kpmi = models.ForeignKey(Kpmi, verbose_name=_("KPMI"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.SIGNED_UP)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project sign-up")
        verbose_name_plural = _("project sign-ups")
        ordering = ["project", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "member"], name="signup_one_per_member_and_project")]

    def __str__(self) -> str:
        return f"{self.member} → {self.project}"

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())
