"""Forms of pioneers' businesses: registering one, an income or a cost, closing, settling a month."""

from __future__ import annotations

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
from members.models import Kpmi, Level, Member

from ..models import BusinessKind, EntryKind
from .ledger import not_in_future


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m", **kwargs)


class BusinessForm(IdempotentFormMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("Pioneer"), queryset=Member.objects.none())
    name = forms.CharField(label=_("Name of the business"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=BusinessKind.choices)
    started_on = forms.DateField(label=_("Started on"), widget=DateInput(), validators=[not_in_future])
    pledged_share = forms.DecimalField(
        label=_("Share of profit pledged to the KPMI (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("More than 0 and at most 100."),
    )

    def __init__(self, *args: Any, kpmi: Kpmi, owner: Member | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kpmi = kpmi
        if owner is not None:
            # A pioneer registers their own business: no one else to choose.
            del self.fields["owner"]
            self.owner = owner
        else:
            # Every member of the group is accepted by the field, so choosing a non-pioneer gets
            # the rule's own message rather than "not one of the choices".
            members = Member.objects.filter(kpmi=kpmi, anonymised_at__isnull=True)
            self.fields["owner"].queryset = members
            self.fields["owner"].choices = [("", "---------")] + [
                (m.pk, m.full_name) for m in members.filter(level=Level.PIONEER).order_by("full_name")
            ]

    def clean_owner(self) -> Member:
        owner = self.cleaned_data["owner"]
        if owner.level != Level.PIONEER:
            raise ValidationError(_("Only a pioneer of this KPMI can run a business for it."))
        return owner

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise ValidationError(_("Enter the name of the business."))
        return name

    def clean_pledged_share(self) -> Decimal:
        share = self.cleaned_data["pledged_share"]
        if not Decimal("0") < share <= Decimal("100"):
            raise ValidationError(_("The share must be more than 0 and at most 100 percent."))
        return share

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "owner" not in data:
            data["owner"] = self.owner
        return data


class BusinessEntryForm(IdempotentFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Income or cost"), choices=EntryKind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput(), validators=[not_in_future])
    amount = RupiahFormField(label=_("Amount"), min_value=Decimal("0.01"))
    description = forms.CharField(label=pgettext_lazy("ledger", "Description"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate

    def clean_description(self) -> str:
        text = " ".join(self.cleaned_data["description"].split())
        if not text:
            raise ValidationError(_("Say what this income or cost was."))
        return text


class BusinessCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), validators=[not_in_future])


class BusinessSettleForm(forms.Form):
    """A month to settle; which months can be (ended, within the business's life, not settled yet) is
    services.businesses.business_settle_month's to say, its errors shown on this field."""

    month = forms.DateField(label=_("Month"), widget=MonthInput(), input_formats=["%Y-%m", "%Y-%m-%d"])
