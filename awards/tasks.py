"""Celery's autodiscovery imports each app's `tasks`; every task lives beside the service it runs."""

from .services.shortlist import build_shortlist_task

__all__ = ["build_shortlist_task"]
