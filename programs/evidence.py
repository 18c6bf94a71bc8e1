"""Evidence uploads: what is accepted, and how photos are made fit for phones.

A file is accepted only when its extension, its declared content type and its actual content agree,
and it is not larger than settings.EVIDENCE_MAX_BYTES. Photos are re-encoded at most 1600 px on the
long side: small enough to open on a cheap phone, and re-encoding drops the EXIF block, which often
carries the GPS position of a volunteer's home.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Evidence

MAX_PHOTOS = 3
MAX_SIDE = 1600
FIELD = "evidence_files"


@dataclass(frozen=True)
class _Accepted:
    file_kind: str
    content_types: frozenset[str]
    pillow_format: str | None  # None: not an image


_JPEG = _Accepted(Evidence.FileKind.PHOTO, frozenset({"image/jpeg", "image/pjpeg"}), "JPEG")
ACCEPTED: dict[str, _Accepted] = {
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".png": _Accepted(Evidence.FileKind.PHOTO, frozenset({"image/png"}), "PNG"),
    ".webp": _Accepted(Evidence.FileKind.PHOTO, frozenset({"image/webp"}), "WEBP"),
    ".pdf": _Accepted(Evidence.FileKind.PDF, frozenset({"application/pdf"}), None),
}
ACCEPT_ATTR = ",".join([*ACCEPTED, "image/jpeg", "image/png", "image/webp", "application/pdf"])


def max_megabytes() -> str:
    return f"{settings.EVIDENCE_MAX_BYTES / (1024 * 1024):.3g}"


def _refuse(message: str, name: str) -> ValidationError:
    return ValidationError(message % {"name": name}, code="invalid_evidence")


def check_upload(upload: UploadedFile) -> str:
    """The evidence kind (photo or PDF) of an acceptable upload; a ValidationError otherwise."""
    name = PurePath(upload.name or "").name
    accepted = ACCEPTED.get(PurePath(name).suffix.lower())
    if accepted is None:
        raise _refuse(_("%(name)s: attach a JPG, PNG or WebP photo, or a PDF."), name)
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": max_megabytes()},
            code="invalid_evidence",
        )
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if declared not in accepted.content_types:
        raise _refuse(_("%(name)s is not the kind of file its name says."), name)
    upload.seek(0)
    if accepted.pillow_format is None:
        ok = upload.read(5) == b"%PDF-"
    else:
        try:
            with Image.open(upload) as image:
                ok = image.format == accepted.pillow_format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            ok = False
    upload.seek(0)
    if not ok:
        raise _refuse(_("%(name)s is not the kind of file its name says."), name)
    return accepted.file_kind


def check_evidence_set(*, photos: int, pdfs: int) -> None:
    """Up to three photos, or one PDF: enough to prove the work, little enough to store for years."""
    if pdfs and photos:
        raise ValidationError({FIELD: _("Attach either photos or one PDF, not both.")})
    if pdfs > 1:
        raise ValidationError({FIELD: _("Attach at most one PDF.")})
    if photos > MAX_PHOTOS:
        raise ValidationError({FIELD: _("Attach at most %(n)s photos.") % {"n": MAX_PHOTOS}})


def prepared(upload: UploadedFile, file_kind: str) -> File:
    """The content to store: photos downscaled and re-encoded, PDFs as uploaded."""
    upload.seek(0)
    if file_kind != Evidence.FileKind.PHOTO:
        return upload
    with Image.open(upload) as original:
        fmt = original.format
        image = ImageOps.exif_transpose(original)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 85, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
        image.save(buffer, format=fmt, **options)
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name=PurePath(upload.name).name)
