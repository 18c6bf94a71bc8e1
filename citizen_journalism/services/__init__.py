"""Writes of the citizen-journalism app, one module per concern; re-exported here."""

from .editors import editor_role_remove, editor_role_set
from .newsroom import (
    article_approve,
    article_link_activity,
    article_publish_scheduled,
    article_reject,
    article_request_changes,
    article_write,
    articles_publish_due,
    correction_approve,
    correction_decline,
    linkable_activities,
    parse_tags,
    public_url,
)
from .photos import PhotoUpload

__all__ = [
    "PhotoUpload",
    "article_approve",
    "article_link_activity",
    "article_publish_scheduled",
    "article_reject",
    "article_request_changes",
    "article_write",
    "articles_publish_due",
    "correction_approve",
    "correction_decline",
    "editor_role_remove",
    "editor_role_set",
    "linkable_activities",
    "parse_tags",
    "public_url",
]
