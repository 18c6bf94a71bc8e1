"""The ledger's forms: the period and category a page or an export shows, a manual posting, a reversal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kpmi_si.idempotency.forms import IdempotentFormMixin
from kpmi_si.money import RupiahFormField
from members.forms import DateInput

from ..models import MANUAL_CATEGORIES, Category

EARLIEST_YEAR = 2000  # KOMTIK Garut's groups keep no books from before; a smaller year is a typo


def not_in_future(value: dt.date | None) -> dt.date | None:
    if value and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return value


class PeriodForm(forms.Form):
    """What part of the books a page or a download covers: a year (the default: this year) or a range
    of dates, and optionally one category. Read from the query string; anything unreadable is said on
    its field and the page shows this year instead."""

    tahun = forms.IntegerField(label=_("Year"), required=False)
    dari = forms.DateField(label=_("From"), required=False, widget=DateInput())
    sampai = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    kategori = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, with_category: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tahun"].initial = timezone.localdate().year
        if with_category:
            self.fields["kategori"].choices = [("", _("All categories")), *Category.choices]
        else:
            del self.fields["kategori"]

    def clean_tahun(self) -> int | None:
        year = self.cleaned_data.get("tahun")
        last = timezone.localdate().year + 1
        if year is not None and not EARLIEST_YEAR <= year <= last:
            raise ValidationError(
                _("Choose a year between %(first)s and %(last)s.") % {"first": EARLIEST_YEAR, "last": last}
            )
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end and start > end:
            self.add_error("sampai", _("The end of the period comes before its start."))
        return data

    def period(self) -> tuple[dt.date | None, dt.date | None, int | None]:
        """(start, end, year): the range asked for when valid, otherwise this year. A range open on one
        side is open (None)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("dari") or data.get("sampai"):
            return data.get("dari"), data.get("sampai"), None
        year = data.get("tahun") or timezone.localdate().year
        return dt.date(year, 1, 1), dt.date(year, 12, 31), year

    def category(self) -> str:
        if "kategori" not in self.fields or not (self.is_bound and self.is_valid()):
            return ""
        return self.cleaned_data.get("kategori") or ""


class PostingForm(IdempotentFormMixin, forms.Form):
    """An operating cost or a donation typed by a keeper. Service income and business contributions
    are not offered: they come from paid orders and settled business months."""

    date = forms.DateField(label=_("Date"), widget=DateInput(), validators=[not_in_future])
    category = forms.ChoiceField(label=_("Category"))
    amount = RupiahFormField(label=_("Amount"), min_value=Decimal("0.01"))
    description = forms.CharField(label=pgettext_lazy("ledger", "Description"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "---------")] + [
            (code, label) for code, label in Category.choices if code in MANUAL_CATEGORIES
        ]
        self.fields["date"].initial = timezone.localdate

    def clean_description(self) -> str:
        text = " ".join(self.cleaned_data["description"].split())
        if not text:
            raise ValidationError(_("Say what this money was for."))
        return text


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this posting reversed?"), max_length=180, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reason(self) -> str:
        text = " ".join(self.cleaned_data["reason"].split())
        if not text:
            raise ValidationError(_("Say why this posting is reversed."))
        return text
