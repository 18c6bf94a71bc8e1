"""Reads of the public news site: only published articles, with everything a list shows joined in
one query (only the columns a card, the feeds and the sitemap read) and their visible photos in one
more; a search ranks its matches alone, then loads the cards of the page it shows."""

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


# What a list card (citizen_journalism/_card.html, _byline.html) and the feeds read. A page of twelve
# need not carry twelve bodies, their HTML and search documents, nor the authors' contact details.
CARD_FIELDS = (
    "slug", "title", "lead", "published_at", "first_published_at", "author__full_name", "author__level",
    "author__kpmi__name", "category__name", "category__slug", "kecamatan__name",
)  # fmt: skip
CARD_PHOTO_FIELDS = ("article", "added_in", "caption", "position", "width_s", "width_m", "width_l")


def public_articles() -> QuerySet[Article]:
    return (
        Article.objects.filter(state__in=State.PUBLIC)
        .select_related("author__kpmi", "category", "kecamatan")
        .only(*CARD_FIELDS)
        .prefetch_related(
            Prefetch("photos", queryset=visible_photos().only(*CARD_PHOTO_FIELDS), to_attr="public_photos")
        )
        .order_by("-published_at", "-pk")
    )


class RankedArticles:
    """Search results for the Paginator. A page is ranked over the matching articles alone (id, rank,
    date), then only its cards are loaded, joined and with their photos. Ranked in one statement with
    the joins, PostgreSQL joined every match to its author, KPMI, rubric and district before sorting
    (a hash of all members at every search), where a page shows twelve."""

    def __init__(self, ranked: QuerySet[Article]) -> None:
        self.ranked = ranked

    def count(self) -> int:
        return self.ranked.count()

    def __getitem__(self, window: slice) -> list[Article]:
        ids = list(self.ranked.values_list("pk", flat=True)[window])
        cards = public_articles().in_bulk(ids)
        return [cards[pk] for pk in ids if pk in cards]


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


def search(query: str) -> QuerySet[Article] | RankedArticles:
    """Published articles matching `query`: PostgreSQL full-text search (Indonesian stemming, ranked,
    from the GIN-indexed search document); on SQLite a plain match on title, lead and body."""
    query = " ".join((query or "").split())[:SEARCH_MAX]
    articles = public_articles()
    if not query:
        return articles.none()
    if connection.vendor == "postgresql":
        terms = SearchQuery(query, config="indonesian", search_type="websearch")
        return RankedArticles(
            Article.objects.filter(state__in=State.PUBLIC, search_document=terms)
            .annotate(rank=SearchRank(F("search_document"), terms))
            .order_by("-rank", "-published_at", "-pk")
        )
    return articles.filter(Q(title__icontains=query) | Q(lead__icontains=query) | Q(body__icontains=query))
