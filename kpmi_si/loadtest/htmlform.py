"""What a browser would submit for a form as rendered: every named field with its initial value.
Enough for the load scenario to post the work form the server rendered, hidden fields included (the
CSRF token, and an idempotency key where the form carries one), without knowing its fields by heart."""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED_TYPES = {"file", "submit", "button", "reset", "image"}


class _Forms(HTMLParser):
    def __init__(self, fill_selects: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.fill_selects = fill_selects
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: tuple[str, bool, bool] | None = None  # name, multiple, required
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in SKIPPED_TYPES or (kind in ("checkbox", "radio") and "checked" not in a):
                return
            self._form.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in a, "required" in a), []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple, required = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]  # a browser submits the first option of a plain select
            if self.fill_selects and required and not multiple and chosen in ([], [""]):
                # A required choice left on "---------": a person picks the first real option.
                chosen = [next((value for value, _ in self._options if value), "")]
            self._form.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def form_fields(html: str, *, having: str, fill_selects: bool = False) -> list[tuple[str, str]]:
    """The fields of the first form on the page that has a field named `having`; with `fill_selects`,
    a required plain select left on its empty choice gets its first real option."""
    parser = _Forms(fill_selects)
    parser.feed(html)
    for fields in parser.forms:
        if any(name == having for name, _ in fields):
            return fields
    raise ValueError(f"no form with a field {having!r} on the page")
