"""What a process keeps of work that depends only on its key: rendered markup (the template nodes of
kpmi_si.templating, the site header, the dashboard's filter box) and compiled SQL (a dashboard's
statement, the news pages' statements). Never a value read from the database: what is kept is worked
out from its key alone, and whatever the work depends on is in the key — values the request read
itself included (a menu's group names, the dashboard's districts), so a change shows at once.

A settings change (tests override LANGUAGE_CODE, ROOT_URLCONF, DATABASES, ...) forgets everything kept:
each Kept compares the generation it filled under with the current one."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.core.signals import setting_changed

V = TypeVar("V")

_generation = 0


def generation() -> int:
    """Bumped by every settings change: what was kept before it is not used after it."""
    return _generation


def _forget(**kwargs: Any) -> None:
    global _generation
    _generation += 1


setting_changed.connect(_forget, dispatch_uid="kpmi_si.kept.forget")


class Kept(Generic[V]):
    """Values kept per key in this process: at most `size` of them, all forgotten at the next settings
    change. When full, later keys are worked out every time, or (`renew_when_full`, for keys that come
    and go, such as a path or a page number) everything kept is forgotten and keeping starts again."""

    def __init__(self, size: int, *, renew_when_full: bool = False) -> None:
        self.size = size
        self.renew_when_full = renew_when_full
        self._generation: int = _generation
        self._outputs: dict[Hashable, V] = {}

    def outputs(self) -> dict[Hashable, V]:
        """The values kept under the current settings."""
        if self._generation != _generation:
            self._generation, self._outputs = _generation, {}
        return self._outputs

    def get(self, key: Hashable, work_out: Callable[[], V]) -> V:
        """The value kept for key, or work_out()'s, kept while there is room. Nothing is kept when
        work_out raises; a None is worked out again at every ask (None marks "not kept")."""
        outputs = self.outputs()
        value = outputs.get(key)
        if value is None:
            value = work_out()
            if len(outputs) >= self.size and self.renew_when_full:
                outputs.clear()
            if len(outputs) < self.size:
                outputs[key] = value
        return value
