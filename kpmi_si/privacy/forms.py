from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the name, contact details and birth year are removed for good."),
        required=True,
    )


class ReviewForm(forms.Form):
    """The flagged text, to edit or to keep. Saving it unchanged keeps it."""

    text = forms.CharField(label=_("Text"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8}))

    def clean_text(self) -> Any:
        # Browsers send line breaks as \r\n; the stored text has \n, and must not look edited for that.
        return self.cleaned_data["text"].replace("\r\n", "\n")
