from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from .models import IdempotencyKey

KEY_FIELD = "idempotency_key"


class IdempotentFormMixin:
    """A create form's hidden `idempotency_key`: a fresh random key each time the page is opened,
    sent back with it (and kept when the page comes back with errors: nothing was saved, so the
    key is still unused). After validation it is `form.idempotency_key`, for `views.create_once`;
    it is not in `cleaned_data`, so forms that pass `cleaned_data` to a service need not know it.

    A page sent before (its key is stored) is not validated again: what it holds now does not
    matter, the first answer stands (or a refusal, for another user). Otherwise a check that the
    first sending made fail (a name already taken: by that very record) would hide the record.

    A form sent without a key (opened before keys existed) still works, without the guarantee."""

    idempotency_key: uuid.UUID | None = None
    sent_before = False

    def creates_record(self) -> bool:
        """Whether this form creates a record (forms that also edit one say no when editing)."""
        instance = getattr(self, "instance", None)
        return instance is None or instance.pk is None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.creates_record():
            self.fields[KEY_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def _sent_key(self) -> str:
        if KEY_FIELD not in self.fields or not self.is_bound:
            return ""
        return str(self.data.get(self.add_prefix(KEY_FIELD)) or "").strip()

    def full_clean(self) -> None:
        raw = self._sent_key()
        try:
            key = uuid.UUID(raw) if raw else None
        except ValueError:
            key = None
        if key is not None and IdempotencyKey.objects.filter(key=key).exists():
            self.idempotency_key, self.sent_before = key, True
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()
        if not hasattr(self, "cleaned_data"):
            return
        self.cleaned_data.pop(KEY_FIELD, None)
        if raw and key is None:
            message = _("This form is damaged. Open it again and fill it in.")
            self.add_error(None, ValidationError(message, code="idempotency"))
        self.idempotency_key = key
