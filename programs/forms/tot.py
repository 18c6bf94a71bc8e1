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
    class Meta(TotEventForm.Meta):
        fields = [*TotEventForm.Meta.fields, "status"]


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
