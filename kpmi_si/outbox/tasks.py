"""Celery's autodiscovery imports each app's `tasks`; the task itself lives beside its service."""

from .services import outbox_flush_task

__all__ = ["outbox_flush_task"]
