"""Celery entry points: thin, they load by id and call a service. Safe to run twice (see services)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def evaluate_period_task(evaluation_id: int) -> str:
    evaluation = services.period_evaluate(evaluation_id=evaluation_id)
    if evaluation and evaluation.status == evaluation.Status.SUCCEEDED:
        # The interventions an evaluation calls for (programs builds on this app: import here).
        from programs.tasks import propose_interventions_task

        propose_interventions_task.delay(evaluation.pk)
    return evaluation.status if evaluation else "skipped"


@shared_task
def evaluate_open_periods() -> list[int]:
    """The nightly job (see CELERY_BEAT_SCHEDULE): queue an evaluation of every open period."""
    queued = []
    for period in services.periods_due_for_evaluation():
        evaluation = services.evaluation_request(actor=None, period=period)
        queued.append(evaluation.pk)
    return queued
