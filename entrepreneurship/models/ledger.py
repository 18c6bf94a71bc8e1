"""The KPMI ledger: every money movement of a group, immutable.

A posting is never edited or deleted — not by the application (save/delete refuse) and not by SQL
(a PostgreSQL trigger refuses UPDATE and DELETE). A mistake is corrected by a reversing posting:
same category, opposite amount, pointing at the posting it reverses (once). Amounts are signed:
money in is positive, money out negative, so a balance is a plain SUM and a category's total is net
of its reversals.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kpmi_si.money import RupiahField
from members.models import Kpmi

from .businesses import BusinessSettlement
from .orders import Order


class Category(models.TextChoices):
    # Income (positive amounts).
    SERVICE_INCOME = "service_income", _("Service income")
    BUSINESS_CONTRIBUTION = "business_contribution", _("Business contribution")
    DONATION = "donation", _("Donation or grant")
    # The KPMI's share of its members' articles sold (Garut Citizen Journalism, #13).
    CONTENT_SALES = "content_sales", _("Content sales")
    # Operating costs (negative amounts).
    RENT = "rent", _("Rent")
    INTERNET = "internet", _("Internet")
    ELECTRICITY = "electricity", _("Electricity")
    EQUIPMENT = "equipment", _("Equipment")
    TRANSPORT = "transport", _("Transport")
    OTHER_COST = "other_cost", _("Other operating cost")


INCOME_CATEGORIES = frozenset(
    {Category.SERVICE_INCOME, Category.BUSINESS_CONTRIBUTION, Category.DONATION, Category.CONTENT_SALES}
)
# What the group earns by its own work: the numerator of the operations coverage (donations are not).
EARNED_CATEGORIES = frozenset({Category.SERVICE_INCOME, Category.BUSINESS_CONTRIBUTION, Category.CONTENT_SALES})
OPERATING_CATEGORIES = frozenset(
    {
        Category.RENT,
        Category.INTERNET,
        Category.ELECTRICITY,
        Category.EQUIPMENT,
        Category.TRANSPORT,
        Category.OTHER_COST,
    }
)
# Postings a person records by hand; service income and contributions come from orders and settlements.
MANUAL_CATEGORIES = frozenset({Category.DONATION, *OPERATING_CATEGORIES})


class ImmutablePostingError(Exception):
    pass


class Posting(models.Model):
    kpmi = models.ForeignKey(
        Kpmi, verbose_name=_("KPMI"), on_delete=models.PROTECT, related_name="postings", db_index=False
    )
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=24, choices=Category)
    amount = RupiahField(_("amount"))
    description = models.CharField(_("description"), max_length=200)
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, null=True, blank=True, related_name="postings"
    )
    settlement = models.ForeignKey(
        BusinessSettlement,
        verbose_name=_("business month"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    # The KPMI's share of a sold article (citizen_journalism); referenced by name: that app builds on
    # this one, not the other way round.
    sale = models.ForeignKey(
        "citizen_journalism.Sale",
        verbose_name=_("article sale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger posting")
        verbose_name_plural = _("ledger postings")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["kpmi", "date"], name="posting_kpmi_date")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="posting_amount_not_zero"),
            # The sign follows the category; a reversal has the opposite sign of what it reverses.
            models.CheckConstraint(
                condition=Q(reverses__isnull=False)
                | Q(category__in=sorted(INCOME_CATEGORIES), amount__gt=0)
                | Q(category__in=sorted(OPERATING_CATEGORIES), amount__lt=0),
                name="posting_sign_follows_category",
            ),
            # An order is paid into the ledger once; a month of a business is contributed once.
            models.UniqueConstraint(
                fields=["order"], condition=Q(reverses__isnull=True, order__isnull=False), name="posting_order_once"
            ),
            models.UniqueConstraint(
                fields=["settlement"],
                condition=Q(reverses__isnull=True, settlement__isnull=False),
                name="posting_settlement_once",
            ),
            models.UniqueConstraint(
                fields=["sale"], condition=Q(reverses__isnull=True, sale__isnull=False), name="posting_sale_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_category_display()} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ImmutablePostingError("a ledger posting is never changed; record a reversing posting")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutablePostingError("a ledger posting is never deleted; record a reversing posting")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None
