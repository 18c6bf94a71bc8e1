"""Reads of the public news site: only published articles, with everything a list shows joined in
one query and their visible photos in one more."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery

from ..models import Article, ArticlePhoto, Sale, State

SEARCH_MAX = 100


def visible_photos() -> QuerySet[ArticlePhoto]:
    """Photos that came with the published version or an earlier one (a photo sent with a correction
    waits for the correction's approval)."""
    return ArticlePhoto.objects.filter(added_in__number__lte=F("article__published_revision__number")).order_by(
        "position", "pk"
    )


def public_articles() -> QuerySet[Article]:
    return (
        Article.objects.filter(state__in=State.PUBLIC)
        .select_related("author__kpmi", "category", "kecamatan")
        .prefetch_related(Prefetch("photos", queryset=visible_photos(), to_attr="public_photos"))
        .order_by("-published_at", "-pk")
    )


def public_article(*, pk: int) -> Article:
    return (
        Article.objects.filter(state__in=State.PUBLIC)
        .select_related("author__kpmi", "category", "kecamatan", "desa", "published_revision")
        .prefetch_related(Prefetch("photos", queryset=visible_photos(), to_attr="public_photos"), "tags")
        # The buyer's credit on an article bought outright, in the same query.
        .annotate(
            exclusive_buyer=Subquery(
                Sale.objects.filter(article=OuterRef("pk"), kind=Sale.Kind.EXCLUSIVE, cancelled_at__isnull=True).values(
                    "buyer__name"
                )[:1]
            )
        )
        .get(pk=pk)
    )


def search(query: str) -> QuerySet[Article]:
    """Published articles matching `query`: PostgreSQL full-text search (Indonesian stemming, ranked,
    from the GIN-indexed search document); on SQLite a plain match on title, lead and body."""
    query = " ".join((query or "").split())[:SEARCH_MAX]
    articles = public_articles()
    if not query:
        return articles.none()
    if connection.vendor == "postgresql":
        terms = SearchQuery(query, config="indonesian", search_type="websearch")
        return (
            articles.filter(search_document=terms)
            .annotate(rank=SearchRank(F("search_document"), terms))
            .order_by("-rank", "-published_at", "-pk")
        )
    return articles.filter(Q(title__icontains=query) | Q(lead__icontains=query) | Q(body__icontains=query))
