"""The cache (Redis in production) as something a Redis outage cannot turn into an error page.

What the app keeps in the cache can be lost: the password-reset limits count in it
(kpmi_si/accounts/throttle.py). While Redis cannot be reached each operation behaves as on an empty
cache that keeps nothing (a read misses, a write is dropped, a counter starts again), a warning is
logged, and the page answers; the limits therefore let requests through until Redis is back, which is
better than refusing every password reset of every user meanwhile."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _warn(operation: str, exc: Exception) -> None:
    logger.warning("Cache unreachable (%s): %s; going on without it", operation, exc)


class ResilientRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNREACHABLE as exc:
            _warn("get", exc)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as exc:
            _warn("get_many", exc)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except UNREACHABLE as exc:
            _warn("has_key", exc)
            return False

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as exc:
            _warn("add", exc)
            return False

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as exc:
            _warn("set", exc)

    def set_many(self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list:
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as exc:
            _warn("set_many", exc)
            return list(data)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as exc:
            _warn("touch", exc)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as exc:
            _warn("incr", exc)
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from exc  # as for a missing key

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except UNREACHABLE as exc:
            _warn("delete", exc)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as exc:
            _warn("delete_many", exc)

    def clear(self) -> None:
        try:
            super().clear()
        except UNREACHABLE as exc:
            _warn("clear", exc)
