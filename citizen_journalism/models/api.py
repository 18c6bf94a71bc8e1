"""The buyers' API: a buyer's access tokens. Only a hash of a token is stored (SHA-256 of a 256-bit
random key: a fast hash is enough for a random key nobody can guess, unlike a password), so a copy
of the database does not give anyone access; the first characters are kept to tell tokens apart."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sales import Buyer

TOKEN_PREFIX_LENGTH = 8


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class BuyerToken(models.Model):
    buyer = models.ForeignKey(Buyer, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("token starts with"), max_length=TOKEN_PREFIX_LENGTH, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.buyer_id})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
