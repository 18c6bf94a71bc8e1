"""Per-token throttling of the buyers' API (scope "buyers_api", rate in settings.REST_FRAMEWORK)."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle


class BuyerTokenThrottle(ScopedRateThrottle):
    """ScopedRateThrottle keyed on the token's hash rather than on a row id: the counter lives in the
    shared cache (Redis), where a row id reused by another database (a test run, a restore) would
    inherit someone else's count."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = getattr(request.user, "token", None)
        if token is None:
            return super().get_cache_key(request, view)
        return self.cache_format % {"scope": self.scope, "ident": token.key_hash[:32]}
