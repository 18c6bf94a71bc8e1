"""What counts as acceptable evidence, checked by extension, declared type, content and size."""

from __future__ import annotations

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programs import evidence
from programs.models import Evidence

from .factories import huge_png, pdf, pdf_with, photo


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


# --- Decompression bombs: the size is read from the header, and a photo too big is never decoded ---


@pytest.fixture
def indonesian():
    """The refusals are read in the site's first language, whatever an earlier test activated."""
    from django.utils import translation

    with translation.override("id"):
        yield


def _never_decoded(monkeypatch):
    from PIL import ImageFile

    def refuse(*args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_image_of_too_many_pixels_is_refused_before_decoding(monkeypatch, indonesian):
    """12,000 x 12,000 pixels in a few kilobytes: decoding it would take gigabytes of memory."""
    upload = huge_png(size=(12_000, 12_000))
    assert upload.size < 100_000
    _never_decoded(monkeypatch)
    with pytest.raises(ValidationError) as exc:
        evidence.check_upload(upload)
    assert "megapiksel" in exc.value.messages[0]


def test_beyond_pillows_own_bomb_limit_is_the_same_refusal(indonesian):
    """Pillow itself raises DecompressionBombError past twice its limit: a clear refusal, not a 500."""
    with pytest.raises(ValidationError) as exc:
        evidence.check_upload(huge_png(size=(20_000, 20_000)))
    assert "megapiksel" in exc.value.messages[0]


def test_pixel_limit_comes_from_settings(settings):
    settings.EVIDENCE_MAX_PIXELS = 1_000_000
    assert evidence.check_upload(photo(size=(1000, 1000))) == Evidence.FileKind.PHOTO
    with pytest.raises(ValidationError):
        evidence.check_upload(photo(size=(1001, 1000)))


def test_prepared_refuses_a_bomb_too(monkeypatch):
    """The store step never decodes an image that was not checked (defence in depth)."""
    _never_decoded(monkeypatch)
    with pytest.raises(ValidationError):
        evidence.prepared(huge_png(), Evidence.FileKind.PHOTO)


# --- PDFs with active content: scripts, launch actions, embedded files, rich media, XFA forms -------

JPEG_NOISE = bytes(range(128, 256))
CATALOG = b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R %s >>\nendobj\n"


def _object_stream(content: bytes, *, compressed: bytes | None = None) -> bytes:
    data = zlib.compress(content) if compressed is None else compressed
    head = b"5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(data)
    return head + data + b"\nendstream\nendobj\n"


@pytest.mark.parametrize(
    "body",
    [
        CATALOG % b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        CATALOG % b"/Names << /JavaScript 7 0 R >>",
        CATALOG % b"/AA << /O 8 0 R >>",
        b"8 0 obj << /S /Launch /F (cmd.exe) >> endobj",
        b"9 0 obj << /Type /EmbeddedFile /Length 3 >> stream\nabc\nendstream endobj",
        b"9 0 obj << /Type /Annot /Subtype /RichMedia >> endobj",
        CATALOG % b"/AcroForm << /XFA 10 0 R >>",
        # Names may spell a character as #hex: /J#53 is /JS.
        CATALOG % b"/OpenAction << /S /JavaScr#69pt /J#53 (app.alert(1)) >>",
        # Hidden inside a compressed object stream.
        CATALOG % b"" + _object_stream(b"6 0 << /S /JavaScript /JS (app.alert(1)) >>"),
    ],
    ids=["openaction-js", "names-js", "aa", "launch", "embedded", "richmedia", "xfa", "hex-escaped", "objstm"],
)
def test_pdf_with_active_content_is_refused(body, indonesian):
    with pytest.raises(ValidationError) as exc:
        evidence.check_upload(pdf_with(body))
    assert "konten aktif" in exc.value.messages[0]


@pytest.mark.parametrize(
    "body",
    [
        CATALOG % b"/OpenAction [3 0 R /Fit]",  # "open at page 1, fit": common and harmless
        CATALOG % b"/Info (see the /JS and /AA keys in the manual)",  # words in a string, not names
        # A photo's compressed bytes that happen to contain "/JS ": data, not a name.
        b"4 0 obj << /Subtype /Image /Filter /DCTDecode >> stream\n%s/JS %s/AA[%s\nendstream endobj"
        % (JPEG_NOISE, JPEG_NOISE, JPEG_NOISE),
        CATALOG % b"" + _object_stream(b"6 0 << /Type /Page /Parent 2 0 R >>"),
    ],
    ids=["openaction-page", "string", "binary-stream", "clean-objstm"],
)
def test_plain_pdf_is_accepted(body):
    assert evidence.check_upload(pdf_with(body)) == Evidence.FileKind.PDF


def test_object_stream_that_cannot_be_read_is_refused(indonesian):
    body = CATALOG % b"" + _object_stream(b"", compressed=b"not deflate data at all")
    with pytest.raises(ValidationError) as exc:
        evidence.check_upload(pdf_with(body))
    assert "tidak dapat diperiksa" in exc.value.messages[0]


def test_object_stream_that_inflates_without_end_is_refused(settings, indonesian):
    """A few kilobytes that inflate to far more than any evidence needs are not inflated to the end."""
    settings.EVIDENCE_MAX_BYTES = 100_000
    body = CATALOG % b"" + _object_stream(b" " * 50_000_000)
    with pytest.raises(ValidationError, match="tidak dapat diperiksa"):
        evidence.check_upload(pdf_with(body))
