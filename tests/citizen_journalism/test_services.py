"""The editorial path through the services: versions, decisions, the state machine, audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from citizen_journalism import services, states
from citizen_journalism.models import Article, ArticleRevision, State
from kpmi_si.audit.models import AuditEntry
from members.models import Desa

from .conftest import article_data, with_photo

pytestmark = pytest.mark.django_db


def _audit_actions(article: Article) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(article.pk), action__startswith="article.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_every_save_is_a_new_immutable_version(pioneer, kpmi_a, category):
    article = services.article_write(actor=pioneer, data=article_data(kpmi_a, category), submit=False)
    assert article.state == State.DRAFT
    article = services.article_write(
        actor=pioneer, article=article, data=article_data(kpmi_a, category, title="Judul kedua"), submit=True
    )
    assert article.state == State.SUBMITTED
    versions = list(article.revisions.order_by("number").values_list("number", "title", "submitted"))
    assert versions == [(1, "Internet masuk ke saung tani", False), (2, "Judul kedua", True)]
    first = article.revisions.get(number=1)
    first.title = "diubah"
    with pytest.raises(ValueError):
        first.save()
    assert _audit_actions(article) == ["article.save", "article.submit"]


def test_the_full_path_with_a_change_request(pioneer, editor, kpmi_a, category):
    article = services.article_write(actor=pioneer, data=article_data(kpmi_a, category), submit=True)
    article = services.article_request_changes(actor=editor, article=article, comment="Tambahkan jumlah petani.")
    assert article.state == State.CHANGES_REQUESTED
    assert article.notes.get().text == "Tambahkan jumlah petani."
    assert not article.is_public
    article = services.article_write(
        actor=pioneer, article=article, data=article_data(kpmi_a, category, body="Tiga puluh petani."), submit=True
    )
    article = services.article_approve(actor=editor, article=article)
    assert article.state == State.PUBLISHED
    assert article.published_revision.number == 2
    assert article.body_html == "<p>Tiga puluh petani.</p>\n"
    assert sorted(article.tags.values_list("name", flat=True)) == ["internet", "pertanian"]
    entries = AuditEntry.objects.filter(target_id=str(article.pk), action="article.publish").get()
    assert entries.changes["state"] == ["scheduled", "published"]
    assert _audit_actions(article) == [
        "article.submit",
        "article.request_changes",
        "article.submit",
        "article.approve",
        "article.publish",
    ]


def test_rejecting_needs_a_reason_and_ends_the_article(submitted, editor, pioneer, kpmi_a, category):
    with pytest.raises(ValidationError) as caught:
        services.article_reject(actor=editor, article=submitted, reason="  ")
    assert "reason" in caught.value.message_dict
    article = services.article_reject(actor=editor, article=submitted, reason="Bukan berita.")
    assert (article.state, article.rejection_reason) == (State.REJECTED, "Bukan berita.")
    with pytest.raises(ValidationError):
        services.article_write(actor=pioneer, article=article, data=article_data(kpmi_a, category), submit=True)
    assert article.revisions.count() == 1


def test_a_writer_never_decides_on_their_own_article_even_as_editor(writing_editor, kpmi_a, category):
    article = services.article_write(actor=writing_editor, data=article_data(kpmi_a, category), submit=True)
    for decide in (
        lambda: services.article_approve(actor=writing_editor, article=article),
        lambda: services.article_request_changes(actor=writing_editor, article=article, comment="x"),
        lambda: services.article_reject(actor=writing_editor, article=article, reason="x"),
    ):
        with pytest.raises(ValidationError) as caught:
            decide()
        assert caught.value.code == "own_article"
    article.refresh_from_db()
    assert article.state == State.SUBMITTED
    assert not article.notes.exists()


def test_an_editor_of_other_districts_may_not_decide(submitted, cibatu_editor):
    with pytest.raises(PermissionDenied):
        services.article_approve(actor=cibatu_editor, article=submitted)


def test_a_member_may_not_edit_another_writers_article(submitted, member_user_a, kpmi_a, category):
    with pytest.raises(PermissionDenied):
        services.article_write(actor=member_user_a, article=submitted, data=article_data(kpmi_a, category), submit=True)


def test_only_the_listed_moves_exist():
    assert states.allowed(State.SUBMITTED, states.Action.APPROVE)
    assert not states.allowed(State.DRAFT, states.Action.APPROVE)
    assert not states.allowed(State.REJECTED, states.Action.SUBMIT)
    assert not states.allowed(State.PUBLISHED, states.Action.REJECT)
    with pytest.raises(ValidationError):
        states.move(State.PUBLISHED, states.Action.APPROVE)


def test_approving_twice_is_refused(submitted, editor):
    services.article_approve(actor=editor, article=submitted)
    with pytest.raises(ValidationError):
        services.article_approve(actor=editor, article=submitted)
    assert AuditEntry.objects.filter(action="article.publish").count() == 1


def test_a_village_of_another_district_is_refused_and_nothing_is_saved(pioneer, kpmi_a, category):
    elsewhere = Desa.objects.exclude(kecamatan=kpmi_a.kecamatan).first()
    with pytest.raises(ValidationError) as caught:
        services.article_write(
            actor=pioneer, data=article_data(kpmi_a, category, desa=elsewhere), submit=True, photos=with_photo()
        )
    assert "desa" in caught.value.message_dict
    assert not Article.objects.exists()
    assert not ArticleRevision.objects.exists()


@pytest.mark.parametrize(
    ("body", "expected"),
    [("", "body"), ("   ", "body"), ("x" * 40_001, "body")],
)
def test_bodies_empty_or_too_long_are_refused(pioneer, kpmi_a, category, body, expected):
    with pytest.raises(ValidationError) as caught:
        services.article_write(actor=pioneer, data=article_data(kpmi_a, category, body=body), submit=True)
    assert expected in caught.value.message_dict
    assert not Article.objects.exists()


def test_too_many_tags_are_refused(pioneer, kpmi_a, category):
    tags = ", ".join(f"tag{n}" for n in range(9))
    with pytest.raises(ValidationError) as caught:
        services.article_write(actor=pioneer, data=article_data(kpmi_a, category, tags=tags), submit=True)
    assert "tags" in caught.value.message_dict


def test_scheduled_article_waits_for_its_time(submitted, editor, monkeypatch):
    later = timezone.now() + dt.timedelta(hours=3)
    article = services.article_approve(actor=editor, article=submitted, publish_at=later)
    assert article.state == State.SCHEDULED
    assert services.articles_publish_due() == 0
    # The job runs once the clock has reached the time: the publication it logs is dated that day, which
    # three hours on may be tomorrow in Garut (so the clock moves, not only the job's `now`).
    monkeypatch.setattr(timezone, "now", lambda: later + dt.timedelta(seconds=1))
    assert services.articles_publish_due() == 1
    article.refresh_from_db()
    assert article.state == State.PUBLISHED


def test_scheduling_years_ahead_is_refused(submitted, editor):
    with pytest.raises(ValidationError) as caught:
        services.article_approve(actor=editor, article=submitted, publish_at=timezone.now() + dt.timedelta(days=800))
    assert "publish_at" in caught.value.message_dict
