from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from members.models import Level

from ..selectors.public import Card

register = template.Library()


@register.filter
def is_pioneer(member: Any) -> bool:
    return getattr(member, "level", None) == Level.PIONEER


# A list card (the public list pages), written with format_html rather than with template tags: a
# page of twelve cards was ~260 template nodes, the largest part of the page's time after the cards'
# query. Every value is escaped as a template would; the byline is _byline.html's markup.
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


@register.simple_tag
def news_cards(cards: Iterable[Card]) -> SafeString:
    # "By %(name)s" is blocktranslate's msgid in _byline.html; split once around the name.
    by_before, _name, by_after = gettext("By %(name)s").partition("%(name)s")
    pioneer = format_html(' <span class="badge text-bg-warning">{}</span>', gettext("Pioneer"))
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    CARD,
                    photo=format_html(PHOTO, p["url_s"], p["srcset"], p["caption"], p["width_s"])
                    if (p := card["photo"])
                    else "",
                    category=format_html(LINK, card["category_url"], card["category_name"])
                    if card["category_url"]
                    else "",
                    kecamatan=format_html(LINK, card["kecamatan_url"], card["kecamatan_name"])
                    if card["kecamatan_url"]
                    else "",
                    published_iso=card["published_iso"],
                    published_day=card["published_day"],
                    url=card["url"],
                    title=card["title"],
                    lead=card["lead"],
                    by_before=by_before,
                    author=card["author_name"],
                    by_after=by_after,
                    pioneer=pioneer if card["pioneer"] else "",
                    kpmi=format_html(" · {}", card["kpmi_name"]) if card["kpmi_name"] is not None else "",
                ),
            )
            for card in cards
        ),
    )
