"""Forms validate input and say what is wrong, field by field; the rules themselves live in services
and permissions, which the views call after the form is valid."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpmi_si.concurrency import VersionedFormMixin
from kpmi_si.idempotency.forms import IdempotentFormMixin
from kpmi_si.picker import PickerFormMixin, PickerSelect

from . import permissions, selectors
from .models import Desa, Kpmi, Level, Member

BIRTH_YEAR_EARLIEST = 1920
MIN_MEMBER_AGE = 10  # KPMI recruit school students; younger children are not registered
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}$")


class DateInput(forms.DateInput):
    """The phone's native date picker."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def post_data(request: Any) -> Any:
    """What a form is bound to: the POST's data, or None on GET. Not `request.POST or None`: a POST
    without fields would leave the form unbound, and the page would come back blank, saying nothing."""
    return request.POST if request.method == "POST" else None


def id_from(raw: Any) -> int | None:
    """A database id sent in a form or a query string, or None for anything else. str.isdigit() is
    not enough before int(): it lets through "²" and numbers of thousands of digits, on which int()
    raises (a server error instead of "not found")."""
    text = str(raw if raw is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: to the named field when the form has it,
    otherwise to the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return value


class MemberForm(IdempotentFormMixin, VersionedFormMixin, forms.ModelForm):
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=())
    reason = forms.CharField(
        label=_("Reason for the starting level"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when the member starts above trainer candidate."),
    )

    class Meta:
        model = Member
        fields = ["full_name", "phone", "email", "gender", "birth_year", "joined_on", "trained_by"]
        widgets = {"joined_on": DateInput(), "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args: Any, kpmi: Kpmi, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kpmi = kpmi
        trainers = selectors.trainer_choices(kpmi=kpmi)
        if self.instance.pk:
            trainers = trainers.exclude(pk=self.instance.pk)
            del self.fields["level"]
            del self.fields["reason"]
        else:
            levels = permissions.allowed_initial_levels(user)
            self.fields["level"].choices = [(value, Level(value).label) for value in levels]
            self.fields["level"].initial = Level.TRAINER_CANDIDATE
        self.fields["trained_by"].queryset = trainers
        self.fields["trained_by"].label_from_instance = lambda m: (
            m.full_name if m.kpmi_id == kpmi.pk else f"{m.full_name} ({m.kpmi.name})"
        )
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["full_name"].widget.attrs.update({"autocomplete": "name"})

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise ValidationError(_("Enter the member's full name."))
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("Enter a phone number of digits, e.g. 0812 3456 7890."))
        return phone

    def clean_birth_year(self) -> int:
        year = self.cleaned_data["birth_year"]
        latest = timezone.localdate().year - MIN_MEMBER_AGE
        if not BIRTH_YEAR_EARLIEST <= year <= latest:
            raise ValidationError(
                _("The birth year must be between %(first)s and %(last)s.")
                % {"first": BIRTH_YEAR_EARLIEST, "last": latest}
            )
        return year

    def clean_joined_on(self):
        return _not_in_future(self.cleaned_data["joined_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        level = data.get("level")
        if level and level != Level.TRAINER_CANDIDATE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Explain why this member starts above trainer candidate."))
        joined, year = data.get("joined_on"), data.get("birth_year")
        if joined and year and joined.year < year:
            self.add_error("joined_on", _("The join date cannot be before the birth year."))
        return data


class LevelChangeForm(forms.Form):
    to_level = forms.TypedChoiceField(label=_("New level"), coerce=int, choices=())
    effective_on = forms.DateField(label=_("Effective date"), widget=DateInput(), validators=[_not_in_future])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=500,
        help_text=_('For example: "passed ToT #3", or a link to a certificate.'),
    )

    def __init__(self, *args: Any, member: Member, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["to_level"].choices = [
            (value, Level(value).label) for value in permissions.allowed_level_targets(user, member)
        ]
        self.fields["effective_on"].initial = timezone.localdate()

    def clean_to_level(self) -> int:
        level = self.cleaned_data["to_level"]
        if level == self.member.level:
            raise ValidationError(_("The member is already at this level."))
        return level

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give a reason for the level change."))
        return reason


class KpmiForm(PickerFormMixin, IdempotentFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Kpmi
        fields = [
            "name",
            "kecamatan",
            "desa",
            "address",
            "founded_on",
            "status",
            "latitude",
            "longitude",
            "description",
            "founded_by",
            "founded_from",
        ]
        widgets = {"founded_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        desa = Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "name")
        # Grouped by district so the list stays usable without JavaScript; with it the picker narrows
        # it to the chosen district (#14).
        self.fields["desa"].widget = PickerSelect(search_url=reverse("members:desa_options"), depends_on="kecamatan")
        self.fields["desa"].widget.choices = [("", "---------")] + [
            (kecamatan, [(d.code, d.name) for d in items])
            for kecamatan, items in groupby(desa, key=lambda d: d.kecamatan.name)
        ]
        self.fields["founded_by"].queryset = selectors.founder_choices()
        self.fields["founded_by"].label_from_instance = lambda m: f"{m.full_name} ({m.kpmi.name})"
        origin = Kpmi.objects.order_by("name")
        if self.instance.pk:
            origin = origin.exclude(pk=self.instance.pk)
        self.fields["founded_from"].queryset = origin
        if not permissions.can_create_kpmi(user):
            # The lineage decides who became a pioneer: only KOMTIK or the Communities association edit it.
            for name in ("founded_by", "founded_from"):
                self.fields[name].disabled = True

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 3:
            raise ValidationError(_("Enter the group's name."))
        return name

    def clean_founded_on(self):
        return _not_in_future(self.cleaned_data["founded_on"])
