"""Tags of the site's shared look.

- `{% site_menu %}`: the main menu of the user's role (kpmi_si.layout.menu).
- `{% cardtable label %}<table>…</table>{% endcardtable %}`: a list table that becomes a stack of
  cards on a phone. Each body cell gets the `data-label` of its column header, which the stylesheet
  shows in front of the value once the header row is hidden; on wider screens the table scrolls in a
  region a keyboard can reach (tabindex, role and label). One tag, so that no template has to repeat
  the header texts cell by cell.
- `{% active_filters filter %}`: how many of a list's filters are in use (the "Filter" button shows it).
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kpmi_si.layout.menu import build_menu

register = template.Library()


@register.inclusion_tag("layout/_menu.html", takes_context=True)
def site_menu(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    on_news_pages = match is not None and match.app_name == "citizen_journalism"
    menu = build_menu(request.user, context["roles"], on_news_pages=on_news_pages)
    path = request.path
    return {"menu": menu, "current": path}


_THEAD = re.compile(r"<thead\b.*?</thead>", re.S | re.I)
_HEADER = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.S | re.I)
_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.S | re.I)
_CELL = re.compile(r"<(td|th)\b([^>]*)>", re.I)
_COLSPAN = re.compile(r"""colspan\s*=\s*["']?(\d+)""", re.I)
_TABLE = re.compile(r"<table\b([^>]*)>", re.I)


def _span(attrs: str) -> int:
    match = _COLSPAN.search(attrs)
    return max(1, int(match.group(1))) if match else 1


def _labels(thead: str) -> list[str]:
    labels: list[str] = []
    for attrs, inner in _HEADER.findall(thead):
        text = " ".join(html_lib.unescape(strip_tags(inner)).split())
        labels += [text] * _span(attrs)
    return labels


def _label_row(row: re.Match, labels: list[str]) -> str:
    opening, cells, closing = row.groups()
    column = 0

    def label(cell: re.Match) -> str:
        nonlocal column
        tag, attrs = cell.groups()
        here, column = column, column + _span(attrs)
        text = labels[here] if here < len(labels) else ""
        # A cell spanning the whole row ("No members yet.") needs no label; nor a column without one.
        if not text or "data-label" in attrs or _span(attrs) >= len(labels):
            return cell.group(0)
        return f'<{tag}{attrs} data-label="{escape(text)}">'

    return opening + _CELL.sub(label, cells) + closing


def cards(html: str) -> str:
    """The table with the `table-cards` class and every body cell labelled with its column."""
    thead = _THEAD.search(html)
    if thead is None:
        return html
    labels = _labels(thead.group(0))
    before, after = html[: thead.end()], html[thead.end() :]
    after = _ROW.sub(lambda row: _label_row(row, labels), after)

    def add_class(table: re.Match) -> str:
        attrs = table.group(1)
        if 'class="' in attrs:
            return "<table" + attrs.replace('class="', 'class="table-cards ', 1) + ">"
        return f'<table class="table-cards"{attrs}>'

    return _TABLE.sub(add_class, before, count=1) + after


class CardTableNode(template.Node):
    def __init__(self, nodelist: template.NodeList, label: template.base.FilterExpression | None) -> None:
        self.nodelist = nodelist
        self.label = label

    def render(self, context: template.Context) -> SafeString:
        label = self.label.resolve(context) if self.label is not None else _("Table")
        inner = cards(self.nodelist.render(context))
        return mark_safe(  # noqa: S308  # nosec B308 B703 - the inner HTML was rendered (and escaped) by the template; the label is escaped
            f'<div class="table-responsive" tabindex="0" role="region" aria-label="{escape(label)}">{inner}</div>'
        )


@register.tag
def cardtable(parser: template.base.Parser, token: template.base.Token) -> CardTableNode:
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("{% cardtable [label] %} takes at most one argument")
    label = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endcardtable",))
    parser.delete_first_token()
    return CardTableNode(nodelist, label)


@register.simple_tag(takes_context=True)
def active_filters(context: dict[str, Any], filterset: Any) -> int:
    """Filters in use: the fields of the list's filter form that the request gives a value."""
    request = context.get("request")
    if request is None or filterset is None:
        return 0
    form = getattr(filterset, "form", filterset)  # a FilterSet, or a plain form of filters
    names = set(form.fields)
    return sum(1 for name in names if any(value.strip() for value in request.GET.getlist(name)))
