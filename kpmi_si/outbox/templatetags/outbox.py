"""`{% jobs_delayed_notice %}`: the pages that show a background job's results say when those results
may be late because the broker cannot be reached. One query, on those pages only."""

from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("outbox/jobs_delayed_notice.html")
def jobs_delayed_notice() -> dict[str, bool]:
    return {"delayed": selectors.jobs_delayed()}
