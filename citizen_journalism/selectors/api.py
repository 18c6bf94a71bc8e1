"""Reads of the buyers' API: the published articles a buyer licensed or bought (sales not cancelled),
with the licence's kind and date. Everything a page of them shows comes in two queries (the articles
with their author, KPMI, category and places joined; their visible photos), whatever the page size."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from ..models import Article, Buyer, BuyerToken, Sale, State
from .public import visible_photos


def buyer_articles(*, buyer: Buyer) -> QuerySet[Article]:
    # The buyer's live sale of each article; an exclusive purchase wins over a licence of the same
    # article ("exclusive" sorts before "licence"), then the latest.
    sales = Sale.objects.filter(buyer=buyer, article=OuterRef("pk"), cancelled_at__isnull=True).order_by(
        "kind", "-date", "-pk"
    )
    return (
        Article.objects.filter(state__in=State.PUBLIC)
        .filter(Exists(sales))
        .annotate(sale_kind=Subquery(sales.values("kind")[:1]), sale_date=Subquery(sales.values("date")[:1]))
        .select_related("author__kpmi", "category", "kecamatan", "desa")
        .prefetch_related(Prefetch("photos", queryset=visible_photos(), to_attr="public_photos"))
        .order_by("-sale_date", "-pk")
    )


def buyer_tokens(*, buyer: Buyer) -> QuerySet[BuyerToken]:
    return BuyerToken.objects.filter(buyer=buyer).select_related("created_by", "revoked_by")
