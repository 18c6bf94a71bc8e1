"""Forms of the content market. They check what one field can tell (an amount, a share, a date);
the rules that need the records (a published article, one exclusive sale, the balance) are the
services'."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpmi_si.concurrency import VersionedFormMixin
from kpmi_si.idempotency.forms import IdempotentFormMixin
from kpmi_si.money import RupiahFormField
from members.forms import DateInput
from members.models import Kpmi, Member

from ..models import Article, Buyer, PayoutMethod, RevenueShare, Sale, State

# One article's fee above Rp 1 billion is a typo (a few zeros too many), not a sale.
MAX_FEE = Decimal("1000000000")
REASON_MAX = 1000


class BuyerForm(IdempotentFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Buyer
        fields = ["name", "kind", "contact", "active"]


class SaleForm(IdempotentFormMixin, forms.Form):
    article = forms.ModelChoiceField(
        label=_("Article number"),
        queryset=Article.objects.all(),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("The number in the article's address: /berita/<number>/…"),
        error_messages={"invalid_choice": _("There is no article with this number.")},
    )
    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=Buyer.objects.filter(active=True))
    kind = forms.ChoiceField(label=_("Kind of sale"), choices=Sale.Kind.choices)
    amount = RupiahFormField(label=_("Fee"), min_value=Decimal("0.01"), max_value=MAX_FEE)
    date = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())

    def clean_article(self) -> Article:
        article = self.cleaned_data["article"]
        if article.state not in State.PUBLIC:
            raise forms.ValidationError(_("Only a published article can be sold."))
        return article


class SaleCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class ShareForm(forms.Form):
    scope = forms.ChoiceField(label=_("Applies to"), choices=RevenueShare.Scope.choices)
    kpmi = forms.ModelChoiceField(label=_("KPMI"), queryset=Kpmi.objects.order_by("name"), required=False)
    author = forms.ModelChoiceField(
        label=_("Author"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("Authors with a published article."),
    )
    author_percent = forms.CharField(
        label=_("Author's share (%)"),
        max_length=8,
        help_text=_("The rest of each fee goes to the author's KPMI."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = (
            Member.objects.filter(articles__state__in=State.PUBLIC).distinct().order_by("full_name")
        )

    def clean_author_percent(self) -> Decimal:
        raw = self.cleaned_data["author_percent"].strip().replace(",", ".").rstrip("%").strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter a share in percent, for example 60 or 62,5.")) from None
        if not value.is_finite() or not (Decimal("0") <= value <= Decimal("100")):
            raise forms.ValidationError(_("A share is between 0 and 100 %."))
        if value != value.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("A share has at most two decimals."))
        return value.quantize(Decimal("0.01"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scope = data.get("scope")
        if scope == RevenueShare.Scope.KPMI and not data.get("kpmi"):
            self.add_error("kpmi", _("Choose the KPMI this share is for."))
        if scope == RevenueShare.Scope.AUTHOR and not data.get("author"):
            self.add_error("author", _("Choose the author this share is for."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        scope = data["scope"]
        return {
            "percent": data["author_percent"],
            "kpmi": data.get("kpmi") if scope == RevenueShare.Scope.KPMI else None,
            "author": data.get("author") if scope == RevenueShare.Scope.AUTHOR else None,
        }


class PayoutForm(IdempotentFormMixin, forms.Form):
    amount = RupiahFormField(label=_("Amount"), min_value=Decimal("0.01"))
    date = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=PayoutMethod.choices)
    reference = forms.CharField(
        label=_("Reference"), max_length=100, required=False, help_text=_("Transfer number or receipt, if any.")
    )
