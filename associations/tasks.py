"""Celery entry points: thin, they load by id and call a service. Safe to run twice (see services).
The evaluation task itself lives beside its service; it is re-exported here for autodiscovery."""

from __future__ import annotations

from celery import shared_task

from . import services
from .refresh import refresh_stale_results_task
from .services import evaluate_period_task

__all__ = ["evaluate_open_periods", "evaluate_period_task", "refresh_stale_results_task"]


@shared_task
def evaluate_open_periods() -> list[int]:
    """The nightly job (see CELERY_BEAT_SCHEDULE): queue an evaluation of every open period."""
    queued = []
    for period in services.periods_due_for_evaluation():
        evaluation = services.evaluation_request(actor=None, period=period)
        queued.append(evaluation.pk)
    return queued
