"""Orders for a KPMI's services, their clients, and receipt numbers.

A client is a member of any KPMI (the ladder decides free training) or an outside client with a
category (the target community gets free deployment). The price is computed by
`services.pricing.price_compute` and stored with the reason it gives, so the order keeps saying why
it cost what it cost after the catalogue changes. Orders are never deleted: a receipt number once
given stays with its order, and cancelling keeps the row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpmi_si.money import RupiahField
from members.models import Desa, Kecamatan, Kpmi, Member

from .catalogue import ClientCategory, EligibilityRule, Service

MAX_QUANTITY = 10_000


class Client(models.Model):
    """Someone outside the KPMI ladder who orders a service: a school, a village office, a shop, a
    household of the target community. Kept by the KPMI that served them."""

    kpmi = models.ForeignKey(Kpmi, verbose_name=_("KPMI"), on_delete=models.PROTECT, related_name="clients")
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=20, choices=ClientCategory)
    kecamatan = models.ForeignKey(Kecamatan, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey(
        Desa, verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.CharField(_("contact (phone or e-mail)"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kpmi", "name", "kecamatan"], name="client_unique_in_kpmi")]

    def __str__(self) -> str:
        return self.name


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Free")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    NONE = "", _("—")
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    EWALLET = "ewallet", _("E-wallet")


class Order(models.Model):
    kpmi = models.ForeignKey(
        Kpmi, verbose_name=_("KPMI"), on_delete=models.PROTECT, related_name="service_orders", db_index=False
    )
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="orders")
    member = models.ForeignKey(
        Member,
        verbose_name=_("client (member)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_orders",
    )
    client = models.ForeignKey(
        Client,
        verbose_name=_("client (outside)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    date = models.DateField(_("date"))
    unit_price = RupiahField(_("unit price"))
    total = RupiahField(_("total"))
    is_free = models.BooleanField(_("free"), default=False)
    free_rule = models.ForeignKey(
        EligibilityRule,
        verbose_name=_("free by rule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    price_reason = models.CharField(_("why this price"), max_length=200)
    override_reason = models.TextField(_("reason for changing the price"), max_length=1000, blank=True)
    payment_status = models.CharField(_("payment"), max_length=10, choices=PaymentStatus, default=PaymentStatus.UNPAID)
    payment_method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod, blank=True, default="")
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    receipt_number = models.PositiveIntegerField(_("receipt number"))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    # The logged work this order became (programs.Activity), so that it is never logged twice.
    activity = models.OneToOneField(
        "programs.Activity",
        verbose_name=_("logged work"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_order",
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["kpmi", "date"], name="order_kpmi_date")]
        constraints = [
            models.UniqueConstraint(fields=["kpmi", "receipt_number"], name="order_unique_receipt_number"),
            models.CheckConstraint(
                condition=Q(member__isnull=False, client__isnull=True) | Q(member__isnull=True, client__isnull=False),
                name="order_one_client",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY), name="order_quantity_in_range"
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0, total__gte=0), name="order_amounts_not_negative"),
            models.CheckConstraint(condition=Q(is_free=False) | Q(total=0), name="order_free_costs_nothing"),
            models.CheckConstraint(
                condition=~Q(payment_status=PaymentStatus.PAID) | Q(paid_on__isnull=False),
                name="order_paid_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_label} · {self.service}"

    def get_absolute_url(self) -> str:
        return reverse("entrepreneurship:order_detail", args=[self.kpmi_id, self.pk])

    @property
    def receipt_label(self) -> str:
        """`KPMI-12/000045`: the KPMI in the number, so receipts of two groups never look alike."""
        return f"KPMI-{self.kpmi_id}/{self.receipt_number:06d}"

    @property
    def client_name(self) -> str:
        return str(self.member.full_name if self.member_id else self.client)

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_reason)


class ReceiptSequence(models.Model):
    """The last receipt number a KPMI gave. `order_create` locks this row (SELECT ... FOR UPDATE), so
    concurrent orders queue for the next number: no two get the same and none is skipped."""

    kpmi = models.OneToOneField(Kpmi, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("receipt sequence")
        verbose_name_plural = _("receipt sequences")

    def __str__(self) -> str:
        return f"{self.kpmi_id}: {self.last}"
