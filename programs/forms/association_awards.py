"""The form an officer grants an association award with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpmi_si.idempotency.forms import IdempotentFormMixin
from members.forms import DateInput
from members.models import Level, Member


class AssociationAwardForm(IdempotentFormMixin, forms.Form):
    association = forms.ModelChoiceField(label=_("Association"), queryset=None)
    member = forms.ModelChoiceField(label=_("Manager"), queryset=None)
    name = forms.CharField(label=_("Award"), max_length=150)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    awarded_on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, association_code: str | None, **kwargs: Any) -> None:
        from associations.models import Association

        super().__init__(*args, **kwargs)
        associations = Association.objects.all()
        if association_code:
            # An officer grants for their own association only; the field shows it, fixed.
            associations = associations.filter(code=association_code)
            self.fields["association"].initial = associations.first()
        self.fields["association"].queryset = associations
        self.fields["member"].queryset = (
            Member.objects.filter(level__gte=Level.MANAGER).select_related("kpmi").order_by("full_name")
        )
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} ({m.kpmi.name})"
