"""Forms of collaboration programmes: the programme, and the work logged in it."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kpmi_si.idempotency.forms import IdempotentFormMixin
from members.forms import DateInput
from members.models import Kecamatan

from ..models import (
    CollaborationProgram,
    EducationSession,
    Kind,
    Publication,
)
from .work import _model_field, _not_in_future


class CollaborationForm(IdempotentFormMixin, forms.ModelForm):
    class Meta:
        model = CollaborationProgram
        fields = ["name", "theme", "date", "venue", "period", "threshold"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from associations.models import PERIOD_ORDER, Period

        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(status=Period.Status.OPEN).order_by(*PERIOD_ORDER)


class CollaborationWorkForm(IdempotentFormMixin, forms.Form):
    """A piece of a programme's joint work. Both kinds' forms sit on the programme's page, so each
    has its own prefix (no two fields share an id)."""

    kind: ClassVar[str]
    detail_fields: ClassVar[tuple[str, ...]] = ()

    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
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
