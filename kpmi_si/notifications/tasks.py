"""Celery's autodiscovery imports each app's `tasks`; the task itself lives beside its service."""

from .services import notification_email_task

__all__ = ["notification_email_task"]
