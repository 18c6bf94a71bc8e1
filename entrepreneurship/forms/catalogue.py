"""Forms of the catalogue: a KPMI's service, KOMTIK's template, a free-service rule, adopting a
template. They check what a field alone can tell; the rules live in services.catalogue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpmi_si.concurrency import VersionedFormMixin
from kpmi_si.idempotency.forms import IdempotentFormMixin
from kpmi_si.money import RupiahFormField
from members.models import Kecamatan, Level

from ..models import ClientCategory, Service, ServiceTemplate, Unit


class ServiceForm(IdempotentFormMixin, VersionedFormMixin, forms.ModelForm):
    price = RupiahFormField(label=_("Price (Rp)"), help_text=_("Per unit, for example 150.000. 0 for a free service."))

    class Meta:
        model = Service
        fields = ["name", "description", "unit", "price", "work_kind", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"work_kind": _("A delivered order of this service can become this logged work.")}


class AdoptForm(IdempotentFormMixin, forms.Form):
    """A template adopted by a KPMI: prefilled with the template, priced by the KPMI."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    price = RupiahFormField(label=_("Your price (Rp)"), help_text=_("KOMTIK suggests a price; your KPMI sets its own."))

    def __init__(self, *args: Any, template: ServiceTemplate, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": template.name,
                "description": template.description,
                "unit": template.unit,
                "price": template.suggested_price,
            },
        )
        super().__init__(*args, **kwargs)


class TemplateForm(IdempotentFormMixin, VersionedFormMixin, forms.ModelForm):
    suggested_price = RupiahFormField(label=_("Suggested price (Rp)"))

    class Meta:
        model = ServiceTemplate
        fields = ["name", "description", "unit", "suggested_price", "work_kind", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RuleForm(forms.Form):
    """A free-service rule from building blocks: every condition given must hold."""

    client_level = forms.TypedChoiceField(
        label=_("Client is a member at level"),
        choices=[("", _("Any (no condition)")), *Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    client_category = forms.ChoiceField(
        label=_("Client is an outside client in category"),
        choices=[("", _("Any (no condition)")), *ClientCategory.choices],
        required=False,
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Client is in district"),
        queryset=Kecamatan.objects.order_by("name"),
        required=False,
        empty_label=_("Any (no condition)"),
    )
