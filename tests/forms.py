"""What a browser would send back from a rendered form: every field's value as it was shown,
hidden fields included. Tests that play two people with the same page open start from this."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def form_data(form: forms.BaseForm, **changes: Any) -> dict[str, Any]:
    """The values `form` shows, as POST data, with `changes` on top. Unticked checkboxes and file
    inputs send nothing, as in a browser."""
    data: dict[str, Any] = {}
    for bound in form:
        if isinstance(bound.field, forms.FileField):
            continue
        value = bound.value()
        if isinstance(bound.field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if getattr(bound.field.widget, "allow_multiple_selected", False):
            data[bound.html_name] = [_plain(v) for v in value or []]
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [_plain(v) for v in value]
        else:
            data[bound.html_name] = _plain(value)
    data.update(changes)
    return data


def opened_now(data: dict[str, Any], record: Any) -> dict[str, Any]:
    """`data` as sent from an edit form of `record` opened just now: with the record's current
    version (kpmi_si.concurrency), as the page would carry it."""
    from kpmi_si.concurrency import VERSION_FIELD, record_version

    return {**data, VERSION_FIELD: record_version(type(record).objects.get(pk=record.pk))}
