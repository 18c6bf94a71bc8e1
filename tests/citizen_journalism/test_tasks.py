"""The scheduled-publishing job: publishes what is due, once, even when run twice or after a run
that was killed half-way."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from citizen_journalism import services
from citizen_journalism.models import Article, State
from citizen_journalism.services import newsroom
from citizen_journalism.tasks import publish_due_articles
from kpmi_si.audit.models import AuditEntry
from programs.models import Activity, Kind

from .conftest import article_data

pytestmark = pytest.mark.django_db(transaction=True)


def _scheduled(pioneer, editor, kpmi_a, category, n: int, when: dt.datetime) -> list[Article]:
    articles = []
    for i in range(n):
        article = services.article_write(
            actor=pioneer, data=article_data(kpmi_a, category, title=f"Berita {i}"), submit=True
        )
        articles.append(services.article_approve(actor=editor, article=article, publish_at=when))
    return articles


def _state_of_the_world():
    return (
        sorted(Article.objects.values_list("pk", "state")),
        Activity.objects.filter(kind=Kind.PUBLICATION).count(),
        AuditEntry.objects.filter(action="article.publish").count(),
    )


def test_the_job_publishes_due_articles_once_when_run_twice(pioneer, editor, kpmi_a, category):
    soon = timezone.now() + dt.timedelta(minutes=5)
    _scheduled(pioneer, editor, kpmi_a, category, 3, soon)
    assert publish_due_articles() == 0  # not yet due
    with mock.patch("citizen_journalism.services.newsroom.timezone.now", return_value=soon + dt.timedelta(seconds=1)):
        assert publish_due_articles() == 3
        after_first = _state_of_the_world()
        assert publish_due_articles() == 0
    assert _state_of_the_world() == after_first
    assert after_first[0] == sorted((pk, State.PUBLISHED) for pk, _s in after_first[0])
    assert after_first[1:] == (3, 3)


def test_a_run_killed_half_way_is_finished_by_the_next_one(pioneer, editor, kpmi_a, category, monkeypatch):
    soon = timezone.now() + dt.timedelta(minutes=5)
    first, second, third = _scheduled(pioneer, editor, kpmi_a, category, 3, soon)
    real_publish = newsroom._publish
    calls = {"n": 0}

    def dies_on_the_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")  # not an error the job catches: the process dies here
        return real_publish(**kwargs)

    due = soon + dt.timedelta(seconds=1)
    # The clock reaches `due` (five minutes on may be tomorrow in Garut, and the work logged is dated then).
    monkeypatch.setattr(timezone, "now", lambda: due)
    with mock.patch.object(newsroom, "_publish", side_effect=dies_on_the_second), pytest.raises(SystemExit):
        services.articles_publish_due(now=due)
    states = dict(Article.objects.values_list("pk", "state"))
    assert states == {first.pk: State.PUBLISHED, second.pk: State.SCHEDULED, third.pk: State.SCHEDULED}
    assert Activity.objects.filter(kind=Kind.PUBLICATION).count() == 1  # the killed one left nothing half-done

    assert services.articles_publish_due(now=due) == 2
    assert set(Article.objects.values_list("state", flat=True)) == {State.PUBLISHED}
    assert Activity.objects.filter(kind=Kind.PUBLICATION).count() == 3
    assert services.articles_publish_due(now=due) == 0
