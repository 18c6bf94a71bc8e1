"""What a KPMI offers the public, and when it is free.

KOMTIK keeps catalogue templates; a KPMI adopts one (or writes its own service) and sets its price.
When a service is free is data: eligibility rules made of building blocks (the client's level on the
ladder, the client's category, the client's kecamatan), every condition of one rule must hold, and a
service is free when any of its rules holds. The source text's two rules are "training is free for
trainer candidates" and "deployment is free for the target community".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kpmi_si.money import RupiahField
from members.models import Kecamatan, Kpmi, Level


class Unit(models.TextChoices):
    SESSION = "session", _("per session")
    PARTICIPANT = "participant", _("per participant")
    SITE = "site", _("per site")
    HOUR = "hour", _("per hour")
    ITEM = "item", _("per item")


class ClientCategory(models.TextChoices):
    TARGET_COMMUNITY = "target_community", _("Target community")
    SCHOOL = "school", _("School")
    BUSINESS = "business", _("Business")
    GOVERNMENT = "government", _("Government")
    OTHER = "other", _("Other")


class WorkKind(models.TextChoices):
    """Which logged work a delivered order becomes (programs.Kind values, named here so that this
    app's models do not depend on the work-logging models)."""

    NONE = "", _("No logged work")
    TRAINING = "training", _("Training")
    EDUCATION = "education", _("ICT education")
    DEPLOYMENT = "deployment", _("ICT deployment")


class ServiceTemplate(models.Model):
    """A service KOMTIK suggests to every KPMI; a KPMI adopts it and prices it itself."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit, default=Unit.SESSION)
    work_kind = models.CharField(_("logged as"), max_length=16, choices=WorkKind, blank=True, default="")
    suggested_price = RupiahField(_("suggested price"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service template")
        verbose_name_plural = _("service templates")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(suggested_price__gte=0), name="template_price_not_negative")]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service one KPMI offers at its own price."""

    kpmi = models.ForeignKey(Kpmi, verbose_name=_("KPMI"), on_delete=models.PROTECT, related_name="services")
    template = models.ForeignKey(
        ServiceTemplate,
        verbose_name=_("adopted from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit, default=Unit.SESSION)
    work_kind = models.CharField(_("logged as"), max_length=16, choices=WorkKind, blank=True, default="")
    price = RupiahField(_("price"))
    is_active = models.BooleanField(_("offered"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["kpmi", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kpmi", "name"], name="service_unique_name_in_kpmi"),
            models.CheckConstraint(condition=Q(price__gte=0), name="service_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class EligibilityRule(models.Model):
    """When a service (or a template) is free. Every condition given must hold; a rule gives at least
    one. A member client has a level and no category; an outside client a category and no level: a
    rule asking for both can never hold and is refused (see `rule_conflicts`)."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, null=True, blank=True, related_name="rules"
    )
    template = models.ForeignKey(
        ServiceTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rules",
    )
    client_level = models.PositiveSmallIntegerField(_("client's level"), choices=Level, null=True, blank=True)
    client_category = models.CharField(
        _("client's category"), max_length=20, choices=ClientCategory, blank=True, default=""
    )
    kecamatan = models.ForeignKey(
        Kecamatan,
        verbose_name=_("client's district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("free-service rule")
        verbose_name_plural = _("free-service rules")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False, template__isnull=True)
                | Q(service__isnull=True, template__isnull=False),
                name="rule_belongs_to_service_or_template",
            ),
            models.CheckConstraint(
                condition=Q(client_level__isnull=False) | ~Q(client_category="") | Q(kecamatan__isnull=False),
                name="rule_has_a_condition",
            ),
            models.CheckConstraint(
                condition=Q(client_level__isnull=True) | Q(client_category=""),
                name="rule_level_or_category_not_both",
            ),
        ]

    def __str__(self) -> str:
        return str(self.describe())

    def describe(self) -> str:
        """`calon pelatih`, `masyarakat sasaran, Kec. Garut Kota`: what the order page says after "Free —"."""
        parts: list[str] = []
        if self.client_level is not None:
            parts.append(str(Level(self.client_level).label).lower())
        if self.client_category:
            parts.append(str(ClientCategory(self.client_category).label).lower())
        if self.kecamatan_id is not None:
            parts.append(str(self.kecamatan))
        return ", ".join(parts)
