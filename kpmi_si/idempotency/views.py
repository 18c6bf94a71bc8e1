"""The view's side of idempotent creation: the same recipe for every create form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .forms import IdempotentFormMixin
from .services import idempotent_create, idempotent_replay

M = TypeVar("M", bound=models.Model)


def create_once(
    request: HttpRequest, form: IdempotentFormMixin, *, scope: str, create: Callable[[], M], quiet: bool = False
) -> tuple[M, bool]:
    """Run the create service once for the page `form` came from: (its record, created now).

    Call it once the form is valid. When the page was sent before, the record is what it created
    then (`create` is not called) and the user is told it is saved already; the view then leaves
    out its own success message (`quiet`: a JSON answer says it itself, so no message is queued for the
    next page). A refusal is a ValidationError, like the services'."""
    if form.sent_before and form.idempotency_key is not None:
        record, created = idempotent_replay(user=request.user, key=form.idempotency_key, scope=scope), False
    else:
        outcome = idempotent_create(user=request.user, key=form.idempotency_key, scope=scope, create=create)
        record, created = outcome.record, outcome.created
    if not created and not quiet:
        messages.info(request, _("This form was sent already and its data is saved; nothing was added twice."))
    return record, created
