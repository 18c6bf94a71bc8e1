"""One record per sent page: the key's rules, and the daily clean-up that keeps the table small."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from kpmi_si.idempotency import services
from kpmi_si.idempotency.models import IdempotencyKey
from members.models import Kpmi
from tests import factories

pytestmark = pytest.mark.django_db

SCOPE = "members.kpmi"


class Counter:
    """A create service that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> Kpmi:
        self.calls += 1
        return factories.KpmiFactory()


def test_the_same_key_creates_once_and_answers_with_the_first_record(manager_a):
    key, create = uuid.uuid4(), Counter()
    first = services.idempotent_create(user=manager_a, key=key, scope=SCOPE, create=create)
    again = services.idempotent_create(user=manager_a, key=key, scope=SCOPE, create=create)
    assert (first.created, again.created) == (True, False)
    assert again.record == first.record and create.calls == 1
    assert IdempotencyKey.objects.get().target == first.record


def test_without_a_key_every_call_creates(manager_a):
    create = Counter()
    for _ in range(2):
        assert services.idempotent_create(user=manager_a, key=None, scope=SCOPE, create=create).created
    assert create.calls == 2 and not IdempotencyKey.objects.exists()


def test_another_users_key_is_refused_and_nothing_is_created(manager_a, manager_b):
    key, create = uuid.uuid4(), Counter()
    services.idempotent_create(user=manager_a, key=key, scope=SCOPE, create=create)
    with pytest.raises(ValidationError):
        services.idempotent_create(user=manager_b, key=key, scope=SCOPE, create=create)
    assert create.calls == 1 and IdempotencyKey.objects.get().user == manager_a


def test_a_key_is_good_for_one_kind_of_form(manager_a):
    key, create = uuid.uuid4(), Counter()
    services.idempotent_create(user=manager_a, key=key, scope=SCOPE, create=create)
    with pytest.raises(ValidationError):
        services.idempotent_create(user=manager_a, key=key, scope="members.member", create=create)
    assert create.calls == 1


def test_a_refused_create_leaves_the_key_unused(manager_a):
    key = uuid.uuid4()

    def refused() -> Kpmi:
        raise ValidationError({"name": "Nama sudah dipakai."})

    with pytest.raises(ValidationError):
        services.idempotent_create(user=manager_a, key=key, scope=SCOPE, create=refused)
    assert not IdempotencyKey.objects.exists()
    assert services.idempotent_create(user=manager_a, key=key, scope=SCOPE, create=Counter()).created


def test_when_the_first_record_was_deleted_the_page_says_so(manager_a):
    key = uuid.uuid4()
    outcome = services.idempotent_create(user=manager_a, key=key, scope=SCOPE, create=Counter())
    outcome.record.delete()
    with pytest.raises(ValidationError, match="deleted|dihapus"):
        services.idempotent_create(user=manager_a, key=key, scope=SCOPE, create=Counter())


def _key_sent(user, days_ago: float) -> IdempotencyKey:
    row = IdempotencyKey.objects.create(key=uuid.uuid4(), user=user, scope=SCOPE)
    IdempotencyKey.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return row


def test_the_clean_up_deletes_keys_past_30_days_and_is_safe_to_run_twice(manager_a):
    old, recent = _key_sent(manager_a, 31), _key_sent(manager_a, 29)
    assert services.idempotency_keys_prune() == 1
    assert list(IdempotencyKey.objects.all()) == [recent]
    assert services.idempotency_keys_prune() == 0
    assert list(IdempotencyKey.objects.all()) == [recent]
    assert not IdempotencyKey.objects.filter(pk=old.pk).exists()


def test_the_clean_up_runs_daily_from_the_beat_schedule(manager_a):
    _key_sent(manager_a, 45)
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "idempotency" in e["task"]]
    assert entry["task"] == services.prune_idempotency_keys.name
    assert services.prune_idempotency_keys.delay().get() == 1  # tests run tasks in-process
    assert not IdempotencyKey.objects.exists()
