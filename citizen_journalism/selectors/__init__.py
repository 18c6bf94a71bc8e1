"""Reads of the citizen-journalism app, one module per concern; re-exported here."""

from .api import buyer_articles, buyer_tokens
from .newsroom import editor_queue, newsroom_article, writer_articles
from .public import (
    Cards,
    Listing,
    active_rubric,
    listed,
    lookups,
    menu,
    public_article,
    public_articles,
    search,
    visible_photos,
)
from .sales import buyers, earnings_statement, revenue_shares, sales, statement_years

__all__ = [
    "Cards",
    "Listing",
    "active_rubric",
    "listed",
    "lookups",
    "menu",
    "buyer_articles",
    "buyer_tokens",
    "buyers",
    "earnings_statement",
    "revenue_shares",
    "sales",
    "statement_years",
    "editor_queue",
    "newsroom_article",
    "public_article",
    "public_articles",
    "search",
    "visible_photos",
    "writer_articles",
]
