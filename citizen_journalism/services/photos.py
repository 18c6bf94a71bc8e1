"""Checking and storing an article's photos. The checks and the downscaling are the evidence
photos' (programs.evidence): the same header-first pixel limit, the same re-encoding that drops EXIF
and GPS. Only photos: a PDF is evidence, not a picture for readers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from programs import evidence
from programs.models import Evidence

from ..models import CAPTION_MAX, CREDIT_MAX, MAX_PHOTOS, RENDITIONS, Article, ArticlePhoto, ArticleRevision


@dataclass(frozen=True)
class PhotoUpload:
    upload: UploadedFile
    caption: str
    credit: str
    field: str = "photo"  # the form field a problem is reported on


def check_photos(photos: Sequence[PhotoUpload], *, already: int) -> dict[str, list[str]]:
    """Every problem with the photos sent, by form field; empty when they may be stored."""
    errors: dict[str, list[str]] = {}
    for item in photos:
        try:
            kind = evidence.check_upload(item.upload)
        except ValidationError as exc:
            errors.setdefault(item.field, []).extend(exc.messages)
            continue
        if kind != Evidence.FileKind.PHOTO:
            name = PurePath(item.upload.name or "").name
            errors.setdefault(item.field, []).append(
                _("%(name)s is not a photo: attach a JPG, PNG or WebP image.") % {"name": name}
            )
        if not item.caption.strip():
            errors.setdefault(f"{item.field}_caption", []).append(_("Write a caption for the photo."))
        elif len(item.caption) > CAPTION_MAX:
            errors.setdefault(f"{item.field}_caption", []).append(
                _("Keep the caption under %(n)s characters.") % {"n": CAPTION_MAX}
            )
        if not item.credit.strip():
            errors.setdefault(f"{item.field}_credit", []).append(_("Say who took the photo."))
        elif len(item.credit) > CREDIT_MAX:
            errors.setdefault(f"{item.field}_credit", []).append(
                _("Keep the credit under %(n)s characters.") % {"n": CREDIT_MAX}
            )
    if already + len(photos) > MAX_PHOTOS:
        errors.setdefault("photo", []).append(_("An article has at most %(n)s photos.") % {"n": MAX_PHOTOS})
    return errors


@contextmanager
def files_removed_on_error() -> Iterator[list[tuple[Any, str]]]:
    """Files are not part of the database transaction: when it rolls back, delete what was written."""
    written: list[tuple[Any, str]] = []
    try:
        yield written
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise


def store_photos(
    *,
    actor: Any,
    article: Article,
    revision: ArticleRevision,
    photos: Sequence[PhotoUpload],
    written: list[tuple[Any, str]],
) -> list[ArticlePhoto]:
    stored = []
    position = article.photos.count()
    for item in photos:
        photo = ArticlePhoto(
            article=article,
            added_in=revision,
            caption=item.caption.strip(),
            credit=item.credit.strip(),
            position=position,
            original_name=PurePath(item.upload.name or "").name[:255],
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for size, side in RENDITIONS.items():
            content = evidence.downscaled(item.upload, max_side=side)
            field = photo.file_for(size)
            field.save(item.upload.name, content, save=False)
            written.append((field.storage, field.name))
            setattr(photo, f"width_{size}", content.image_size[0])
            if size == "l":
                photo.height_l = content.image_size[1]
        photo.save()
        stored.append(photo)
        position += 1
    return stored
