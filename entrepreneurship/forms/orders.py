"""Forms of orders: recording one (client, service, quantity, date, an optional override of the price
with its reason), paying it, cancelling it, and the pre-filled work-logging form of a delivered one."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpmi_si.idempotency.forms import IdempotentFormMixin
from kpmi_si.money import RupiahFormField
from kpmi_si.picker import PickerFormMixin, PickerSelect
from members.forms import DateInput
from members.models import Desa, Kecamatan, Kpmi, Level, Member

from ..models import MAX_QUANTITY, ClientCategory, Order, PaymentMethod, WorkKind
from ..selectors.catalogue import offered_services
from ..selectors.orders import clients_of

MEMBER, CLIENT, NEW_CLIENT = "member", "client", "new"


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return value


def desa_choices() -> list[Any]:
    """Villages grouped by district: a long list that stays usable without JavaScript."""
    desa = Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "name")
    return [("", "---------")] + [
        (kecamatan, [(d.code, d.name) for d in items])
        for kecamatan, items in groupby(desa, key=lambda d: d.kecamatan.name)
    ]


class OrderForm(PickerFormMixin, IdempotentFormMixin, forms.Form):
    client_type = forms.ChoiceField(
        label=_("Client"),
        choices=[
            (MEMBER, _("A member of a KPMI")),
            (CLIENT, _("A client of this KPMI")),
            (NEW_CLIENT, _("A new outside client")),
        ],
        widget=forms.RadioSelect,
        initial=MEMBER,
    )
    member = forms.ModelChoiceField(
        label=_("Member number"),
        queryset=Member.objects.filter(anonymised_at__isnull=True),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid_choice": _("No member has this number. Search by name above.")},
        help_text=_("A member of any KPMI. Find the number with the search above."),
    )
    client = forms.ModelChoiceField(label=_("Client of this KPMI"), queryset=Order.objects.none(), required=False)
    new_client_name = forms.CharField(label=_("New client: name"), max_length=150, required=False)
    new_client_category = forms.ChoiceField(
        label=_("New client: category"), choices=[("", "---------"), *ClientCategory.choices], required=False
    )
    new_client_kecamatan = forms.ModelChoiceField(
        label=_("New client: district"), queryset=Kecamatan.objects.order_by("name"), required=False
    )
    new_client_desa = forms.ModelChoiceField(
        label=_("New client: village"), queryset=Desa.objects.all(), required=False
    )
    new_client_contact = forms.CharField(label=_("New client: phone or e-mail"), max_length=100, required=False)
    service = forms.ModelChoiceField(label=_("Service"), queryset=Order.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1)
    date = forms.DateField(label=_("Date"), widget=DateInput(), validators=[_not_in_future])
    override_unit_price = RupiahFormField(
        label=_("Another unit price (Rp)"),
        required=False,
        help_text=_("Leave empty to charge the computed price. A changed price needs a reason."),
    )
    override_reason = forms.CharField(
        label=_("Reason for the changed price"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, kpmi: Kpmi, **kwargs: Any) -> None:
        self.kpmi = kpmi
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients_of(kpmi=kpmi)
        self.fields["service"].queryset = offered_services(kpmi=kpmi)
        # The villages follow the chosen district with JavaScript (#14); grouped by district without it.
        self.fields["new_client_desa"].widget = PickerSelect(
            search_url=reverse("members:desa_options"), depends_on="kecamatan"
        )
        self.fields["new_client_desa"].widget.choices = desa_choices()
        self.fields["new_client_kecamatan"].initial = kpmi.kecamatan_id
        self.fields["date"].initial = timezone.localdate()
        self.fields["quantity"].widget.attrs.update({"inputmode": "numeric"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("client_type")
        if kind == MEMBER and not data.get("member") and "member" not in self.errors:
            self.add_error("member", _("Enter the member's number."))
        elif kind == CLIENT and not data.get("client") and "client" not in self.errors:
            self.add_error("client", _("Choose a client of this KPMI."))
        elif kind == NEW_CLIENT:
            for name, message in (
                ("new_client_name", _("Enter the client's name.")),
                ("new_client_category", _("Choose the client's category.")),
                ("new_client_kecamatan", _("Choose the client's district.")),
            ):
                if not str(data.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, message)
            desa, kecamatan = data.get("new_client_desa"), data.get("new_client_kecamatan")
            if desa is not None and kecamatan is not None and desa.kecamatan_id != kecamatan.pk:
                self.add_error("new_client_desa", _("This village is not in the chosen district."))
        price = data.get("override_unit_price")
        if price is not None and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Say why the price is changed."))
        return data

    def client_kwargs(self) -> dict[str, Any]:
        """The client, as order_create takes it."""
        data = self.cleaned_data
        kind = data.get("client_type")
        if kind == MEMBER:
            return {"member": data["member"]}
        if kind == CLIENT:
            return {"client": data["client"]}
        return {
            "new_client": {
                "name": data["new_client_name"],
                "category": data["new_client_category"],
                "kecamatan": data["new_client_kecamatan"],
                "desa": data.get("new_client_desa"),
                "contact": data.get("new_client_contact") or "",
            }
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "service": data["service"],
            "quantity": data["quantity"],
            "date": data["date"],
            "override_unit_price": data.get("override_unit_price"),
            "override_reason": data.get("override_reason") or "",
            "note": data.get("note") or "",
            **self.client_kwargs(),
        }


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("Paid by"), choices=[c for c in PaymentMethod.choices if c[0]])
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), validators=[_not_in_future])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the order is cancelled."))
        return reason


def work_initial(order: Order) -> dict[str, Any]:
    """The work-logging form's values taken from the order: nothing typed twice."""
    if order.member_id:
        kecamatan, desa = order.member.kpmi.kecamatan_id, order.member.kpmi.desa_id
    else:
        kecamatan, desa = order.client.kecamatan_id, order.client.desa_id
    summary = _("Order %(label)s: %(client)s, %(quantity)s × %(unit)s.") % {
        "label": order.receipt_label,
        "client": order.client_name,
        "quantity": order.quantity,
        "unit": order.service.get_unit_display(),
    }
    initial: dict[str, Any] = {
        "title": order.service.name if order.member_id else f"{order.service.name} — {order.client_name}"[:200],
        "date": order.date,
        "kecamatan": kecamatan,
        "desa": desa,
        "summary": summary,
    }
    kind = order.service.work_kind
    if kind == WorkKind.TRAINING:
        if order.member_id and order.member.kpmi_id == order.kpmi_id:
            initial["trainees"] = [order.member_id]
        if order.member_id and order.member.level == Level.TRAINER_CANDIDATE:
            initial["trainee_group"] = "candidates"
    elif kind == WorkKind.EDUCATION:
        initial["participants"] = order.quantity if order.service.unit == "participant" else None
    elif kind == WorkKind.DEPLOYMENT:
        initial["site_name"] = order.client_name[:150]
        if order.client_id and order.client.category == ClientCategory.SCHOOL:
            initial["site_type"] = "school"
    return {name: value for name, value in initial.items() if value is not None}
