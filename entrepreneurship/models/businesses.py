"""Pioneers' ICT businesses, run for their KPMI.

A pioneer (perintis) registers a business and pledges a share of its profit to the KPMI. Income and
costs are recorded as they happen; each month's pledged share of the profit is settled into the KPMI
ledger once (`BusinessSettlement` is unique per business and month, so a settlement run twice, or
killed half-way and run again, posts once).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpmi_si.money import RupiahField
from members.models import Kpmi, Member


class BusinessKind(models.TextChoices):
    REPAIR = "repair", _("Computer and phone repair")
    TRAINING = "training", _("Paid ICT courses")
    WEB = "web", _("Websites and applications")
    CONTENT = "content", _("Content and media production")
    PRINTING = "printing", _("Printing and photocopy")
    INTERNET = "internet", _("Internet access (warnet, hotspot)")
    SHOP = "shop", _("ICT shop")
    OTHER = "other", _("Other")


class Business(models.Model):
    kpmi = models.ForeignKey(Kpmi, verbose_name=_("KPMI"), on_delete=models.PROTECT, related_name="businesses")
    owner = models.ForeignKey(Member, verbose_name=_("pioneer"), on_delete=models.PROTECT, related_name="businesses")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=BusinessKind)
    started_on = models.DateField(_("started on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    pledged_share = models.DecimalField(
        _("share of profit pledged to the KPMI (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kpmi", "name"], name="business_unique_name_in_kpmi"),
            models.CheckConstraint(
                condition=Q(pledged_share__gt=0, pledged_share__lte=100), name="business_share_in_range"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("started_on")),
                name="business_closes_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("entrepreneurship:business_detail", args=[self.kpmi_id, self.pk])

    @property
    def is_active(self) -> bool:
        return self.closed_on is None


class EntryKind(models.TextChoices):
    INCOME = "income", _("Income")
    COST = "cost", _("Cost")


class BusinessEntry(models.Model):
    """Income or a cost of a business, as the pioneer records it. Settled months are closed: an entry
    dated in a settled month is refused (the contribution already posted would no longer match)."""

    business = models.ForeignKey(Business, verbose_name=_("business"), on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind)
    amount = RupiahField(_("amount"))
    description = models.CharField(_("description"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("business income or cost")
        verbose_name_plural = _("business income and costs")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["business", "date"], name="business_entry_date")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="business_entry_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.date})"


class BusinessSettlement(models.Model):
    """A month of a business settled: its profit and the pledged share posted to the KPMI ledger
    (no posting when there was no profit). One per business and month."""

    business = models.ForeignKey(
        Business, verbose_name=_("business"), on_delete=models.PROTECT, related_name="settlements"
    )
    month = models.DateField(_("month"))  # the first day of the month
    income = RupiahField(_("income"))
    costs = RupiahField(_("costs"))
    contribution = RupiahField(_("contribution to the KPMI"))
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("settled by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    settled_at = models.DateTimeField(_("settled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("business month settled")
        verbose_name_plural = _("business months settled")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["business", "month"], name="settlement_once_per_month"),
            models.CheckConstraint(condition=Q(contribution__gte=0), name="settlement_contribution_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.month:%Y-%m}"
