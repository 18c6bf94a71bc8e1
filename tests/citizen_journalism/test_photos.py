"""Photos are checked and stripped like evidence photos, stored in three sizes, and shown to readers
only with the version they came with."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from citizen_journalism import services
from citizen_journalism.models import Article, ArticlePhoto
from tests.programs.factories import huge_png, pdf, photo

from .conftest import article_data

pytestmark = pytest.mark.django_db


def _jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (3000, 2000), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (7.0, 13.0, 0.0)}  # GPSInfo: somewhere in Garut
    exif[0x010F] = "KameraPonsel"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("rumah.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_photos_are_downscaled_in_three_sizes_without_location(pioneer, kpmi_a, category):
    upload = services.PhotoUpload(upload=_jpeg_with_gps(), caption="Saung", credit="Asep")
    article = services.article_write(actor=pioneer, data=article_data(kpmi_a, category), submit=True, photos=[upload])
    stored = article.photos.get()
    assert (stored.width_s, stored.width_m, stored.width_l, stored.height_l) == (480, 960, 1600, 1067)
    for size in "sml":
        with stored.file_for(size).open("rb") as handle, Image.open(handle) as image:
            assert not image.getexif(), size
    assert "480w" in stored.srcset and "1600w" in stored.srcset


@pytest.mark.parametrize(
    "upload",
    [
        lambda: SimpleUploadedFile("foto.jpg", b"bukan gambar sama sekali", content_type="image/jpeg"),
        lambda: pdf("foto.pdf"),
        lambda: SimpleUploadedFile("foto.html", b"<script>alert(1)</script>", content_type="text/html"),
        lambda: huge_png(),
    ],
    ids=["text-named-jpg", "pdf", "html", "decompression-bomb"],
)
def test_a_file_that_is_no_fit_photo_gets_a_message_and_nothing_is_saved(pioneer, kpmi_a, category, media_root, upload):
    item = services.PhotoUpload(upload=upload(), caption="Foto", credit="Asep", field="photo_1")
    with pytest.raises(ValidationError) as caught:
        services.article_write(actor=pioneer, data=article_data(kpmi_a, category), submit=True, photos=[item])
    assert caught.value.message_dict["photo_1"]
    assert not Article.objects.exists()
    assert not list(media_root.rglob("*.*"))


def test_a_photo_needs_a_caption_and_a_credit(pioneer, kpmi_a, category):
    item = services.PhotoUpload(upload=photo(), caption=" ", credit="", field="photo_1")
    with pytest.raises(ValidationError) as caught:
        services.article_write(actor=pioneer, data=article_data(kpmi_a, category), submit=True, photos=[item])
    assert set(caught.value.message_dict) >= {"photo_1_caption", "photo_1_credit"}


def test_a_refused_save_leaves_no_file_behind(pioneer, kpmi_a, category, media_root):
    item = services.PhotoUpload(upload=photo(), caption="Foto", credit="Asep", field="photo_1")
    with pytest.raises(ValidationError):
        services.article_write(actor=pioneer, data=article_data(kpmi_a, category, body=""), submit=True, photos=[item])
    assert not ArticlePhoto.objects.exists()
    assert not list(media_root.rglob("*.jpg"))
