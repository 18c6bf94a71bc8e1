"""Reads of the newsroom: a writer's articles, the editors' queue, one article with its history."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .. import permissions
from ..models import Article, ArticleNote, ArticlePhoto, ArticleRevision, State


def _listed() -> QuerySet[Article]:
    return Article.objects.select_related(
        "author__kpmi", "latest_revision__category", "latest_revision__kecamatan"
    ).order_by("-updated_at", "-pk")


def writer_articles(*, member_id: int) -> QuerySet[Article]:
    return _listed().filter(author_id=member_id)


def editor_queue(*, user, states: tuple[str, ...] = State.IN_QUEUE) -> QuerySet[Article]:
    """Articles waiting for an editor in the user's districts (all of them for a whole-site editor),
    oldest first; never the editor's own."""
    scope = permissions.editor_scope(user)
    if scope is False:
        return Article.objects.none()
    articles = _listed().filter(state__in=states).order_by("updated_at", "pk")
    if scope is not permissions.WHOLE_SITE:
        articles = articles.filter(latest_revision__kecamatan_id__in=scope)
    member = permissions.writer_member(user)
    if member is not None:
        articles = articles.exclude(author_id=member.pk)
    return articles


def newsroom_article(*, pk: int) -> Article:
    return (
        Article.objects.select_related(
            "author__kpmi",
            "latest_revision__category",
            "latest_revision__kecamatan",
            "latest_revision__desa",
            "published_revision",
            "activity",
        )
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=ArticleRevision.objects.select_related("category", "kecamatan", "desa", "created_by"),
            ),
            Prefetch("notes", queryset=ArticleNote.objects.select_related("created_by", "revision")),
            Prefetch("photos", queryset=ArticlePhoto.objects.select_related("added_in").order_by("position", "pk")),
        )
        .get(pk=pk)
    )
