"""Create forms that are sent twice create once.

A create form's page carries a fresh random key (`forms.IdempotentFormMixin`). The view runs the
create service through `idempotent_create`, which first inserts the key's row, then creates the
record, then notes the record on the row, all in one transaction:

- sent again by the same user (a double tap, a reload, a phone that resends on a bad connection):
  the key's row exists, so the first record is returned and nothing is created;
- sent several times at once: the database's unique index makes every insert but one wait until
  the first transaction ends (PostgreSQL), then fail, and those requests answer as above; if the
  first one failed instead, nothing of it is stored and the next one goes ahead;
- sent by another user (a key copied or forged): refused, and nothing is revealed of the record;
- without a key (a page opened before keys existed): created as before, without the guarantee.

Keys are kept `KEEP_FOR`: a page sent again after that creates anew.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IdempotencyKey

logger = logging.getLogger(__name__)

KEEP_FOR = dt.timedelta(days=30)

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Outcome(Generic[M]):
    record: M
    created: bool  # False: the key was used before and `record` is what it created then


def _refused() -> ValidationError:
    return ValidationError(
        _("This form cannot be sent again. Open it again and fill it in; nothing was saved."), code="idempotency"
    )


def idempotent_replay(*, user: Any, key: uuid.UUID, scope: str) -> models.Model:
    """What the page with `key` created when `user` sent it before; refused for anyone else, for
    another kind of form, or when the key is unknown (never used, or pruned)."""
    claim = IdempotencyKey.objects.filter(key=key).select_related("target_type").first()
    if claim is None:
        raise _refused()
    if claim.user_id != user.pk:
        logger.warning("Idempotency key %s of user %s sent by user %s: refused.", key, claim.user_id, user.pk)
        raise _refused()
    if claim.scope != scope:
        raise _refused()
    record = claim.target
    if record is None:
        raise ValidationError(
            _(
                "This form was sent before and what it saved has since been deleted. "
                "Open the form again to add it anew."
            ),
            code="idempotency",
        )
    return record


@transaction.atomic
def idempotent_create(*, user: Any, key: uuid.UUID | None, scope: str, create: Callable[[], M]) -> Outcome[M]:
    """Run `create` (a create service) once per `key`: see the module's docstring.

    Any error `create` raises rolls the key's row back with everything else, so the same page,
    corrected, can be sent again with the same key."""
    if key is None:
        return Outcome(create(), True)
    try:
        with transaction.atomic():
            claim = IdempotencyKey.objects.create(key=key, user=user, scope=scope)
    except IntegrityError:
        return Outcome(idempotent_replay(user=user, key=key, scope=scope), False)
    record = create()
    claim.target_type = ContentType.objects.get_for_model(record)
    claim.target_id = record.pk
    claim.save(update_fields=["target_type", "target_id"])
    return Outcome(record, True)


def idempotency_keys_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the keys older than KEEP_FOR; returns how many. Safe to run twice or at once in two
    workers: the second deletes what is left, which is nothing."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        logger.info("Deleted %s idempotency keys older than %s.", deleted, cutoff.isoformat())
    return deleted


# Defined beside the service it runs (see README); kpmi_si.idempotency.tasks re-exports it for Celery.
@shared_task(name="kpmi_si.idempotency.tasks.prune_idempotency_keys")
def prune_idempotency_keys() -> int:
    """The daily clean-up (CELERY_BEAT_SCHEDULE)."""
    return idempotency_keys_prune()
