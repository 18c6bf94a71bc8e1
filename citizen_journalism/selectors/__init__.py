"""Reads of the citizen-journalism app, one module per concern; re-exported here."""

from .newsroom import editor_queue, newsroom_article, writer_articles
from .public import public_article, public_articles, search, visible_photos

__all__ = [
    "editor_queue",
    "newsroom_article",
    "public_article",
    "public_articles",
    "search",
    "visible_photos",
    "writer_articles",
]
