"""Celery entry points: thin, they load by id and call a service. Safe to run twice (see services)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def build_shortlist_task(build_id: int) -> str:
    build = services.shortlist_build(build_id=build_id)
    return build.status if build else "skipped"
