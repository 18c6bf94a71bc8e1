"""Celery's autodiscovery imports each app's `tasks`; every task lives beside the service it runs."""

from .services.proposals import propose_interventions_task

__all__ = ["propose_interventions_task"]
