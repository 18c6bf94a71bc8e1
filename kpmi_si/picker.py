"""The search-as-you-type picker (#14): one widget for every long list of people or places.

It renders a plain <select> (so the form works, and posts the same field names and ids, without
JavaScript, and an offline-queued post still validates; a person picker's holds only the people
chosen, the search adds the others), with data attributes that static/js/picker.js reads to put a
search box and a list of chosen items over it; the search asks a server-side JSON endpoint, scoped
to what the user may pick. Validation stays the field's: an id outside its queryset is a field
error whatever the page sent.

Without JavaScript the same search runs when the form is sent (progressive enhancement): a person
picker renders a text box and a "Search" submit button of its own, a village picker a "Show the
villages of the district" button; the JavaScript removes both. A hidden Save button first in the
form (templates/_default_submit.html) makes Enter save, except in a search box with a new query.
When the form comes back with one of these buttons, the view (through `picker_searched`) saves
nothing and shows the same form again with what was typed, the people narrowed to the matches of
the field's own queryset (the scope the form validates against, so nobody finds more than they may
pick) as checkboxes or radio buttons a phone can tap, the chosen ones kept chosen, and the villages
narrowed to the chosen district."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

PICKER_JS = "js/picker.js"
PICKER_CSS = "css/picker.css"
# The no-JavaScript buttons share one name; the value says which field asked (each field's own button).
SEARCH_BUTTON = "picker_search"
QUERY_SUFFIX = "_q"  # the no-JavaScript search box of field "x" is "x_q"
# Beside it, hidden, the query the page shows the matches of: a box whose text differs was typed
# since, and Enter (which presses the form's default Save button) searches it instead of saving.
SHOWN_SUFFIX = "_q_shown"
MIN_QUERY = 2  # as the JSON endpoints: one letter matches half the province
MAX_MATCHES = 20
MAX_QUERY = 100


class _PickerMixin:
    """The data attributes live in `attrs` (not added at render time): crispy's select template
    renders `attrs` itself.

    `search_lookup` (a person picker: "full_name__icontains") is what the no-JavaScript search
    filters the field's queryset with; `depends_on` (a village picker: "kecamatan") names both the
    form field it follows (the field's name with "desa" replaced, as picker.js does) and the
    queryset's foreign key to it."""

    attrs: dict[str, Any]
    choices: Any

    def __init__(
        self,
        *args: Any,
        search_url: str = "",
        depends_on: str = "",
        search_lookup: str = "",
        label_from_instance: Callable[[Any], str] = str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.search_url = search_url
        self.depends_on = depends_on
        self.search_lookup = search_lookup
        self.label_from_instance = label_from_instance
        # Set by PickerFormMixin.picker_search for the page it renders.
        self.query = ""
        self.note = ""
        self.matches: list[tuple[str, str]] | None = None  # people shown as checkboxes/radios, or the <select>
        if depends_on:
            # The select narrows to the chosen value of that field (villages of a district).
            self.attrs["data-depends-on"] = depends_on

    @property
    def search_url(self) -> str:
        return self.attrs.get("data-picker", "")

    @search_url.setter
    def search_url(self, url: str) -> None:
        if url:
            self.attrs["data-picker"] = url
        else:
            self.attrs.pop("data-picker", None)

    @property
    def use_fieldset(self) -> bool:  # type: ignore[override]
        # A list of checkboxes is a group: the field's label becomes its legend (a <label for> would
        # point at no input).
        return self.matches is not None

    class Media:
        js = (PICKER_JS,)
        css = {"all": (PICKER_CSS,)}

    # --- rendering ---------------------------------------------------------------------------------
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        attrs = dict(attrs or {})
        field_id = attrs.get("id") or f"id_{name}"
        if self.matches is not None:
            body = self._render_matches(name, value, field_id)
        elif self.search_lookup:
            body = self._render_chosen(name, value, attrs, renderer)
        else:
            body = super().render(name, value, attrs, renderer)  # type: ignore[misc]
        if self.depends_on:
            return body + self._render_district_button(name, field_id)
        if self.search_lookup:
            return self._render_search_box(name, field_id) + body
        return body

    def _render_chosen(self, name: str, value: Any, attrs: dict[str, Any], renderer: Any) -> SafeString:
        """A person picker's <select> holds only the people chosen (#14): at Garut scale the field
        accepts ~15,000 members, 700 KB of <option>s nobody scrolls. The search (the JavaScript's
        or the no-JavaScript button) is how a person is added; validation still takes the field's
        whole queryset, which the field keeps as this widget's choices."""
        queryset = getattr(self.choices, "queryset", None)  # a ModelChoiceField's own choices
        values = value if isinstance(value, list | tuple) else [value]
        ids = _ids(getattr(v, "pk", v) for v in values if v not in (None, ""))
        rows = list(queryset.filter(pk__in=ids)) if queryset is not None and ids else []
        rows.sort(key=lambda obj: ids.index(str(obj.pk)))
        chosen = copy.copy(self)  # this render's choices only; the field's stay for validation
        empty = [] if getattr(self, "allow_multiple_selected", False) else [("", "---------")]
        chosen.choices = [*empty, *((str(obj.pk), self.label_from_instance(obj)) for obj in rows)]
        return super(_PickerMixin, chosen).render(name, value, attrs, renderer)  # type: ignore[misc]

    def _render_search_box(self, name: str, field_id: str) -> SafeString:
        # The box keeps its own id: picker.js gives the select's search box "<id>-search".
        return format_html(
            '<div class="picker-nojs mb-2" id="{id}_nojs">'
            '<label class="form-label small mb-1" for="{id}{q}">{label}</label>'
            '<div class="input-group">'
            '<input type="search" class="form-control" id="{id}{q}" name="{name}{q}" value="{query}"'
            ' maxlength="{max}" autocomplete="off">'
            '<input type="hidden" name="{name}{shown}" value="{query}">'
            '<button type="submit" class="btn btn-outline-success" name="{button}" value="{name}"'
            " formnovalidate>{search}</button>"
            "</div>{note}</div>",
            id=field_id,
            q=QUERY_SUFFIX,
            shown=SHOWN_SUFFIX,
            label=_("Find by name (at least two letters)"),
            name=name,
            query=self.query,
            max=MAX_QUERY,
            button=SEARCH_BUTTON,
            search=_("Search"),
            note=self._render_note(),
        )

    def _render_district_button(self, name: str, field_id: str) -> SafeString:
        return format_html(
            '<div class="picker-nojs mt-2" id="{id}_nojs">'
            '<button type="submit" class="btn btn-sm btn-outline-secondary" name="{button}" value="{name}"'
            " formnovalidate>{show}</button>{note}</div>",
            id=field_id,
            button=SEARCH_BUTTON,
            name=name,
            show=_("Show the villages of the chosen district"),
            note=self._render_note(),
        )

    def _render_note(self) -> SafeString | str:
        return format_html('<div class="form-text" role="status">{}</div>', self.note) if self.note else ""

    def _render_matches(self, name: str, value: Any, field_id: str) -> SafeString:
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
        kind = "checkbox" if getattr(self, "allow_multiple_selected", False) else "radio"
        rows = format_html_join(
            "",
            '<div class="form-check"><input class="form-check-input" type="{}" name="{}" value="{}" id="{}_{}"{}>'
            '<label class="form-check-label" for="{}_{}">{}</label></div>',
            (
                (kind, name, pk, field_id, i, " checked" if pk in chosen else "", field_id, i, label)
                for i, (pk, label) in enumerate(self.matches or [])
            ),
        )
        return format_html('<div class="picker-matches" id="{}">{}</div>', field_id, rows)


class PickerSelect(_PickerMixin, forms.Select):
    pass


class PickerSelectMultiple(_PickerMixin, forms.SelectMultiple):
    pass


def picker_results(rows: list[tuple[int | str, str, str]]) -> dict[str, Any]:
    """The endpoints' one JSON shape: [{id, label, group}] (group: the KPMI or district shown beside)."""
    return {"results": [{"id": str(pk), "label": label, "group": group} for pk, label, group in rows]}


# --- the search without JavaScript -------------------------------------------------------------------


def _ids(values: Iterable[Any]) -> list[str]:
    """The ids among posted values: the pickers' keys are numbers (members) or BPS codes (digits);
    anything else is left to the field's validation, never sent to a query."""
    return [text for text in (str(v).strip() for v in values) if text.isascii() and text.isdigit() and len(text) <= 18]


def parent_field_name(name: str, depends_on: str) -> str:
    """The field a village picker follows: "desa" -> "kecamatan", "new_client_desa" ->
    "new_client_kecamatan" (the rule picker.js uses)."""
    return name[: -len("desa")] + depends_on if name.endswith("desa") else depends_on


class PickerFormMixin:
    """For a form with pickers: `picker_search()` narrows them to what the bound data asks for."""

    # Provided by forms.BaseForm (add_prefix too).
    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def _picker_values(self, name: str) -> list[str]:
        key = self.add_prefix(name)
        getlist = getattr(self.data, "getlist", None)
        raw = getlist(key) if getlist else self.data.get(key, [])
        return _ids([raw] if isinstance(raw, str | int) else raw or [])

    def _query(self, name: str, suffix: str = QUERY_SUFFIX) -> str:
        return " ".join(str(self.data.get(self.add_prefix(name) + suffix) or "").split())[:MAX_QUERY]

    def typed_search(self) -> bool:
        """Whether a person picker's search box holds text typed since the page showed its
        matches: Enter there (without JavaScript) sent the form with its default Save button, but
        the user asked to search."""
        if not self.is_bound:
            return False
        return any(
            isinstance(field.widget, _PickerMixin)
            and field.widget.search_lookup
            and self._query(name) not in ("", self._query(name, SHOWN_SUFFIX))
            for name, field in self.fields.items()
        )

    def picker_search(self, *, searching: bool = False) -> None:
        """Narrow every picker of a bound form: a person picker whose search box holds a query to
        its matches plus the members already chosen; a village picker to the villages of the chosen
        district. A village of another district chosen before stays visible beside its error when
        the form was saved, and is dropped when the user asked for the district's villages."""
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            widget = field.widget
            if not isinstance(widget, _PickerMixin) or not hasattr(field, "queryset"):
                continue
            if widget.depends_on:
                self._narrow_villages(name, field, widget, keep_chosen=not searching)
            elif widget.search_lookup:
                self._search_people(name, field, widget)

    def _search_people(self, name: str, field: Any, widget: _PickerMixin) -> None:
        query = self._query(name)
        widget.query = query
        if not query:
            return
        if len(query) < MIN_QUERY:
            widget.note = _("Type at least two letters.")
            return
        found = list(field.queryset.filter(**{widget.search_lookup: query})[: MAX_MATCHES + 1])
        more = len(found) > MAX_MATCHES
        found = found[:MAX_MATCHES]
        shown = {str(obj.pk) for obj in found}
        missing = [pk for pk in self._picker_values(name) if pk not in shown]
        chosen = list(field.queryset.filter(pk__in=missing)) if missing else []
        widget.matches = [(str(obj.pk), widget.label_from_instance(obj)) for obj in [*chosen, *found]]
        if not found:
            widget.note = _("Nobody found for “%(query)s”.") % {"query": query}
        elif more:
            widget.note = _("The first %(n)s found; type more of the name to narrow it.") % {"n": MAX_MATCHES}
        else:
            widget.note = _("%(n)s found.") % {"n": len(found)}

    def _narrow_villages(self, name: str, field: Any, widget: _PickerMixin, *, keep_chosen: bool) -> None:
        parent = self.fields.get(parent_field_name(name, widget.depends_on))
        picked = self._picker_values(parent_field_name(name, widget.depends_on))
        if parent is None or not picked or not hasattr(parent, "queryset"):
            return
        district = parent.queryset.filter(pk=picked[0]).first()
        if district is None:
            return
        chosen = self._picker_values(name)[:1] if keep_chosen else []
        rows = field.queryset.filter(**{widget.depends_on: district}) | field.queryset.filter(pk__in=chosen)
        rows = rows.select_related(widget.depends_on).order_by(f"{widget.depends_on}__name", "name")
        widget.choices = [("", "---------")] + [
            (str(group), [(obj.pk, widget.label_from_instance(obj)) for obj in items])
            for group, items in groupby(rows, key=lambda obj: getattr(obj, widget.depends_on))
        ]
        widget.note = _("The villages of %(district)s.") % {"district": district}


def picker_searched(request: HttpRequest, form: Any) -> bool:
    """Call in a view before validating a form with pickers. Narrows the pickers of a sent form
    (also when it comes back with errors, so the lists stay as the user left them) and answers
    whether a picker's own button sent it, or Enter in a search box with a new query (see
    SHOWN_SUFFIX): then the view must not save but show the same form again,
    without errors (the user is still filling it in) and saying nothing was saved yet."""
    if request.method != "POST":
        return False
    searching = SEARCH_BUTTON in request.POST or (isinstance(form, PickerFormMixin) and form.typed_search())
    if isinstance(form, PickerFormMixin):
        form.picker_search(searching=searching)
    if not searching:
        return False
    form._errors = ErrorDict()  # noqa: SLF001 - Django's own cache of errors: no validation shown yet
    form.cleaned_data = {}
    messages.info(request, _("Not saved yet: the list was narrowed. Press Save when the form is complete."))
    return True
