from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Kpmi, Level, Member

from .metrics import KPMI, PERCENT, THOUSAND_RUPIAH, Metric

# The target column's bound: a larger number is refused on its field, not by the database.
TARGET_MAX = 2**31 - 1


class PeriodYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000)
    quarters = forms.BooleanField(label=_("Split into quarters"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year + 1
        self.fields["year"].widget.attrs.update({"max": self.fields["year"].max_value, "inputmode": "numeric"})
        self.fields["year"].initial = timezone.localdate().year


def _unit_help(metric: Metric) -> str:
    """Who a target is for, and in what it is counted where that is not a plain number."""
    who = _("per KPMI") if metric.subject == KPMI else _("per manager")
    if metric.unit == THOUSAND_RUPIAH:
        return _("%(who)s, in thousands of Rupiah (1200 = Rp 1.200.000)") % {"who": who}
    if metric.unit == PERCENT:
        return _("%(who)s, in percent") % {"who": who}
    return who


class DefaultTargetsForm(forms.Form):
    """One number per metric of the association: the target every subject gets unless overridden."""

    def __init__(self, *args: Any, metrics: list[Metric], initial_values: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for metric in metrics:
            self.fields[metric.code] = forms.IntegerField(
                label=metric.label,
                required=False,
                min_value=0,
                max_value=TARGET_MAX,
                initial=initial_values.get(metric.code),
                help_text=_unit_help(metric),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            )


class OverrideForm(forms.Form):
    metric = forms.ChoiceField(label=_("Metric"))
    kpmi = forms.ModelChoiceField(label=_("KPMI"), queryset=Kpmi.objects.none(), required=False)
    member = forms.ModelChoiceField(label=_("Manager"), queryset=Member.objects.none(), required=False)
    value = forms.IntegerField(
        label=_("Target"), min_value=0, max_value=TARGET_MAX, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args: Any, metrics: list[Metric], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metrics = {m.code: m for m in metrics}
        self.fields["metric"].choices = [(m.code, m.label) for m in metrics]
        if any(m.subject == KPMI for m in metrics):
            self.fields["kpmi"].queryset = Kpmi.objects.exclude(status=Kpmi.Status.DISSOLVED).order_by("name")
        else:
            del self.fields["kpmi"]
        if any(m.subject != KPMI for m in metrics):
            self.fields["member"].queryset = (
                Member.objects.filter(level=Level.MANAGER).select_related("kpmi").order_by("kpmi__name", "full_name")
            )
            self.fields["member"].label_from_instance = lambda m: f"{m.full_name} ({m.kpmi.name})"
        else:
            del self.fields["member"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        metric = self.metrics.get(data.get("metric"))
        kpmi, member = data.get("kpmi"), data.get("member")
        if metric is None:
            return data
        if metric.subject == KPMI and not kpmi:
            self.add_error("kpmi", _("Choose the KPMI this target is for."))
        if metric.subject != KPMI and not member:
            self.add_error("member", _("Choose the manager this target is for."))
        return data
