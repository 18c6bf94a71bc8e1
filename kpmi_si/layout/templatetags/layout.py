"""Tags of the site's shared look.

- `{% site_header %}`: the navigation bar, with the main menu of the user's role (kpmi_si.layout.menu).
- `{% cardtable label %}<table>…</table>{% endcardtable %}`: a list table that becomes a stack of
  cards on a phone. Each body cell gets the `data-label` of its column header, which the stylesheet
  shows in front of the value once the header row is hidden; on wider screens the table scrolls in a
  region a keyboard can reach (tabindex, role and label). One tag, so that no template has to repeat
  the header texts cell by cell.
- `{{ field|filter_field }}`: a filter of a list, as crispy draws it, without crispy's template for the
  plain cases.
- `{% active_filters filter %}`: how many of a list's filters are in use (the "Filter" button shows it).
- `{% pagination page %}`: a list's "previous / page n of m / next" links (templates/_pagination.html).
- `{{ moment|short_datetime }}`: `{{ moment|date:"j M Y H:i" }}`, the site's way of saying when.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from collections.abc import Iterable
from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.http import QueryDict
from django.middleware.csrf import get_token
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.dates import MONTHS_3
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kpmi_si.layout.menu import build_menu, menu_inputs
from kpmi_si.templating import Kept

register = template.Library()


# Rendered headers by menu_inputs key, language, script prefix, URLconf and path, with holes for what
# is the request's own (see site_header); renewed when full (paths are many, menus few), forgotten at a
# settings change. Nothing in a header is a count: the bell's unread count is fetched live by
# static/js/notifications.js.
_HEADERS = Kept(2048, renew_when_full=True)

# Stand-ins for the request's own values while a header is rendered to be kept: plain ASCII that
# escaping leaves alone and that no label, address or translation contains.
_HOLES = {
    "csrf_token_value": "kpmi-hole-csrf-7c1f",
    "next": "kpmi-hole-next-7c1f",
    "username": "kpmi-hole-username-7c1f",
}
_HOLE = re.compile("|".join(re.escape(hole) for hole in _HOLES.values()))


def _render_header(user: Any, roles: Any, on_news_pages: bool, path: str, values: dict[str, str]) -> str:
    menu = build_menu(user, roles, on_news_pages=on_news_pages)
    return render_to_string(
        "layout/_header.html",
        {
            "menu": render_to_string("layout/_menu.html", {"menu": menu, "current": path}),
            "authenticated": user.is_authenticated,
            **values,
        },
    )


@register.simple_tag(takes_context=True)
def site_header(context: dict[str, Any]) -> SafeString:
    """The navigation bar: brand, the role's menu (kpmi_si.layout.menu), the language switch and the
    user's own menu. Its markup depends only on menu_inputs (the role and what it names), the language
    and the path, but for the CSRF token, the address to come back to and the username: it is rendered
    once per such key and process with stand-ins for those three, which each request fills in, escaped.
    Building and rendering it took a tenth of a dashboard's time (README, Benchmark, issue #16)."""
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    on_news_pages = match is not None and match.app_name == "citizen_journalism"
    user, roles, path = request.user, context["roles"], request.path
    authenticated = user.is_authenticated
    # Only a logged-in page's forms carry a token (the public pages set no cookie). The render's own
    # token, as {% csrf_token %} takes it: masked once per page, however many forms carry it.
    values = {
        "csrf_token_value": str(context.get("csrf_token") or get_token(request)) if authenticated else "",
        "next": request.get_full_path(),
        "username": user.get_username() if authenticated else "",
    }
    inputs = menu_inputs(user, roles, on_news_pages=on_news_pages)
    if inputs is None:
        return mark_safe(_render_header(user, roles, on_news_pages, path, values))  # noqa: S308  # nosec B308 B703 - rendered by the template, which escaped it
    key = (inputs, get_language(), get_script_prefix(), get_urlconf(), path)
    html = _HEADERS.get(key, lambda: _render_header(user, roles, on_news_pages, path, _HOLES))
    # One pass over the kept markup: a value that happens to spell a stand-in (the address is the
    # visitor's to choose) is never filled in again.
    filled = {hole: escape(values[name]) for name, hole in _HOLES.items()}
    return mark_safe(_HOLE.sub(lambda found: filled[found.group(0)], html))  # noqa: S308  # nosec B308 B703 - the kept markup was escaped by its template, the values here


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
    return filters_in_use(request.GET, form.fields)


def filters_in_use(data: Any, names: Iterable[str]) -> int:
    """How many of the named filters the query string gives a value (blank values do not count)."""
    return sum(1 for name in set(names) if any(value.strip() for value in data.getlist(name)))


def _plain_filter_field(field: Any) -> bool:
    """A text box or single select with a label and nothing else to say (no error, help or required
    mark): the case filter_field draws itself."""
    widget = field.field.widget
    plain_widget = isinstance(widget, forms.TextInput) or (
        isinstance(widget, forms.Select) and not widget.allow_multiple_selected
    )
    return (
        plain_widget
        and not field.is_hidden
        and bool(field.label)
        and not field.field.required
        and not field.help_text
        and not field.errors
        and not field.css_classes()
    )


@register.filter
def filter_field(field: Any) -> SafeString:
    """`{{ field|as_crispy_field }}` of a list's filter, with the same markup (Bootstrap 5 crispy's
    wrapper, label and widget classes). crispy renders a template of some sixty nodes per field; a
    list's three filters took a sixth of a dashboard's time (README, Benchmark, issue #16). Anything
    but a plain text box or select goes to crispy."""
    if not _plain_filter_field(field):
        return as_crispy_field(field)
    widget = field.field.widget
    # crispy's classes: the widget's own, its class name, then Bootstrap's for the kind of control.
    name = type(widget).__name__.lower()
    own = widget.attrs.get("class", "")
    css = own if own and name in own else f"{own} {name}".strip()
    css += " form-select" if isinstance(widget, forms.Select) else " form-control"
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        field.as_widget(attrs={"class": css}),
    )


@register.filter(expects_localtime=True)
def short_datetime(value: Any) -> str:
    """`{{ value|date:"j M Y H:i" }}` ("3 Des 2026 14:05"), the same text: the day, the month's short
    name in the language, the year, the hour and minute in local time (the template converts the value
    first, as for `date`). Django's date filter looks its format up and walks it character by character:
    ~45 µs a call, two on every dashboard (README, Benchmark, issue #16). Anything but a datetime goes
    to Django's filter."""
    if not isinstance(value, dt.datetime):
        return date_filter(value, "j M Y H:i")
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year:04d} {value.hour:02d}:{value.minute:02d}"


@register.simple_tag(takes_context=True)
def pagination(context: template.Context, page: Any) -> SafeString:
    """A list's page links, keeping every other parameter of the address (each value of each, as
    Django's `{% querystring page=n %}` does); nothing when the list fits on one page. Written out
    in Python: the included template with its tags took ~5% of a dashboard's time (README, Benchmark,
    issue #16)."""
    if not hasattr(page, "has_other_pages") or not page.has_other_pages():  # also none in the context
        return SafeString("")
    given = getattr(context.get("request"), "GET", None) or QueryDict()

    def link(number: int) -> str:
        query = given.copy()
        query["page"] = number
        return escape(f"?{query.urlencode()}")

    items = []
    if page.has_previous():
        items.append(
            f'<li class="page-item"><a class="page-link" href="{link(page.previous_page_number())}">'
            f"&laquo; {escape(_('Previous'))}</a></li>"
        )
    where = _("Page %(n)s of %(total)s") % {"n": page.number, "total": page.paginator.num_pages}
    items.append(f'<li class="page-item disabled"><span class="page-link">{escape(where)}</span></li>')
    if page.has_next():
        items.append(
            f'<li class="page-item"><a class="page-link" href="{link(page.next_page_number())}">'
            f"{escape(_('Next'))} &raquo;</a></li>"
        )
    return mark_safe(  # noqa: S308  # nosec B308 B703 - every text and address above is escaped
        f'<nav aria-label="{escape(_("Pages"))}">\n  <ul class="pagination flex-wrap">\n    '
        + "\n    ".join(items)
        + "\n  </ul>\n</nav>"
    )
