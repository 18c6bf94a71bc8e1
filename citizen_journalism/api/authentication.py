"""`Authorization: Token <key>` for a buyer. The key is hashed and looked up by its hash, then the
hashes are compared in constant time; a revoked or unknown token, or a buyer made inactive, is 401."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from ..models import Buyer, BuyerToken, token_hash

KEYWORD = "Token"
# last_used_at is a hint for the officer ("is this token still used?"), not a log: written at most
# once a minute per token, so a busy buyer does not cost a write per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class BuyerPrincipal:
    """request.user of the API: the buyer behind a token (throttling counts per token)."""

    token: BuyerToken

    is_authenticated = True
    is_anonymous = False

    @property
    def pk(self) -> int:
        return self.token.pk

    @property
    def buyer(self) -> Buyer:
        return self.token.buyer


class BuyerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[BuyerPrincipal, BuyerToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give one key after “Token”."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        digest = token_hash(key)
        token = BuyerToken.objects.select_related("buyer").filter(key_hash=digest).first()
        if token is None or not hmac.compare_digest(token.key_hash, digest) or token.is_revoked:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.buyer.active:
            raise exceptions.AuthenticationFailed(_("This buyer's access is suspended."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            BuyerToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return BuyerPrincipal(token), token

    def authenticate_header(self, request: Request) -> str:
        # Makes a missing or bad token a 401 (with WWW-Authenticate) rather than a 403.
        return KEYWORD


class BuyerTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes this authentication (drf-spectacular finds extensions by subclass)."""

    target_class = "citizen_journalism.api.authentication.BuyerTokenAuthentication"
    name = "buyerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: the key the Entrepreneurs association issued to the buyer.",
        }
