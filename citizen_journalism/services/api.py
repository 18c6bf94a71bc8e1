"""Writes of the buyers' API: issuing and revoking a buyer's token. Each is one transaction with its
audit row; the audit row names the token by its prefix, never the key."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log

from ..models import TOKEN_PREFIX_LENGTH, Buyer, BuyerToken, token_hash
from .sales import _require_manager


@transaction.atomic
def buyer_token_issue(*, actor: Any, buyer: Buyer) -> tuple[BuyerToken, str]:
    """A new token for `buyer`: returns the row and the key, which exists only in this return value
    (the caller shows it once; the database keeps its hash)."""
    _require_manager(actor)
    buyer = Buyer.objects.select_for_update().get(pk=buyer.pk)
    if not buyer.active:
        raise ValidationError(_("This buyer is inactive: activate it before issuing a token."))
    key = secrets.token_urlsafe(32)
    token = BuyerToken(buyer=buyer, key_hash=token_hash(key), prefix=key[:TOKEN_PREFIX_LENGTH], created_by=actor)
    token.full_clean()
    token.save()
    audit_log(actor=actor, action="buyer_token.issue", target=buyer, changes={"token": [None, token.prefix]})
    return token, key


@transaction.atomic
def buyer_token_revoke(*, actor: Any, token: BuyerToken) -> BuyerToken:
    _require_manager(actor)
    stored = BuyerToken.objects.select_for_update().get(pk=token.pk)
    if stored.is_revoked:
        # Revoking twice (a double click) changes nothing and writes no second audit row.
        return stored
    stored.revoked_at = timezone.now()
    stored.revoked_by = actor
    stored.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(
        actor=actor,
        action="buyer_token.revoke",
        target=stored.buyer,
        changes={"token": [stored.prefix, None]},
    )
    return stored
