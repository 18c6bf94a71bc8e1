"""Pages of the account protection: the lockout page and the rate-limited password reset."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from . import throttle

logger = logging.getLogger(__name__)


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None) -> HttpResponse:
    """What axes answers to a login from a locked username and address: a page of the site, not a
    bare 403 text. 429 (Too Many Requests) is what happened."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with a limit on the mail it sends. Over the limit the answer is the usual
    "check your email" (no mail goes out): a different answer would let anyone probe the limit's
    counters, and through them, which addresses were asked about."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        ip_address = throttle.client_ip(self.request)
        if throttle.password_reset_allowed(email=form.cleaned_data["email"], ip_address=ip_address):
            return super().form_valid(form)
        logger.warning("Password reset over the limit from %s; no mail sent.", ip_address)
        return HttpResponseRedirect(self.get_success_url())
