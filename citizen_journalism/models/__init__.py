"""Garut Citizen Journalism: one module per concern (the newsroom, photos); sales come later."""

from ..states import Action, State
from .newsroom import (
    BODY_MAX,
    LEAD_MAX,
    TAG_MAX,
    TAGS_MAX,
    TITLE_MAX,
    Article,
    ArticleNote,
    ArticleRevision,
    Category,
    EditorRole,
    Tag,
    article_slug,
)
from .photos import CAPTION_MAX, CREDIT_MAX, MAX_PHOTOS, RENDITIONS, ArticlePhoto

__all__ = [
    "BODY_MAX",
    "CAPTION_MAX",
    "CREDIT_MAX",
    "LEAD_MAX",
    "MAX_PHOTOS",
    "RENDITIONS",
    "TAGS_MAX",
    "TAG_MAX",
    "TITLE_MAX",
    "Action",
    "Article",
    "ArticleNote",
    "ArticlePhoto",
    "ArticleRevision",
    "Category",
    "EditorRole",
    "State",
    "Tag",
    "article_slug",
]
