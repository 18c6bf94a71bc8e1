"""Form fields the project uses instead of Django's where Django's answer to bad input depends on the
database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet

# The largest id a BigAutoField holds.
_BIGGEST_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with an integer id beyond 64 bits refused as an unknown choice before any query:
    PostgreSQL finds no such row, but SQLite's driver (`make run`) raises OverflowError on it in the
    IN list, a server error for a tampered form."""

    def _check_values(self, value: Iterable[Any]) -> QuerySet:
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(field, models.IntegerField):
            for pk in value if isinstance(value, (list, tuple)) else ():
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # not a number at all ("²" passes isdigit): Django's own check refuses it
                if abs(number) > _BIGGEST_ID:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)
