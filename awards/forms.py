"""Forms validate input and say what is wrong, field by field; the rules themselves live in
awards.services, which the views call after the form is valid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpmi_si.fields import ModelMultipleChoiceField
from kpmi_si.idempotency.forms import IdempotentFormMixin

from .models import (
    MAX_FINALISTS,
    MAX_MINIMUM,
    VOTE_MAX,
    VOTE_MIN,
    Achievement,
    AwardCategory,
    AwardRound,
    Finalist,
    Subject,
)
from .services import CategorySpec

NUMBER = {"inputmode": "numeric", "class": "form-control form-control-sm mw-6rem"}


@dataclass
class GridRow:
    achievement: Achievement
    on: forms.BoundField
    finalists: forms.BoundField
    winners: forms.BoundField
    min_count: forms.BoundField
    min_increase: forms.BoundField


class CategoriesForm(forms.Form):
    """Every combination of who (4 levels + supervisors) × what (5 achievements), each with a
    checkbox and its numbers; the checked rows are the round's categories."""

    def __init__(self, *args: Any, specs: Sequence[CategorySpec], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = {(s.subject, s.achievement): s for s in specs}
        for subject in Subject:
            for achievement in Achievement:
                spec = chosen.get((subject.value, achievement.value))
                default = spec or CategorySpec(subject.value, achievement.value)
                prefix = self._prefix(subject, achievement)
                self.fields[f"{prefix}on"] = forms.BooleanField(
                    label=achievement.label, required=False, initial=spec is not None
                )
                numbers = (
                    ("finalists", _("Finalists"), 1, MAX_FINALISTS, default.finalists_count),
                    ("winners", _("Winners"), 1, MAX_FINALISTS, default.winners_count),
                    ("min", _("Minimum count"), 1, MAX_MINIMUM, default.min_count),
                    ("increase", _("Minimum increase"), 0, MAX_MINIMUM, default.min_increase),
                )
                for name, label, low, high, initial in numbers:
                    self.fields[f"{prefix}{name}"] = forms.IntegerField(
                        label=label,
                        required=False,
                        min_value=low,
                        max_value=high,
                        initial=initial,
                        widget=forms.NumberInput(attrs=NUMBER),
                    )

    @staticmethod
    def _prefix(subject: str, achievement: str) -> str:
        return f"c-{subject}-{achievement}-"

    def grid(self) -> list[tuple[str, list[GridRow]]]:
        """The fields, grouped by who, for the template's table."""
        groups = []
        for subject in Subject:
            rows = []
            for achievement in Achievement:
                p = self._prefix(subject, achievement)
                rows.append(
                    GridRow(
                        achievement=achievement,
                        on=self[f"{p}on"],
                        finalists=self[f"{p}finalists"],
                        winners=self[f"{p}winners"],
                        min_count=self[f"{p}min"],
                        min_increase=self[f"{p}increase"],
                    )
                )
            groups.append((subject.label, rows))
        return groups

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = 0
        for subject in Subject:
            for achievement in Achievement:
                p = self._prefix(subject, achievement)
                if not data.get(f"{p}on"):
                    continue
                chosen += 1
                finalists = data.get(f"{p}finalists") or CategorySpec.finalists_count
                winners = data.get(f"{p}winners") or CategorySpec.winners_count
                if winners > finalists:
                    self.add_error(f"{p}winners", _("No more winners than finalists."))
        if not chosen:
            raise forms.ValidationError(_("Choose at least one category."))
        return data

    def specs(self) -> list[CategorySpec]:
        data = self.cleaned_data
        specs = []
        for subject in Subject:
            for achievement in Achievement:
                p = self._prefix(subject, achievement)
                if data.get(f"{p}on"):
                    specs.append(
                        CategorySpec(
                            subject=subject.value,
                            achievement=achievement.value,
                            finalists_count=data.get(f"{p}finalists") or CategorySpec.finalists_count,
                            winners_count=data.get(f"{p}winners") or CategorySpec.winners_count,
                            min_count=data.get(f"{p}min") or CategorySpec.min_count,
                            min_increase=data.get(f"{p}increase"),
                        )
                    )
        return specs


class RoundOpenForm(IdempotentFormMixin, CategoriesForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].max_value = this_year
        self.fields["year"].widget.attrs.update({"max": this_year, "inputmode": "numeric"})
        # Awards honour a year that is over: by default, last year.
        self.fields["year"].initial = this_year - 1


def specs_of(round: AwardRound) -> list[CategorySpec]:
    return [
        CategorySpec(
            subject=c.subject,
            achievement=c.achievement,
            finalists_count=c.finalists_count,
            winners_count=c.winners_count,
            min_count=c.min_count,
            min_increase=c.min_increase,
        )
        for c in round.categories.all()
    ]


class JuryMemberForm(forms.Form):
    """A juror who logs in already (by username), or a new person, who gets an account and a one-time
    code on this page in the same step."""

    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    full_name = forms.CharField(
        label=_("Or a new person: full name"),
        max_length=150,
        required=False,
        help_text=_("An account is made for them, with a one-time code to set their password."),
    )
    email = forms.EmailField(
        label=_("E-mail for the invitation (optional)"),
        required=False,
        help_text=_("Without an e-mail the code is shown here, to hand over in person."),
    )
    categories = ModelMultipleChoiceField(
        label=_("Categories"), queryset=AwardCategory.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, round: AwardRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = None
        field = self.fields["categories"]
        field.queryset = round.categories.order_by("position", "pk")
        field.label_from_instance = lambda c: c.label

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not username:
            return ""
        self.user = get_user_model().objects.filter(username__iexact=username).first()
        if self.user is None:
            raise forms.ValidationError(_("No account with this username."))
        return username

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data.get("full_name", "").split())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "username" in self.errors:
            return data
        if bool(data.get("username")) == bool(data.get("full_name")):
            raise forms.ValidationError(_("Give an existing account's username, or a new person's name: one of them."))
        if data.get("email") and not data.get("full_name"):
            self.add_error("email", _("The e-mail is for a new person's invitation; leave it empty for an account."))
        return data


class VoteForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        choices=[(n, str(n)) for n in range(VOTE_MIN, VOTE_MAX + 1)],
        widget=forms.RadioSelect,
        help_text=_("1 = weak, 5 = outstanding"),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    winners = ModelMultipleChoiceField(
        label=_("Winners"), queryset=Finalist.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the choice differs from the jury's tally, or when nobody wins."),
    )

    def __init__(self, *args: Any, category: AwardCategory, tally: list[Finalist], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["winners"]
        field.queryset = Finalist.objects.filter(category=category)
        labels = {f.pk: f for f in tally}
        field.choices = [(f.pk, f"{f.name} ({f.kpmi.name})") for f in tally]
        field.label_from_instance = lambda f: labels.get(f.pk, f).name


class CitationForm(forms.Form):
    citation = forms.CharField(
        label=_("Citation"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty for the citation written from the numbers."),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40)
