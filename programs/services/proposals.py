"""What an evaluation calls for, in one entry point for the job that runs after it."""

from __future__ import annotations

from celery import shared_task

from .collaboration import collaboration_invitations_propose
from .tot import tot_invitations_propose


def interventions_propose(*, evaluation_id: int) -> int:
    """Every proposal an evaluation calls for: ToT invitations and collaboration programmes."""
    return tot_invitations_propose(evaluation_id=evaluation_id) + collaboration_invitations_propose(
        evaluation_id=evaluation_id
    )


# Defined beside the service it runs; programs.tasks re-exports it for Celery's autodiscovery. Queued
# after every successful evaluation (associations.signals.evaluation_succeeded, see programs.apps).
@shared_task(acks_late=True, name="programs.tasks.propose_interventions_task")
def propose_interventions_task(evaluation_id: int) -> int:
    return interventions_propose(evaluation_id=evaluation_id)
