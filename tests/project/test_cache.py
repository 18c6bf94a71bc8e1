"""The cache with Redis unreachable behaves as an empty cache that keeps nothing, never as an error
(kpmi_si/cache.py); tests/outbox/test_broker_down.py shows a page relying on it with Redis stopped."""

from __future__ import annotations

import pytest

from kpmi_si.cache import ResilientRedisCache
from tests.servers import free_port


@pytest.fixture
def cache():
    return ResilientRedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1}})


def test_reads_miss_and_writes_are_dropped(cache, caplog):
    cache.set("a", 1)
    assert cache.get("a", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.has_key("a") is False
    assert cache.delete("a") is False
    assert "Cache unreachable" in caplog.text


def test_a_counter_starts_again_as_for_a_missing_key(cache):
    with pytest.raises(ValueError):
        cache.incr("n")


def test_a_throttle_lets_requests_through_meanwhile(settings):
    from django.core.cache import caches

    from kpmi_si.accounts.throttle import password_reset_allowed

    settings.CACHES = {
        "default": {"BACKEND": "kpmi_si.cache.ResilientRedisCache", "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    }
    assert isinstance(caches["default"], ResilientRedisCache)
    assert all(password_reset_allowed(email="a@example.id", ip_address="10.0.0.1") for _ in range(20))
