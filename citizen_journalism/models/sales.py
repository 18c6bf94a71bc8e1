"""The content market: buyers, sales of published articles, how a sale's money is split between the
author and the author's KPMI, the author's earnings and their payouts.

Money rules (one place, `split_amount`): the author's share is fee × share, rounded half-up to the
cent; the KPMI's share is the fee minus the author's share. So the two always add up to the fee: the
split never loses or invents a rupiah. A sale keeps the share it used and both amounts, so a later
change of the configured shares does not rewrite history.

An author's earnings are an append-only list of entries (a sale's share +, a cancelled sale −, a
payout −); `AuthorBalance` is the one row per author that payouts lock, so two payouts at once queue
and the second sees what the first took.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpmi_si.money import CENT, RupiahField
from members.models import Kpmi, Member

from .newsroom import Article

HUNDRED = Decimal("100")


def split_amount(fee: Decimal, percent: Decimal) -> tuple[Decimal, Decimal]:
    """(author's share, KPMI's share) of `fee` when the author gets `percent` %.

    The rule: author = fee × percent / 100 rounded half-up to the cent; KPMI = fee − author. Their sum
    is the fee exactly, and each is within half a cent of its exact product."""
    author = (fee * percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    return author, fee - author


class Buyer(models.Model):
    class Kind(models.TextChoices):
        MEDIA = "media", _("Media outlet")
        ORGANISATION = "organisation", _("Organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.MEDIA)
    contact = models.CharField(_("contact"), max_length=200, blank=True, help_text=_("Person, phone or e-mail."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RevenueShare(models.Model):
    """The author's share of a sale, in percent: one default row, overridden per KPMI and per author
    (per author wins over per KPMI, which wins over the default)."""

    class Scope(models.TextChoices):
        DEFAULT = "default", _("Default")
        KPMI = "kpmi", _("KPMI")
        AUTHOR = "author", _("Author")

    scope = models.CharField(_("applies to"), max_length=8, choices=Scope, default=Scope.DEFAULT)
    kpmi = models.ForeignKey(
        Kpmi, verbose_name=_("KPMI"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        Member, verbose_name=_("author"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author_percent = models.DecimalField(
        _("author's share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(HUNDRED)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("revenue share")
        verbose_name_plural = _("revenue shares")
        constraints = [
            models.CheckConstraint(
                condition=Q(author_percent__gte=0, author_percent__lte=100), name="revenue_share_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(scope="default", kpmi__isnull=True, author__isnull=True)
                | Q(scope="kpmi", kpmi__isnull=False, author__isnull=True)
                | Q(scope="author", kpmi__isnull=True, author__isnull=False),
                name="revenue_share_scope_matches",
            ),
            models.UniqueConstraint(fields=["scope"], condition=Q(scope="default"), name="revenue_share_one_default"),
            models.UniqueConstraint(fields=["kpmi"], condition=Q(kpmi__isnull=False), name="revenue_share_kpmi_once"),
            models.UniqueConstraint(
                fields=["author"], condition=Q(author__isnull=False), name="revenue_share_author_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.author_percent}%"


# Until an officer sets one: half to the author, half to the group.
DEFAULT_AUTHOR_PERCENT = Decimal("50.00")


class Sale(models.Model):
    class Kind(models.TextChoices):
        LICENCE = "licence", _("Licence (non-exclusive)")
        EXCLUSIVE = "exclusive", _("Exclusive purchase")

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="sales")
    buyer = models.ForeignKey(Buyer, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="sales")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.LICENCE)
    date = models.DateField(_("date"))
    amount = RupiahField(_("fee"))
    # The split as it was made: who, which group, which share and where that share came from.
    author = models.ForeignKey(Member, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    kpmi = models.ForeignKey(Kpmi, verbose_name=_("KPMI"), on_delete=models.PROTECT, related_name="+")
    author_percent = models.DecimalField(_("author's share (%)"), max_digits=5, decimal_places=2)
    share_source = models.CharField(_("share from"), max_length=8, choices=RevenueShare.Scope)
    author_amount = RupiahField(_("author's share"))
    kpmi_amount = RupiahField(_("KPMI's share"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="sale_amount_positive"),
            models.CheckConstraint(
                condition=Q(author_amount__gte=0, kpmi_amount__gte=0), name="sale_shares_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount=F("author_amount") + F("kpmi_amount")), name="sale_split_adds_up"
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancel_reason=""), name="sale_cancel_has_reason"
            ),
            # Bought outright once: a second exclusive sale of the same article cannot be stored, even
            # by two officers at the same moment.
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(kind="exclusive", cancelled_at__isnull=True),
                name="sale_exclusive_once",
            ),
        ]
        indexes = [models.Index(fields=["author", "date"], name="sale_author_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.article} → {self.buyer}"

    def get_absolute_url(self) -> str:
        return reverse("citizen_journalism:sale_list") + f"#sale-{self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class PayoutMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    EWALLET = "ewallet", _("E-wallet")


class Payout(models.Model):
    author = models.ForeignKey(Member, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    amount = RupiahField(_("amount"))
    method = models.CharField(_("method"), max_length=16, choices=PayoutMethod)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive")]

    def __str__(self) -> str:
        return f"{self.date} {self.author} {self.amount}"


class EarningKind(models.TextChoices):
    SALE = "sale", _("Sale")
    SALE_CANCELLED = "cancelled", _("Sale cancelled")
    PAYOUT = "payout", _("Payout")


class Earning(models.Model):
    """One movement of an author's earnings, never changed: + a sale's share, − a cancelled sale's
    share, − a payout. The statement is the sum of these per month."""

    author = models.ForeignKey(Member, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=EarningKind)
    amount = RupiahField(_("amount"))
    sale = models.ForeignKey(
        Sale, verbose_name=_("sale"), on_delete=models.PROTECT, null=True, blank=True, related_name="earnings"
    )
    payout = models.OneToOneField(
        Payout, verbose_name=_("payout"), on_delete=models.PROTECT, null=True, blank=True, related_name="earning"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("earning")
        verbose_name_plural = _("earnings")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["author", "date"], name="earning_author_date")]
        constraints = [
            models.UniqueConstraint(fields=["sale", "kind"], condition=Q(sale__isnull=False), name="earning_sale_once"),
            models.CheckConstraint(
                condition=Q(kind="sale", amount__gte=0, sale__isnull=False)
                | Q(kind="cancelled", amount__lte=0, sale__isnull=False)
                | Q(kind="payout", amount__lt=0, payout__isnull=False),
                name="earning_sign_follows_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("An earning is never changed; record a new one.")
        super().save(*args, **kwargs)


class AuthorBalance(models.Model):
    """What the KPMI owes an author: the sum of their earnings, kept in one row that every write of
    their earnings locks first (select_for_update), so two payouts cannot both spend the same money."""

    author = models.OneToOneField(
        Member, verbose_name=_("author"), on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    balance = RupiahField(_("balance"), default=Decimal("0.00"))

    # Not constrained to be ≥ 0: cancelling a sale whose share was already paid out leaves the author
    # owing it, and that must show rather than be refused. Payouts never take it below zero.

    class Meta:
        verbose_name = _("author's balance")
        verbose_name_plural = _("authors' balances")

    def __str__(self) -> str:
        return f"{self.author_id}: {self.balance}"
