"""`{{ url|site_relative }}`: a stored link to this site as its path (see kpmi_si/links.py)."""

from __future__ import annotations

from django import template

from kpmi_si.links import site_relative as _site_relative

register = template.Library()


@register.filter
def site_relative(url: str) -> str:
    return _site_relative(url or "")
