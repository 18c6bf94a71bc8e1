"""Evidence uploads: what is accepted, how photos are made fit for phones, and how files are served.

A file is accepted only when its extension, its declared content type and its actual content agree,
and it is not larger than settings.EVIDENCE_MAX_BYTES. A photo may have at most
settings.EVIDENCE_MAX_PIXELS pixels, read from its header before anything is decoded: a PNG of
12,000 x 12,000 pixels fits in 420 KB and takes over a gigabyte to decode. A PDF must carry no active
content (scripts, launch actions, embedded files: see programs.evidence_pdf). Photos are re-encoded at
most 1600 px on the long side: small enough to open on a cheap phone, and re-encoding drops the EXIF
block, which often carries the GPS position of a volunteer's home.
"""

from __future__ import annotations

import io
import mimetypes
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from . import evidence_pdf
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


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is too large an image: a photo may have at most %(mp)s megapixels. Send a smaller photo.")
        % {"name": name, "mp": f"{settings.EVIDENCE_MAX_PIXELS / 1_000_000:.3g}"},
        code="invalid_evidence",
    )


def _open_image(upload: UploadedFile, name: str) -> Image.Image:
    """The image with only its header read, refused when it has more pixels than evidence needs.
    Pillow's own guard (a warning past 89 megapixels, an error past 179) is far above what a phone
    photo has, and its warning lets the decode go ahead: ours refuses before decoding."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)
    except Image.DecompressionBombError:
        raise _too_many_pixels(name) from None
    width, height = image.size
    if width * height > settings.EVIDENCE_MAX_PIXELS:
        image.close()
        raise _too_many_pixels(name)
    return image


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
        if ok:
            upload.seek(0)
            _check_pdf(upload.read(), name)
    else:
        try:
            with _open_image(upload, name) as image:
                ok = image.format == accepted.pillow_format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            ok = False
    upload.seek(0)
    if not ok:
        raise _refuse(_("%(name)s is not the kind of file its name says."), name)
    return accepted.file_kind


def _check_pdf(data: bytes, name: str) -> None:
    # Object streams inflate to a few times the file at most; ten times the largest upload is
    # generous for a report and bounded for a crafted file.
    verdict = evidence_pdf.scan(data, inflate_budget=10 * settings.EVIDENCE_MAX_BYTES)
    if verdict == evidence_pdf.Verdict.ACTIVE:
        raise _refuse(
            _(
                "%(name)s contains active content (scripts, embedded files or interactive forms). "
                "Print it to a new PDF, or scan the paper, and attach that copy."
            ),
            name,
        )
    if verdict == evidence_pdf.Verdict.UNREADABLE:
        raise _refuse(
            _(
                "%(name)s could not be checked for active content (it is encrypted or compressed in an "
                "unusual way). Print it to a new PDF and attach that copy."
            ),
            name,
        )


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
    return downscaled(upload, max_side=MAX_SIDE)


def downscaled(upload: UploadedFile, *, max_side: int) -> ContentFile:
    """A checked photo (check_upload) at most `max_side` pixels on its long side, turned upright and
    re-encoded in its own format: re-encoding drops the EXIF block and its GPS position. Used for
    evidence and for the renditions of citizen-journalism photos."""
    upload.seek(0)
    name = PurePath(upload.name or "").name
    with _open_image(upload, name) as original:
        fmt = original.format
        image = ImageOps.exif_transpose(original)
        image.thumbnail((max_side, max_side))
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 85, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
        image.save(buffer, format=fmt, **options)
    upload.seek(0)
    content = ContentFile(buffer.getvalue(), name=name)
    content.image_size = image.size  # type: ignore[attr-defined] - the caller records width and height
    return content


def file_response(item: Evidence) -> FileResponse:
    """An evidence file as a download that cannot act in the site's origin, whatever it holds: a
    PDF stored before its script could be caught, or a file whose bytes a browser might sniff as
    HTML, must not run with the session of the officer who opens it. Photos still show in <img>
    (which ignores the disposition and runs no script)."""
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = (
        "application/pdf"
        if item.file_kind == Evidence.FileKind.PDF
        else mimetypes.guess_type(item.file.name)[0] or "application/octet-stream"
    )
    response = FileResponse(handle, as_attachment=True, filename=item.original_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
