"""What counts as acceptable evidence, checked by extension, declared type, content and size."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programs import evidence
from programs.models import Evidence

from .factories import pdf, photo


@pytest.mark.parametrize(
    "upload, kind",
    [
        (photo("a.jpg"), Evidence.FileKind.PHOTO),
        (photo("a.JPEG"), Evidence.FileKind.PHOTO),
        (photo("a.png", fmt="PNG"), Evidence.FileKind.PHOTO),
        (photo("a.webp", fmt="WEBP"), Evidence.FileKind.PHOTO),
        (pdf(), Evidence.FileKind.PDF),
    ],
)
def test_accepted(upload, kind):
    assert evidence.check_upload(upload) == kind


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream"),
        SimpleUploadedFile("catatan.docx", b"PK..", content_type="application/msword"),
        # A name that lies about the content:
        SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg"),
        SimpleUploadedFile("laporan.pdf", b"<html>hello</html>", content_type="application/pdf"),
        # A declared type that does not match the name:
        SimpleUploadedFile("foto.jpg", photo().read(), content_type="text/html"),
        # A PNG named .jpg:
        SimpleUploadedFile("foto.jpg", photo(fmt="PNG").read(), content_type="image/jpeg"),
    ],
)
def test_wrong_type_refused(upload):
    with pytest.raises(ValidationError):
        evidence.check_upload(upload)


def test_oversized_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        evidence.check_upload(pdf(padding=2000))
    assert "MB" in exc.value.messages[0]


@pytest.mark.parametrize(
    "photos, pdfs, ok",
    [(3, 0, True), (0, 1, True), (4, 0, False), (0, 2, False), (1, 1, False), (0, 0, True)],
)
def test_three_photos_or_one_pdf(photos, pdfs, ok):
    if ok:
        evidence.check_evidence_set(photos=photos, pdfs=pdfs)
    else:
        with pytest.raises(ValidationError):
            evidence.check_evidence_set(photos=photos, pdfs=pdfs)


def test_small_photo_is_reencoded_without_exif():
    """A phone photo's EXIF may hold the GPS position of a volunteer's home: it is not kept."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # camera make, standing in for the GPS block
    Image.new("RGB", (800, 600), (200, 10, 10)).save(buffer, format="JPEG", exif=exif.tobytes())
    upload = SimpleUploadedFile("hp.jpg", buffer.getvalue(), content_type="image/jpeg")
    with Image.open(upload) as original:
        assert original.getexif()
    prepared = evidence.prepared(upload, Evidence.FileKind.PHOTO)
    with Image.open(prepared) as image:
        assert image.size == (800, 600)
        assert not image.getexif()
