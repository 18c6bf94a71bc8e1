"""One form per kind of work. Forms check what a field alone can tell (a date, a number, a file);
the rules that tie fields and people together live in programs.services, whose errors the views
attach back to these fields."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any, ClassVar
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kpmi_si.concurrency import VersionedFormMixin
from kpmi_si.fields import ModelMultipleChoiceField
from kpmi_si.idempotency.forms import IdempotentFormMixin
from kpmi_si.picker import PickerFormMixin, PickerSelect, PickerSelectMultiple
from members.forms import DateInput
from members.models import Desa, Kecamatan, Kpmi, Level, Member

from .. import evidence, selectors
from ..models import (
    DETAIL_FIELDS,
    Activity,
    Deployment,
    EducationSession,
    Evidence,
    Kind,
    Publication,
    Training,
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


def _picked_label(member: Member) -> str:
    """A person found by the search without JavaScript: name and group, as the JSON search shows."""
    return f"{member.full_name} · {member.kpmi.name}"


# The no-JavaScript search of the person pickers (#14) filters the field's own queryset by name.
PEOPLE_SEARCH = {"search_lookup": "full_name__icontains", "label_from_instance": _picked_label}


class ActivityForm(PickerFormMixin, IdempotentFormMixin, VersionedFormMixin, forms.Form):
    """What every kind shares: what, when, where, who is credited, and the evidence."""

    kind: ClassVar[str]
    labels: ClassVar[dict[str, Any]] = {}
    help_texts: ClassVar[dict[str, Any]] = {}

    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput(), validators=[_not_in_future])
    kecamatan = forms.ModelChoiceField(label=_("District"), queryset=Kecamatan.objects.all())
    desa = forms.ModelChoiceField(label=_("Village"), queryset=Desa.objects.all(), required=False)
    summary = forms.CharField(
        label=_("Short summary"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    credited = ModelMultipleChoiceField(
        label=_("Credited members of this KPMI"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    credited_other = ModelMultipleChoiceField(
        label=_("Credited members of other KPMI"),
        queryset=Member.objects.none(),
        required=False,
        widget=PickerSelectMultiple(attrs={"size": 6}, **PEOPLE_SEARCH),
        help_text=_("For joint work. Search by name to add someone; the members chosen are listed here."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A link to a post, an album or a document that shows the work."),
    )
    evidence_files = MultipleFileField(label=_("Photos or PDF"), required=False)
    remove_evidence = ModelMultipleChoiceField(
        label=_("Remove files"), queryset=Evidence.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, kpmi: Kpmi, user: Any, activity: Activity | None = None, **kwargs: Any) -> None:
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(activity)
        # Set before the mixins' __init__, which ask whether this form creates or edits a record.
        self.kpmi, self.user, self.activity = kpmi, user, activity
        super().__init__(*args, **kwargs)
        self.order_fields(self._field_order())
        for name, label in self.labels.items():
            self.fields[name].label = label
        for name, text in self.help_texts.items():
            self.fields[name].help_text = text

        desa = Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "name")
        # Grouped by district so the list stays usable without JavaScript; with it the picker narrows
        # the list to the chosen district (#14).
        self.fields["desa"].widget = PickerSelect(search_url=reverse("members:desa_options"), depends_on="kecamatan")
        self.fields["desa"].widget.choices = [("", "---------")] + [
            (kecamatan, [(d.code, d.name) for d in items])
            for kecamatan, items in groupby(desa, key=lambda d: d.kecamatan.name)
        ]
        self.fields["credited_other"].widget.search_url = self._search_url("credited_other")
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

        self._set_member_choices("credited", self.people("credited", kpmi=kpmi, keep=self._kept_ids()))
        # The field's queryset becomes its widget's choices, of which the picker renders only the chosen.
        self.fields["credited_other"].queryset = self.people("credited_other", kpmi=kpmi, keep=self._kept_ids())
        self.fields["evidence_files"].widget.attrs.update({"accept": evidence.ACCEPT_ATTR})
        self.fields["evidence_files"].help_text = _(
            "Up to %(n)s photos (JPG, PNG, WebP) or one PDF, each at most %(mb)s MB."
        ) % {"n": evidence.MAX_PHOTOS, "mb": evidence.max_megabytes()}
        for name in ("participants", "beneficiaries"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 1})

    def versioned_record(self) -> Activity | None:
        return self.activity

    def creates_record(self) -> bool:
        return self.activity is None

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

    # --- whom a field accepts: the form and the JSON search behind its picker (#14) share this ----------
    picker_fields: ClassVar[tuple[str, ...]] = ("credited_other",)

    @classmethod
    def people(cls, name: str, *, kpmi: Kpmi, keep: Iterable[int] = ()) -> QuerySet[Member]:
        """The members field `name` accepts when logging for `kpmi`, which programs.views.picker's
        search offers too. An anonymised member (they left; kpmi_si.privacy) is no longer credited
        with new work, but stays acceptable where the record being edited credits them already
        (`keep`: else that record could not be saved without dropping the credit)."""
        if name == "credited":
            members = selectors.members_of(kpmi=kpmi)
        elif name == "credited_other":
            members = selectors.members_elsewhere(kpmi=kpmi)
        else:
            raise KeyError(name)
        return cls._not_anonymised(members, keep)

    @staticmethod
    def _not_anonymised(members: QuerySet[Member], keep: Iterable[int]) -> QuerySet[Member]:
        """The one rule of every people field: no anonymised member, but those the record credits."""
        return members.filter(Q(anonymised_at__isnull=True) | Q(pk__in=list(keep)))

    def _kept_ids(self) -> list[int]:
        """The members the edited record credits (or trains) already."""
        if self.activity is None:
            return []
        if not hasattr(self, "_kept"):
            self._kept = list(self.activity.credits.values_list("member_id", flat=True))
        return self._kept

    def _search_url(self, name: str) -> str:
        query = urlencode({"kpmi": self.kpmi.pk, "kind": self.kind, "field": name})
        return f"{reverse('programs:member_search')}?{query}"

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
    trainees = ModelMultipleChoiceField(
        label=_("Trainees"), queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_trainer"].widget = PickerSelect(search_url=self._search_url("lead_trainer"), **PEOPLE_SEARCH)
        # Set after the widget: the queryset becomes its choices (the picker renders only the chosen).
        self.fields["lead_trainer"].queryset = self.people("lead_trainer", kpmi=self.kpmi, keep=self._kept_ids())
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

    picker_fields: ClassVar[tuple[str, ...]] = ("lead_trainer", "credited_other")

    @classmethod
    def people(cls, name: str, *, kpmi: Kpmi, keep: Iterable[int] = ()) -> QuerySet[Member]:
        if name == "lead_trainer":
            return cls._not_anonymised(selectors.trainer_choices(kpmi=kpmi), keep)
        return super().people(name, kpmi=kpmi, keep=keep).filter(level__gte=Level.TRAINER)

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
