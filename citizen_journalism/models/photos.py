"""Photos of an article: checked and stripped like evidence photos (programs.evidence), stored in
three sizes made at upload so a phone downloads the smallest one that fills its screen."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import evidence_storage

from .newsroom import Article, ArticleRevision

# Long side of each rendition, in pixels: a phone (360-480 CSS px, 1-2x), a tablet, a desktop.
RENDITIONS: dict[str, int] = {"s": 480, "m": 960, "l": 1600}
CAPTION_MAX = 300
CREDIT_MAX = 120
MAX_PHOTOS = 6


def photo_upload_to(instance: ArticlePhoto, filename: str) -> str:
    # A random name per file: nobody can guess the photos of an article that is not public yet.
    now = timezone.localtime()
    return f"berita/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ArticlePhoto(models.Model):
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="photos")
    # Readers see a photo once the version it came with (or a later one) is published.
    added_in = models.ForeignKey(
        ArticleRevision, verbose_name=_("added with version"), on_delete=models.CASCADE, related_name="photos"
    )
    caption = models.CharField(_("caption"), max_length=CAPTION_MAX)
    credit = models.CharField(_("photo credit"), max_length=CREDIT_MAX)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    image_s = models.FileField(upload_to=photo_upload_to, storage=evidence_storage, max_length=255)
    image_m = models.FileField(upload_to=photo_upload_to, storage=evidence_storage, max_length=255)
    image_l = models.FileField(upload_to=photo_upload_to, storage=evidence_storage, max_length=255)
    # Widths of the three files, for the srcset; height of the largest, for the page's layout.
    width_s = models.PositiveIntegerField(default=0)
    width_m = models.PositiveIntegerField(default=0)
    width_l = models.PositiveIntegerField(default=0)
    height_l = models.PositiveIntegerField(default=0)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("article photo")
        verbose_name_plural = _("article photos")
        ordering = ["article", "position", "pk"]

    def __str__(self) -> str:
        return self.caption

    def url(self, size: str) -> str:
        return reverse("citizen_journalism:photo", args=[self.pk, size])

    @property
    def url_s(self) -> str:
        return self.url("s")

    @property
    def url_m(self) -> str:
        return self.url("m")

    @property
    def srcset(self) -> str:
        return ", ".join(f"{self.url(size)} {getattr(self, f'width_{size}')}w" for size in RENDITIONS)

    def file_for(self, size: str) -> models.fields.files.FieldFile:
        return getattr(self, f"image_{size}")
