"""Optimistic concurrency for edit forms: a form remembers the version of the record it was opened
on, and the service refuses to save it over a newer one.

Several people keep the same records (a group's managers and supervisors, the officers of an
association). Without this, the second of two people editing the same member saves the values
their page showed and silently undoes the first one's change.

The version is the row's `updated_at`. Every save stamps it anew (`auto_now`), whoever saves:
the edit services, level changes, approvals, the Django admin. So no writer can forget to move it,
as one could forget to increment a counter. The service compares it under `select_for_update`, so
two saves of the same version cannot both pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "version"
STALE = "stale"  # the error code of a refused stale form

# (label, value now stored) of a field the stale form would change.
Difference = tuple[str, str]


def record_version(record: models.Model) -> str:
    """The version a form carries: the moment of the record's last save, in UTC."""
    stamp: dt.datetime = record.updated_at
    return stamp.astimezone(dt.UTC).isoformat()


def _parse(version: str) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(version)
    except ValueError:
        return None
    return stamp if timezone.is_aware(stamp) else None


def is_current(record: models.Model, version: str) -> bool:
    stamp = _parse(version)
    return stamp is not None and stamp == record.updated_at


def display(value: Any, record: models.Model | None = None, field: models.Field | None = None) -> str:
    """A stored value as a person reads it in a message."""
    if record is not None and field is not None and field.choices and value not in (None, ""):
        value = getattr(record, f"get_{field.name}_display")()
    if value in (None, ""):
        return "—"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, list | tuple):
        return ", ".join(display(v) for v in value) or "—"
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else f"{text[:79]}…"


def _same(stored: Any, submitted: Any) -> bool:
    if isinstance(submitted, str):
        submitted = submitted.strip()
    if stored in (None, "") and submitted in (None, ""):
        return True
    return stored == submitted


def field_differences(record: models.Model, names: Iterable[str], data: dict[str, Any]) -> list[Difference]:
    """The fields of `record` among `names` whose stored value differs from what `data` would
    write, with the value stored now."""
    differences = []
    for name in names:
        if name not in data:
            continue
        stored = getattr(record, name)
        if _same(stored, data[name]):
            continue
        field = record._meta.get_field(name)
        differences.append((capfirst(str(field.verbose_name)), display(stored, record, field)))
    return differences


class StaleRecordError(ValidationError):
    """The form was opened on an older version of the record than the one stored. A form-wide
    error (no field), so views show it above the form with their usual `apply_service_errors`."""


def _last_change(record: models.Model) -> str:
    from kpmi_si.audit.selectors import audit_entries_for

    entry = audit_entries_for(record).first()
    if entry is None:
        return ""
    who = str(entry.actor) if entry.actor is not None else gettext("the system")
    return gettext("Last change: %(who)s, %(time)s.") % {"who": who, "time": display(entry.at)}


def version_check(*, stored: models.Model, version: str | None, differences: Sequence[Difference]) -> None:
    """Refuse a write prepared on an older version of `stored` (which the caller has locked).

    `version=None` means the caller works on the stored row itself (a job, another service) and
    checks nothing. A stale form that would change nothing (the same form sent twice) is let
    through: there is nothing it could undo."""
    if version is None or is_current(stored, version) or not differences:
        return
    parts = [gettext("This record was changed by someone else since you opened it, so your changes were not saved.")]
    last = _last_change(stored)
    if last:
        parts.append(last)
    parts.append(
        gettext("Saved now: %(values)s.") % {"values": "; ".join(f"{label}: {value}" for label, value in differences)}
    )
    parts.append(gettext("Open the form again to see the current data, then make your changes again."))
    raise StaleRecordError(" ".join(parts), code=STALE)


class VersionedFormMixin:
    """An edit form's hidden `version`: the version of the record it shows. After validation it is
    `form.loaded_version`, for the service's `version=`; it is not in `cleaned_data`, so forms that
    pass `cleaned_data` on as the record's fields need not know about it.

    A form without it (a page opened before this existed) or with a mangled one saves nothing."""

    loaded_version: str | None = None

    def versioned_record(self) -> models.Model | None:
        """The record this form edits; None on a form that creates one."""
        instance = getattr(self, "instance", None)
        return instance if instance is not None and instance.pk is not None else None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        record = self.versioned_record()
        if record is not None:
            self.fields[VERSION_FIELD] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=record_version(record)
            )

    def full_clean(self) -> None:
        super().full_clean()
        if VERSION_FIELD not in self.fields or not hasattr(self, "cleaned_data"):
            return
        version = (self.cleaned_data.pop(VERSION_FIELD, None) or "").strip()
        if _parse(version) is None:
            message = _("This form is out of date. Open it again to see the current data, then make your changes.")
            self.add_error(None, ValidationError(message, code=STALE))
            return
        self.loaded_version = version

    @property
    def is_stale(self) -> bool:
        """Refused as stale: the page offers to open the form again on the current data."""
        return self.is_bound and self.has_error(NON_FIELD_ERRORS, STALE)
