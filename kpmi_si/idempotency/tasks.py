"""Celery's autodiscovery imports each app's `tasks`; the task itself lives beside its service."""

from .services import prune_idempotency_keys

__all__ = ["prune_idempotency_keys"]
