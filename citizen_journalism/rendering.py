"""Markdown to safe HTML for articles. Two layers, so that a slip in one is caught by the other:
markdown-it-py renders CommonMark with raw HTML switched off (a writer's <script> becomes text), and
nh3 (the Rust ammonia sanitiser) then keeps only an allow-list of tags and attributes, links only to
http, https and mailto, each with rel="nofollow noopener". No images in the body: photos are attached
separately, checked and resized, and an <img> pointing elsewhere would make the reader's phone
fetch from a third party."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "strong",
        "em",
        "del",
        "s",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "code",
        "pre",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# "commonmark" with html off; tables and strikethrough on (GitHub-style, which writers know).
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def render_markdown(source: str) -> str:
    """The body's HTML, safe to put in a page as it is."""
    # A heading of level 1 is the page's title; a writer's "# ..." becomes a level-2 heading.
    html = _markdown.render(source or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    html = html.replace("<h5>", "<h4>").replace("</h5>", "</h4>").replace("<h6>", "<h4>").replace("</h6>", "</h4>")
    return sanitise(html)
