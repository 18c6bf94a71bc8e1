"""The template loader: Django's cached loader, which also keeps what a template's constant tags write.

A page is mostly the same words and links on every request: `{% translate "Filter" %}` writes the same
text for the same language, `{% url "associations:home" code %}` the same address for the same
arguments. Django works each out again on every render — a catalogue lookup, or a resolver walk with
its regular expressions and quoting — and a dashboard has some hundred of them between base.html, the
menu and its own template (README, Benchmark, issue #16, sixth pass).

Once per compiled template, this loader swaps

- `{% translate "literal" %}` (no filter, no context, no noop, no `as`) for KeptTranslateNode, which
  keeps its text per language and autoescaping;
- `{% url "literal:name" arg ... %}` (no `as`) for KeptURLNode, which keeps the address per resolved
  arguments — only plain strings and integers; anything else is reversed every time — language (the
  i18n prefix), script prefix, URLconf, current app and autoescaping;
- `{% static "literal" %}` (no `as`) for KeptStaticNode, which keeps the file's address per script
  prefix and autoescaping (the storage's manifest is read once per process; a settings change, DEBUG
  or STORAGES among them, forgets it). Each took ~40 µs, mostly the storage's path normalising, and
  base.html alone has five.

Everything that can change what these write is in the key, and a settings change (tests override
LANGUAGE_CODE, ROOT_URLCONF, LOCALE_PATHS, ...) forgets everything kept. Each node keeps at most
_MAX_KEPT entries: a link with an argument per KPMI keeps the first ones and reverses the others.
Nothing read from the database is kept: the tags' output depends only on the template and the key.
"""

from __future__ import annotations

from typing import Any

from django.template import Context, Template
from django.template.base import FilterExpression, Node, NodeList
from django.template.defaulttags import URLNode
from django.template.loaders import cached
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from kpmi_si.kept import Kept as _KeptValues

_MAX_KEPT = 256


class Kept(_KeptValues[str]):
    """Outputs kept per key (kpmi_si.kept.Kept), at most _MAX_KEPT unless told: used by the nodes below
    and by any tag whose markup depends only on its key (associations.templatetags.dashboard_filter,
    kpmi_si.layout's header)."""

    def __init__(self, size: int = _MAX_KEPT, *, renew_when_full: bool = False) -> None:
        super().__init__(size, renew_when_full=renew_when_full)


class _Kept:
    """A node that keeps its outputs (Kept) and renders as Django's node (the class after _Kept)."""

    _kept: Kept

    def _memory(self) -> dict[Any, str]:
        return self._kept.outputs()

    def _render_kept(self, context: Context, key: Any) -> str:
        return self._kept.get(key, lambda: super(_Kept, self).render(context))  # type: ignore[misc]


class KeptTranslateNode(_Kept, TranslateNode):
    def render(self, context: Context) -> str:
        return self._render_kept(context, (get_language(), context.autoescape))


def _plain(value: Any) -> bool:
    # bool is an int, and True == 1: `{% url "x" flag %}` would read the address kept for 1.
    return isinstance(value, str | int) and not isinstance(value, bool)


class KeptURLNode(_Kept, URLNode):
    def render(self, context: Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((name, value.resolve(context)) for name, value in self.kwargs.items())
        if not all(_plain(value) for value in args) or not all(_plain(value) for _name, value in kwargs):
            return super().render(context)
        request = getattr(context, "request", None)
        try:
            current_app = request.current_app  # type: ignore[union-attr]
        except AttributeError:
            try:
                current_app = request.resolver_match.namespace  # type: ignore[union-attr]
            except AttributeError:
                current_app = None
        key = (args, kwargs, get_language(), get_script_prefix(), get_urlconf(), current_app, context.autoescape)
        return self._render_kept(context, key)


class KeptStaticNode(_Kept, StaticNode):
    def render(self, context: Context) -> str:
        return self._render_kept(context, (get_script_prefix(), context.autoescape))


def _literal(expression: FilterExpression) -> bool:
    # A quoted constant is parsed to the string itself; {% translate %} wraps it in a Variable whose
    # literal is that string.
    var = expression.var
    return not expression.filters and (isinstance(var, str) or getattr(var, "literal", None) is not None)


def _kept_node(node: Node) -> Node | None:
    """The kept version of a constant {% translate %}, {% url %} or {% static %} node, or None."""
    if type(node) is TranslateNode:
        if node.noop or node.asvar or node.message_context is not None or not _literal(node.filter_expression):
            return None
        kept: Node = KeptTranslateNode.__new__(KeptTranslateNode)
    elif type(node) is URLNode:
        if node.asvar or not isinstance(node.view_name, FilterExpression) or not _literal(node.view_name):
            return None
        kept = KeptURLNode.__new__(KeptURLNode)
    elif type(node) is StaticNode:
        if node.varname is not None or not _literal(node.path):
            return None
        kept = KeptStaticNode.__new__(KeptStaticNode)
    else:
        return None
    kept.__dict__.update(node.__dict__)
    kept._kept = Kept()  # type: ignore[attr-defined]
    return kept


def _swap(nodelist: NodeList) -> None:
    for index, node in enumerate(nodelist):
        kept = _kept_node(node)
        if kept is not None:
            nodelist[index] = kept
            continue
        # Every node list the node holds: `nodelist`, ForNode's loop and empty lists, IfNode's
        # (condition, nodelist) pairs, a {% block %}'s body (the same BlockNode the extends tag lists).
        for value in vars(node).values():
            if isinstance(value, NodeList):
                _swap(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, NodeList):
                        _swap(item)
                    elif isinstance(item, tuple):
                        for part in item:
                            if isinstance(part, NodeList):
                                _swap(part)


class Loader(cached.Loader):
    def get_template(self, template_name: str, skip: list[Any] | None = None) -> Template:
        template = super().get_template(template_name, skip)
        if not getattr(template, "_kpmi_kept", False):  # once per compiled template
            _swap(template.nodelist)
            template._kpmi_kept = True
        return template
