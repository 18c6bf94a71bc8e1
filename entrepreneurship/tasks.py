"""Celery's autodiscovery imports each app's `tasks`; every task lives beside the service it runs."""

from .services.businesses import settle_businesses_task

__all__ = ["settle_businesses_task"]
