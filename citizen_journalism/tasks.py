"""Periodic jobs of the newsroom: thin entry points to the services."""

from __future__ import annotations

from celery import shared_task

from .services import articles_publish_due


@shared_task(name="citizen_journalism.tasks.publish_due_articles")
def publish_due_articles() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): publish the scheduled articles that are due. Safe to run
    twice, or again after a run was killed half-way: each article is claimed and re-checked."""
    return articles_publish_due()
