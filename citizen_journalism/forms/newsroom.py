"""The writer's article form and the editors' decision forms. Forms only validate what one field can
tell; the rules that need the whole article (a village in its district, tags, photos, who may act)
are the services'."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kpmi_si.concurrency import VersionedFormMixin
from kpmi_si.idempotency.forms import IdempotentFormMixin
from members.models import Desa, Kecamatan
from programs import evidence

from ..models import BODY_MAX, CAPTION_MAX, CREDIT_MAX, LEAD_MAX, TITLE_MAX, Article, Category
from ..services import PhotoUpload
from ..services.newsroom import NOTE_MAX

PHOTO_SLOTS = 2


def _desa_choices() -> list[Any]:
    """Villages grouped by district, so the list reads like the map (the service checks the pair)."""
    rows = Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "name")
    choices: list[Any] = [("", "---------")]
    for kecamatan, villages in groupby(rows, key=lambda d: d.kecamatan.name):
        choices.append((kecamatan, [(d.code, d.name) for d in villages]))
    return choices


class ArticleForm(IdempotentFormMixin, VersionedFormMixin, forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=TITLE_MAX)
    lead = forms.CharField(
        label=_("Lead"),
        max_length=LEAD_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences: what happened, where, and why it matters."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": _("Write the text of the article.")},
        help_text=_(
            "Markdown: a blank line between paragraphs, **bold**, *italic*, ## subheading, - list, "
            "[link text](https://...). HTML is shown as text."
        ),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(active=True))
    kecamatan = forms.ModelChoiceField(label=_("District"), queryset=Kecamatan.objects.all())
    desa = forms.ChoiceField(label=_("Village"), required=False)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas, e.g. pertanian, internet desa."),
    )
    note = forms.CharField(
        label=_("Note to the editors"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, article: Article | None = None, **kwargs: Any) -> None:
        self.article = article
        super().__init__(*args, **kwargs)
        self.fields["desa"].choices = _desa_choices()
        if article is not None and article.state == "published":
            self.fields["note"].label = _("What the correction changes")
            self.fields["note"].help_text = _("Readers see this note once an editor approves the correction.")
            self.fields["note"].required = True
        for slot in range(1, PHOTO_SLOTS + 1):
            self.fields[f"photo_{slot}"] = forms.FileField(
                label=_("Photo %(n)s") % {"n": slot},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                help_text=_("JPG, PNG or WebP, at most %(mb)s MB. Location data is removed.")
                % {"mb": evidence.max_megabytes()},
            )
            self.fields[f"photo_{slot}_caption"] = forms.CharField(
                label=_("Caption of photo %(n)s") % {"n": slot}, required=False, max_length=CAPTION_MAX
            )
            self.fields[f"photo_{slot}_credit"] = forms.CharField(
                label=_("Credit of photo %(n)s") % {"n": slot}, required=False, max_length=CREDIT_MAX
            )

    # Both mixins ask which record the form is about: this form has no `instance`, only the article.
    def creates_record(self) -> bool:
        return self.article is None

    def versioned_record(self) -> Article | None:
        return self.article

    def clean_desa(self) -> Desa | None:
        code = self.cleaned_data.get("desa")
        return Desa.objects.filter(code=code).first() if code else None

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in ("title", "lead", "body", "category", "kecamatan", "desa", "tags", "note")
        }

    def photos(self) -> list[PhotoUpload]:
        found = []
        for slot in range(1, PHOTO_SLOTS + 1):
            upload = self.cleaned_data.get(f"photo_{slot}")
            if upload:
                found.append(
                    PhotoUpload(
                        upload=upload,
                        caption=self.cleaned_data.get(f"photo_{slot}_caption") or "",
                        credit=self.cleaned_data.get(f"photo_{slot}_credit") or "",
                        field=f"photo_{slot}",
                    )
                )
        return found

    @staticmethod
    def initial_from(article: Article) -> dict[str, Any]:
        latest = article.latest_revision
        return {
            "title": latest.title,
            "lead": latest.lead,
            "body": latest.body,
            "category": latest.category_id,
            "kecamatan": latest.kecamatan_id,
            "desa": latest.desa_id or "",
            "tags": latest.tags,
        }


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the writer change?"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish now."),
    )


class CorrectionApproveForm(forms.Form):
    correction_note = forms.CharField(
        label=_("Correction note for readers"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class LinkActivityForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("Publication logged by hand"), queryset=None)

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
