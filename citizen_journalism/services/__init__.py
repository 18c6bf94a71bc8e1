"""Writes of the citizen-journalism app, one module per concern; re-exported here."""

from .api import buyer_token_issue, buyer_token_revoke
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
from .sales import (
    buyer_create,
    buyer_update,
    payout_record,
    revenue_share_remove,
    revenue_share_set,
    sale_cancel,
    sale_record,
    share_for,
)

__all__ = [
    "buyer_token_issue",
    "buyer_token_revoke",
    "buyer_create",
    "buyer_update",
    "payout_record",
    "revenue_share_remove",
    "revenue_share_set",
    "sale_cancel",
    "sale_record",
    "share_for",
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
