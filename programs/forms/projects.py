"""Forms of volunteer projects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kpmi_si.idempotency.forms import IdempotentFormMixin
from members.forms import DateInput

from ..models import (
    VolunteerProject,
)


class VolunteerProjectForm(IdempotentFormMixin, forms.ModelForm):
    class Meta:
        model = VolunteerProject
        fields = list(VolunteerProject.EDITABLE_FIELDS)
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "needs": forms.Textarea(attrs={"rows": 3})}


class ProjectCompleteForm(forms.Form):
    date = forms.DateField(label=_("Date finished"), widget=DateInput())
    beneficiaries = forms.IntegerField(label=_("Beneficiaries"), min_value=1)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProjectCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to every manager who signed up."),
    )
