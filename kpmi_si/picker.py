"""The search-as-you-type picker (#14): one widget for every long list of people or places.

It renders the plain <select> (so the form works, and posts the same field names and ids, without
JavaScript, and an offline-queued post still validates), with data attributes that
static/js/picker.js reads to put a search box and a list of chosen items over it; the search asks a
server-side JSON endpoint, scoped to what the user may pick. Validation stays the field's: an id
outside its queryset is a field error whatever the page sent."""

from __future__ import annotations

from typing import Any

from django import forms

PICKER_JS = "js/picker.js"
PICKER_CSS = "css/picker.css"


class _PickerMixin:
    """The data attributes live in `attrs` (not added at render time): crispy's select template
    renders `attrs` itself."""

    attrs: dict[str, Any]

    def __init__(self, *args: Any, search_url: str = "", depends_on: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.search_url = search_url
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

    class Media:
        js = (PICKER_JS,)
        css = {"all": (PICKER_CSS,)}


class PickerSelect(_PickerMixin, forms.Select):
    pass


class PickerSelectMultiple(_PickerMixin, forms.SelectMultiple):
    pass


def picker_results(rows: list[tuple[int | str, str, str]]) -> dict[str, Any]:
    """The endpoints' one JSON shape: [{id, label, group}] (group: the KPMI or district shown beside)."""
    return {"results": [{"id": str(pk), "label": label, "group": group} for pk, label, group in rows]}
