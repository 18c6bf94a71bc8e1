"""`{% jobs_delayed_notice %}`: the pages that show a background job's results say when those results
may be late because the broker cannot be reached. One query, on those pages only."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .. import selectors

register = template.Library()


@register.simple_tag
def jobs_delayed_notice() -> SafeString:
    """The notice while jobs wait for the broker; nothing otherwise, without rendering its template."""
    if not selectors.jobs_delayed():
        return SafeString("")
    return mark_safe(render_to_string("outbox/jobs_delayed_notice.html", {"delayed": True}))  # noqa: S308  # nosec B308 B703 - rendered (and escaped) by its template
