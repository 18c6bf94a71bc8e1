from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from members.models import Level

from ..selectors.public import Card, MenuItem, url_filler

register = template.Library()


@register.filter
def is_pioneer(member: Any) -> bool:
    return getattr(member, "level", None) == Level.PIONEER


# A list card (the public list pages), written in Python rather than with template tags: a page of
# twelve cards was ~260 template nodes, the largest part of the page's time after the cards' query.
# Every value goes through html.escape, as Django's escape() does; the byline is _byline.html's markup.
CARD = """<div class="col"><article class="card mb-3">
  {photo}
  <div class="card-body">
    <p class="small text-muted mb-1">{category}{kecamatan}<time datetime="{published_iso}">{published_day}</time></p>
    <h2 class="h5 card-title"><a href="{url}" class="stretched-link text-decoration-none">{title}</a></h2>
    <p class="card-text mb-1">{lead}</p>
    <p class="small text-muted mb-0"><span class="byline">{by_before}{author}{by_after}{pioneer}{kpmi}</span>
</p>
  </div>
</article>
</div>
  """
PHOTO = (
    '<img class="card-img-top" src="{}" srcset="{}" sizes="(min-width: 768px) 50vw, 100vw" alt="{}" width="{}" '
    'loading="lazy">'
)
LINK = '<a href="{}">{}</a> · '


def _card(card: Card, by_before: str, by_after: str, pioneer: str) -> str:
    e = html.escape
    photo = card["photo"]
    return CARD.format(
        photo=PHOTO.format(e(photo["url_s"]), e(photo["srcset"]), e(photo["caption"]), e(str(photo["width_s"])))
        if photo
        else "",
        category=LINK.format(e(card["category_url"]), e(card["category_name"])) if card["category_url"] else "",
        kecamatan=LINK.format(e(card["kecamatan_url"]), e(card["kecamatan_name"])) if card["kecamatan_url"] else "",
        published_iso=e(card["published_iso"]),
        published_day=e(card["published_day"]),
        url=e(card["url"]),
        title=e(card["title"]),
        lead=e(card["lead"]),
        by_before=by_before,
        author=e(card["author_name"]),
        by_after=by_after,
        pioneer=pioneer if card["pioneer"] else "",
        kpmi=f" · {e(card['kpmi_name'])}" if card["kpmi_name"] is not None else "",
    )


@register.simple_tag
def news_cards(cards: Iterable[Card]) -> SafeString:
    # "By %(name)s" is blocktranslate's msgid in _byline.html; split once around the name.
    by_before, _name, by_after = (html.escape(part) for part in gettext("By %(name)s").partition("%(name)s"))
    pioneer = f' <span class="badge text-bg-warning">{html.escape(gettext("Pioneer"))}</span>'
    written = "".join(_card(card, by_before, by_after, pioneer) for card in cards)
    return mark_safe(written)  # noqa: S308  # nosec B308 B703 - every value in it went through html.escape (_card)


# The public pages' search form and rubric menu, written in Python like the cards: as an include it was
# ~40 template nodes, a tenth of a list page's rendering. Every value goes through html.escape.
NAV = """<nav class="mb-3" aria-label="{label}">
  <form class="d-flex gap-2 mb-2" method="get" action="{search_url}" role="search">
    <input class="form-control" type="search" name="q" value="{query}" maxlength="100" placeholder="{placeholder}" \
aria-label="{placeholder}">
    <button class="btn btn-outline-success" type="submit">{search}</button>
  </form>
  <ul class="nav nav-pills small">
    <li class="nav-item"><a class="nav-link py-1 px-2" href="{front_url}">{latest}</a></li>
    {rubrics}
  </ul>
</nav>
"""
RUBRIC = '<li class="nav-item"><a class="nav-link py-1 px-2" href="{}">{}</a></li>'


@register.simple_tag
def news_nav(categories: Iterable[MenuItem] | None, query: str | None) -> SafeString:
    """The search form (with the words searched for) and the menu of `categories` (selectors.menu)."""
    e = html.escape
    written = NAV.format(
        label=e(gettext("Categories")),
        search_url=e(url_filler("citizen_journalism:search", 0)()),
        query=e(str(query or "")),
        placeholder=e(gettext("Search news")),
        search=e(gettext("Search")),
        front_url=e(url_filler("citizen_journalism:front", 0)()),
        latest=e(gettext("Latest")),
        rubrics="".join(RUBRIC.format(e(item["url"]), e(str(item["name"]))) for item in categories or ()),
    )
    return mark_safe(written)  # noqa: S308  # nosec B308 B703 - every value in it went through html.escape
