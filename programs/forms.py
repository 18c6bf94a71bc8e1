"""One form per kind of work. Forms check what a field alone can tell (a date, a number, a file);
the rules that tie fields and people together live in programs.services, whose errors the views
attach back to these fields."""

from __future__ import annotations

from itertools import groupby
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput
from members.models import Desa, Kecamatan, Kpmi, Level, Member

from . import evidence, selectors
from .models import (
    DETAIL_FIELDS,
    PARTICIPANTS_NEED_EDUCATION,
    Activity,
    CollaborationProgram,
    Competition,
    Deployment,
    EducationSession,
    Evidence,
    Invitation,
    Kind,
    Publication,
    TotEvent,
    Training,
    VolunteerProject,
)

COMMON_FIELDS = ("title", "date", "kecamatan", "desa", "summary", "evidence_url")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>: a phone picks them from its gallery at once."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned, errors = [], []
        for upload in files:
            upload = super().clean(upload, initial)
            if not upload:
                continue
            try:
                evidence.check_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


def _model_field(model: type, name: str, **kwargs: Any) -> forms.Field:
    return model._meta.get_field(name).formfield(**kwargs)


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return value


def _member_label(member: Member) -> str:
    return f"{member.full_name} ({Level(member.level).label})"


class ActivityForm(forms.Form):
    """What every kind shares: what, when, where, who is credited, and the evidence."""

    kind: ClassVar[str]
    labels: ClassVar[dict[str, Any]] = {}
    help_texts: ClassVar[dict[str, Any]] = {}

    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput(), validators=[_not_in_future])
    kecamatan = forms.ModelChoiceField(label=_("District"), queryset=Kecamatan.objects.all())
    desa = forms.ModelChoiceField(label=_("Village"), queryset=Desa.objects.all(), required=False)
    summary = forms.CharField(
        label=_("Short summary"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    credited = forms.ModelMultipleChoiceField(
        label=_("Credited members of this KPMI"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    credited_other = forms.ModelMultipleChoiceField(
        label=_("Credited members of other KPMI"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("For joint work. Grouped by KPMI; hold Ctrl (or tap, on a phone) to pick several."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A link to a post, an album or a document that shows the work."),
    )
    evidence_files = MultipleFileField(label=_("Photos or PDF"), required=False)
    remove_evidence = forms.ModelMultipleChoiceField(
        label=_("Remove files"), queryset=Evidence.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, kpmi: Kpmi, user: Any, activity: Activity | None = None, **kwargs: Any) -> None:
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(activity)
        super().__init__(*args, **kwargs)
        self.kpmi, self.user, self.activity = kpmi, user, activity
        self.order_fields(self._field_order())
        for name, label in self.labels.items():
            self.fields[name].label = label
        for name, text in self.help_texts.items():
            self.fields[name].help_text = text

        desa = Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "name")
        # Grouped by district so the list stays usable without JavaScript.
        self.fields["desa"].widget.choices = [("", "---------")] + [
            (kecamatan, [(d.code, d.name) for d in items])
            for kecamatan, items in groupby(desa, key=lambda d: d.kecamatan.name)
        ]
        if activity is None:
            self.fields["kecamatan"].initial = kpmi.kecamatan_id
            self.fields["desa"].initial = kpmi.desa_id
            self.fields["date"].initial = timezone.localdate()
            own = getattr(user, "member", None)
            if own is not None and own.kpmi_id == kpmi.pk:
                self.fields["credited"].initial = [own.pk]
            del self.fields["remove_evidence"]
        else:
            self.fields["remove_evidence"].queryset = activity.evidence.order_by("pk")
            self.fields["remove_evidence"].label_from_instance = lambda e: e.original_name
            if not activity.evidence.exists():
                del self.fields["remove_evidence"]

        self._set_member_choices("credited", self._own_members())
        others = self._other_members()
        self.fields["credited_other"].queryset = others
        self.fields["credited_other"].widget.choices = selectors.grouped_choices(others)
        self.fields["evidence_files"].widget.attrs.update({"accept": evidence.ACCEPT_ATTR})
        self.fields["evidence_files"].help_text = _(
            "Up to %(n)s photos (JPG, PNG, WebP) or one PDF, each at most %(mb)s MB."
        ) % {"n": evidence.MAX_PHOTOS, "mb": evidence.max_megabytes()}
        for name in ("participants", "beneficiaries"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 1})

    # --- what a kind may change ----------------------------------------------------------------------
    def _field_order(self) -> list[str]:
        return [
            "title",
            "date",
            *DETAIL_FIELDS[self.kind],
            "kecamatan",
            "desa",
            "summary",
            "credited",
            "credited_other",
            "evidence_url",
            "evidence_files",
            "remove_evidence",
        ]

    def _own_members(self):
        return selectors.members_of(kpmi=self.kpmi)

    def _other_members(self):
        return selectors.members_elsewhere(kpmi=self.kpmi)

    def _set_member_choices(self, name: str, queryset) -> None:
        self.fields[name].queryset = queryset
        self.fields[name].label_from_instance = _member_label

    # --- cleaning ------------------------------------------------------------------------------------
    def _raw_ids(self, name: str) -> list[str]:
        if not self.is_bound or name not in self.fields:
            return []
        getlist = getattr(self.data, "getlist", None)
        raw = getlist(self.add_prefix(name)) if getlist else self.data.get(self.add_prefix(name), [])
        return [raw] if isinstance(raw, str) else [str(v) for v in raw if v not in ("", None)]

    def _credit_order(self) -> list[str]:
        return ["credited", "credited_other"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        seen: set[str] = set()
        for name in self._credit_order():
            for pk in self._raw_ids(name):
                if pk in seen:
                    self.add_error("credited", _("The same member is credited twice."))
                    return data
                seen.add(pk)
        return data

    def credited_members(self) -> list[Member]:
        """The credited members in order: the first one counts as the lead where it matters."""
        members: list[Member] = []
        for name in self._credit_order():
            value = self.cleaned_data.get(name)
            if isinstance(value, Member):
                members.append(value)
            elif value:
                members.extend(value)
        return members

    def trainees(self) -> list[Member]:
        return list(self.cleaned_data.get("trainees") or [])

    def service_data(self) -> dict[str, Any]:
        names = (*COMMON_FIELDS, *DETAIL_FIELDS[self.kind])
        return {name: self.cleaned_data.get(name) for name in names}


def initial_for(activity: Activity) -> dict[str, Any]:
    """The stored record as a form's initial values."""
    initial: dict[str, Any] = {name: getattr(activity, name) for name in COMMON_FIELDS}
    initial["kecamatan"], initial["desa"] = activity.kecamatan_id, activity.desa_id
    detail = activity.detail
    initial.update({name: getattr(detail, name) for name in DETAIL_FIELDS[activity.kind]})
    credits = list(activity.credits.all())
    credits.sort(key=lambda c: (c.position, c.pk))
    own = [c.member_id for c in credits if c.member.kpmi_id == activity.kpmi_id]
    others = [c.member_id for c in credits if c.member.kpmi_id != activity.kpmi_id]
    if activity.kind == Kind.TRAINING:
        lead = credits[0].member_id if credits else None
        initial["lead_trainer"] = lead
        own = [pk for pk in own if pk != lead]
        others = [pk for pk in others if pk != lead]
        initial["trainees"] = [m.pk for m in detail.trainees.all()]
    initial["credited"], initial["credited_other"] = own, others
    return initial


class PublicationForm(ActivityForm):
    kind = Kind.PUBLICATION
    labels: ClassVar[dict[str, Any]] = {"date": _("Publication date")}

    channel = _model_field(Publication, "channel")
    link = _model_field(Publication, "link", assume_scheme="https")


class EducationForm(ActivityForm):
    kind = Kind.EDUCATION
    labels: ClassVar[dict[str, Any]] = {"title": _("Topic"), "kecamatan": _("District where it was held")}

    venue = _model_field(EducationSession, "venue")
    participants = _model_field(EducationSession, "participants", min_value=1)
    audience = _model_field(EducationSession, "audience")


class DeploymentForm(ActivityForm):
    kind = Kind.DEPLOYMENT
    labels: ClassVar[dict[str, Any]] = {"title": _("What was done"), "date": _("Date completed")}
    help_texts: ClassVar[dict[str, Any]] = {
        "title": _("For example: computer network and website for SDN 2 Cibatu."),
        "beneficiaries": _("About how many people use it."),
    }

    deployment_kind = _model_field(Deployment, "deployment_kind")
    site_type = _model_field(Deployment, "site_type")
    site_name = _model_field(Deployment, "site_name")
    beneficiaries = _model_field(Deployment, "beneficiaries", min_value=1)
    operational_status = _model_field(Deployment, "operational_status")


class TrainingForm(ActivityForm):
    """The lead trainer is the trainer of record for trainees who have none yet."""

    kind = Kind.TRAINING
    labels: ClassVar[dict[str, Any]] = {
        "title": _("Topic"),
        "credited": _("Other trainers of this KPMI"),
        "credited_other": _("Trainers of other KPMI"),
    }

    venue = _model_field(Training, "venue")
    trainee_group = _model_field(Training, "trainee_group")
    lead_trainer = forms.ModelChoiceField(
        label=_("Lead trainer"),
        queryset=Member.objects.none(),
        help_text=_("Becomes the trainer of record of trainees who have none yet."),
    )
    trainees = forms.ModelMultipleChoiceField(
        label=_("Trainees"), queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trainers = selectors.trainer_choices(kpmi=self.kpmi)
        self.fields["lead_trainer"].queryset = trainers
        self.fields["lead_trainer"].widget.choices = [("", "---------"), *selectors.grouped_choices(trainers)]
        if self.activity is None:
            own = getattr(self.user, "member", None)
            if own is not None and own.level >= Level.TRAINER:
                self.fields["lead_trainer"].initial = own.pk
            self.fields["credited"].initial = []
        self._set_member_choices("trainees", selectors.members_of(kpmi=self.kpmi).order_by("level", "full_name"))

    def _field_order(self) -> list[str]:
        order = super()._field_order()
        at = order.index("credited")
        return [*order[:at], "lead_trainer", *order[at : at + 2], "trainees", *order[at + 2 :]]

    def _own_members(self):
        return super()._own_members().filter(level__gte=Level.TRAINER)

    def _other_members(self):
        return super()._other_members().filter(level__gte=Level.TRAINER)

    def _credit_order(self) -> list[str]:
        return ["lead_trainer", "credited", "credited_other"]


FORMS: dict[str, type[ActivityForm]] = {
    Kind.PUBLICATION: PublicationForm,
    Kind.EDUCATION: EducationForm,
    Kind.DEPLOYMENT: DeploymentForm,
    Kind.TRAINING: TrainingForm,
}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member sees this and can correct the record."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the work is rejected, so the member can fix it."))
        return reason


# --- Interventions ----------------------------------------------------------------------------------


class TotEventForm(forms.ModelForm):
    class Meta:
        model = TotEvent
        fields = ["name", "date", "venue", "capacity", "respond_by"]
        widgets = {"date": DateInput(), "respond_by": DateInput()}


class TotEventEditForm(TotEventForm):
    class Meta(TotEventForm.Meta):
        fields = [*TotEventForm.Meta.fields, "status"]


class TotCandidateForm(forms.Form):
    """An officer adds a trainer candidate to a ToT's list by hand, raising the capacity here if
    the list is full."""

    member = forms.ModelChoiceField(label=_("Trainer candidate"), queryset=Member.objects.none())
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=32767,
        help_text=_("Raise it if every place is taken or proposed."),
    )

    def __init__(self, *args: Any, event: TotEvent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = selectors.tot_candidates(event).select_related("kpmi").order_by("kpmi__name", "full_name", "pk")
        self.fields["member"].queryset = candidates
        self.fields["member"].widget.choices = [("", "---------"), *selectors.grouped_choices(candidates)]
        self.fields["capacity"].initial = event.capacity


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


class VolunteerProjectForm(forms.ModelForm):
    class Meta:
        model = VolunteerProject
        fields = list(VolunteerProject.EDITABLE_FIELDS)
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "needs": forms.Textarea(attrs={"rows": 3})}


class ProjectCompleteForm(forms.Form):
    date = forms.DateField(label=_("Date finished"), widget=DateInput())
    beneficiaries = forms.IntegerField(label=_("Beneficiaries"), min_value=1)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProjectCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to every manager who signed up."),
    )


class AssociationAwardForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Association"), queryset=None)
    member = forms.ModelChoiceField(label=_("Manager"), queryset=None)
    name = forms.CharField(label=_("Award"), max_length=150)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    awarded_on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, association_code: str | None, **kwargs: Any) -> None:
        from associations.models import Association

        super().__init__(*args, **kwargs)
        associations = Association.objects.all()
        if association_code:
            # An officer grants for their own association only; the field shows it, fixed.
            associations = associations.filter(code=association_code)
            self.fields["association"].initial = associations.first()
        self.fields["association"].queryset = associations
        self.fields["member"].queryset = (
            Member.objects.filter(level__gte=Level.MANAGER).select_related("kpmi").order_by("full_name")
        )
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} ({m.kpmi.name})"


class CompetitionForm(forms.ModelForm):
    class Meta:
        model = Competition
        fields = ["title", "period", "kind", "measure", "entrants", "winners"]
        help_texts = {
            "measure": _("Education participants adds up the people taught in the approved ICT education sessions.")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from associations.models import Period

        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(status=Period.Status.OPEN)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # On the field, before the model's constraint check would say it for the form as a whole.
        if data.get("measure") == Competition.Measure.PARTICIPANTS and data.get("kind") != Kind.EDUCATION:
            self.add_error("measure", PARTICIPANTS_NEED_EDUCATION)
        return data


class CollaborationForm(forms.ModelForm):
    class Meta:
        model = CollaborationProgram
        fields = ["name", "theme", "date", "venue", "period", "threshold"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from associations.models import Period

        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(status=Period.Status.OPEN)


class CollaborationWorkForm(forms.Form):
    """A piece of a programme's joint work. Both kinds' forms sit on the programme's page, so each
    has its own prefix (no two fields share an id)."""

    kind: ClassVar[str]
    detail_fields: ClassVar[tuple[str, ...]] = ()

    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput(), validators=[_not_in_future])
    kecamatan = forms.ModelChoiceField(label=_("District"), queryset=Kecamatan.objects.all())
    summary = forms.CharField(
        label=_("Summary"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, program: CollaborationProgram, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.kind)
        super().__init__(*args, **kwargs)
        self.program = program
        today = timezone.localdate()
        self.fields["date"].initial = min(program.date, today)
        self.order_fields(["title", "date", *self.detail_fields, "kecamatan", "summary"])

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.update({"desa": None, "evidence_url": ""})
        return data


class CollaborationPublicationForm(CollaborationWorkForm):
    kind = Kind.PUBLICATION
    detail_fields = ("channel", "link")

    channel = _model_field(Publication, "channel")
    link = _model_field(Publication, "link", assume_scheme="https")


class CollaborationEducationForm(CollaborationWorkForm):
    kind = Kind.EDUCATION
    detail_fields = ("participants", "audience")

    participants = forms.IntegerField(label=_("Number of participants"), min_value=1)
    audience = forms.ChoiceField(label=_("Audience"), choices=EducationSession.Audience.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("Topic")
        self.fields["participants"].widget.attrs.update({"inputmode": "numeric", "min": 1})

    def service_data(self) -> dict[str, Any]:
        # The session took place at the programme's venue.
        return {**super().service_data(), "venue": self.program.venue}


COLLABORATION_FORMS: dict[str, type[CollaborationWorkForm]] = {
    Kind.PUBLICATION: CollaborationPublicationForm,
    Kind.EDUCATION: CollaborationEducationForm,
}
