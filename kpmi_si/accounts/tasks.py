"""Celery's autodiscovery imports each app's `tasks`; the task itself lives beside the session store."""

from .sessions import clear_expired_sessions

__all__ = ["clear_expired_sessions"]
