"""A shortlist build sent twice while the first still runs: the second steps aside instead of
ranking every category again. PostgreSQL only (each run is a thread with its own connection)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from awards import selectors, services
from awards.models import ShortlistBuild

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_redelivered_build_steps_aside_while_the_build_is_live(postgres_url, monkeypatch, round_2025, garut):
    ranked: list[int] = []
    inside, release = threading.Event(), threading.Event()
    real = selectors.category_ranking

    def ranking(category):
        ranked.append(category.pk)
        inside.set()
        assert release.wait(30)
        return real(category)

    monkeypatch.setattr(selectors, "category_ranking", ranking)
    build, _created = services.shortlist_create(actor=None, round=round_2025)

    def first():
        try:
            services.shortlist_build(build_id=build.pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(30)
    assert services.shortlist_build(build_id=build.pk) is None
    release.set()
    thread.join(60)
    build.refresh_from_db()
    assert build.status == ShortlistBuild.Status.SUCCEEDED
    assert len(ranked) == round_2025.categories.count()  # each category ranked once, by the first run
