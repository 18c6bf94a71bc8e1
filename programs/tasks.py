"""Celery entry points: thin, they load by id and call a service. Safe to run twice (see services)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def propose_interventions_task(evaluation_id: int) -> int:
    """Queued after every successful evaluation: write the ToT and collaboration proposals it calls for."""
    return services.interventions_propose(evaluation_id=evaluation_id)
