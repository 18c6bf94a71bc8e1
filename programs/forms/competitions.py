"""The form a competition is opened with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpmi_si.idempotency.forms import IdempotentFormMixin

from ..models import (
    PARTICIPANTS_NEED_EDUCATION,
    Competition,
    Kind,
)


class CompetitionForm(IdempotentFormMixin, forms.ModelForm):
    class Meta:
        model = Competition
        fields = ["title", "period", "kind", "measure", "entrants", "winners"]
        help_texts = {
            "measure": _("Education participants adds up the people taught in the approved ICT education sessions.")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from associations.models import PERIOD_ORDER, Period

        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(status=Period.Status.OPEN).order_by(*PERIOD_ORDER)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # On the field, before the model's constraint check would say it for the form as a whole.
        if data.get("measure") == Competition.Measure.PARTICIPANTS and data.get("kind") != Kind.EDUCATION:
            self.add_error("measure", PARTICIPANTS_NEED_EDUCATION)
        return data
