"""Forms of the central ToT: the event, a hand-added candidate, sending, attendance and result."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpmi_si.concurrency import VersionedFormMixin
from kpmi_si.idempotency.forms import IdempotentFormMixin
from members.forms import DateInput
from members.models import Member

from .. import selectors
from ..models import (
    Invitation,
    TotEvent,
)


class TotEventForm(IdempotentFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = TotEvent
        fields = ["name", "date", "venue", "capacity", "respond_by"]
        widgets = {"date": DateInput(), "respond_by": DateInput()}


class TotEventEditForm(TotEventForm):
    """The ToT's details. No status: cancelling is its own step behind a confirmation page."""

    class Meta(TotEventForm.Meta):
        fields = TotEventForm.Meta.fields


class TotCandidateForm(VersionedFormMixin, forms.Form):
    """An officer adds a trainer candidate to a ToT's list by hand, raising the capacity here if
    the list is full. It carries the ToT's version: its capacity must not undo another officer's."""

    member = forms.ModelChoiceField(label=_("Trainer candidate"), queryset=Member.objects.none())
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=32767,
        help_text=_("Raise it if every place is taken or proposed."),
    )

    def __init__(self, *args: Any, event: TotEvent, **kwargs: Any) -> None:
        self.event = event
        super().__init__(*args, **kwargs)
        candidates = selectors.tot_candidates(event).select_related("kpmi").order_by("kpmi__name", "full_name", "pk")
        self.fields["member"].queryset = candidates
        self.fields["member"].widget.choices = [("", "---------"), *selectors.grouped_choices(candidates)]
        self.fields["capacity"].initial = event.capacity

    def versioned_record(self) -> TotEvent:
        return self.event


class SendInvitationsForm(forms.Form):
    invitations = forms.TypedMultipleChoiceField(
        label=_("Invitations to send"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, event: TotEvent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitations"].choices = [
            (inv.pk, f"{inv.member} ({inv.kpmi})")
            for inv in event.invitations.filter(status=Invitation.Status.PROPOSED).select_related("member", "kpmi")
        ]


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("Attendance"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Attended")), ("no", _("Absent"))],
    )


class ResultForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Passed")), ("no", _("Did not pass"))],
    )


class TotAnswersForm(forms.Form):
    """A keeper's answers to a ToT's invitations, one row per invited member of their groups: accept,
    decline or leave for later. Rows already answered are shown by the page, not asked again."""

    LATER = ""

    def __init__(self, *args: Any, invitations: list[Invitation], **kwargs: Any) -> None:
        from ..services import answer_field

        super().__init__(*args, **kwargs)
        self.rows = []
        for invitation in invitations:
            if invitation.status != Invitation.Status.SENT:
                self.rows.append((invitation, None))
                continue
            name = answer_field(invitation.pk)
            self.fields[name] = forms.ChoiceField(
                label=invitation.member.full_name,
                required=False,
                initial=self.LATER,
                choices=[(self.LATER, _("Later")), ("accept", _("Accept")), ("decline", _("Decline"))],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.rows.append((invitation, name))

    def bound_rows(self) -> list[tuple[Invitation, Any]]:
        return [(invitation, self[name] if name else None) for invitation, name in self.rows]

    def answers(self) -> dict[int, str]:
        return {
            invitation.pk: self.cleaned_data.get(name, "")
            for invitation, name in self.rows
            if name and self.cleaned_data.get(name)
        }
