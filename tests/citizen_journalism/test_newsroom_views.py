"""The newsroom from the URL: who may open what, the forms' messages, nothing half-saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_journalism import services
from citizen_journalism.models import Article, ArticleRevision, State
from kpmi_si.concurrency import record_version
from tests.programs.factories import photo

from .conftest import article_data, form_data

pytestmark = pytest.mark.django_db


def test_a_member_writes_and_sends_an_article_with_a_photo(client_for, pioneer, kpmi_a, category):
    client = client_for(pioneer)
    assert client.get(reverse("citizen_journalism:article_create")).status_code == 200
    data = form_data(kpmi_a, category, photo_1=photo(), photo_1_caption="Saung tani", photo_1_credit="Asep")
    response = client.post(reverse("citizen_journalism:article_create"), data)
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_manage_url()
    assert article.state == State.SUBMITTED and article.photos.count() == 1
    page = client.get(article.get_manage_url()).content.decode()
    assert "Internet masuk ke saung tani" in page and "Perintis" in page


def test_saving_a_draft_sends_nothing(client_for, pioneer, kpmi_a, category, editor):
    client_for(pioneer).post(reverse("citizen_journalism:article_create"), form_data(kpmi_a, category, action="save"))
    assert Article.objects.get().state == State.DRAFT
    assert "Internet masuk" not in client_for(editor).get(reverse("citizen_journalism:queue")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"body": ""}, "Tulis isi berita."),
        ({"body": "x" * 45_000}, "paling banyak 40000 karakter"),
        ({"title": ""}, "Bidang ini tidak boleh kosong."),
    ],
)
def test_bad_input_comes_back_with_a_message(client_for, pioneer, kpmi_a, category, overrides, field_message):
    response = client_for(pioneer).post(
        reverse("citizen_journalism:article_create"), form_data(kpmi_a, category, **overrides)
    )
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not Article.objects.exists()


def test_a_file_that_is_not_a_photo_gets_a_field_message(client_for, pioneer, kpmi_a, category):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 bukan foto", content_type="image/jpeg")
    data = form_data(kpmi_a, category, photo_1=fake, photo_1_caption="x", photo_1_credit="y")
    response = client_for(pioneer).post(reverse("citizen_journalism:article_create"), data)
    assert response.status_code == 200
    assert "foto.jpg" in response.context["form"].errors["photo_1"][0]
    assert not Article.objects.exists() and not ArticleRevision.objects.exists()


def test_a_village_of_another_district_gets_a_field_message(client_for, pioneer, kpmi_a, kpmi_b, category):
    from members.models import Desa

    elsewhere = Desa.objects.filter(kecamatan=kpmi_b.kecamatan).first()
    response = client_for(pioneer).post(
        reverse("citizen_journalism:article_create"), form_data(kpmi_a, category, desa=elsewhere.code)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["desa"] == ["Desa ini tidak berada di kecamatan yang dipilih."]
    assert not Article.objects.exists()


def test_a_ten_megabyte_body_is_a_clear_page_not_a_server_error(client_for, pioneer, kpmi_a, category):
    client = client_for(pioneer, raise_request_exception=False)
    response = client.post(
        reverse("citizen_journalism:article_create"), form_data(kpmi_a, category, body="x" * (10 * 1024 * 1024))
    )
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()
    assert not Article.objects.exists()


def test_script_markup_is_stored_harmless(client_for, pioneer, kpmi_a, category):
    body = "<script>alert(1)</script> <img src=x onerror=alert(1)> [klik](JaVaScRiPt:alert(1))"
    client_for(pioneer).post(reverse("citizen_journalism:article_create"), form_data(kpmi_a, category, body=body))
    html = Article.objects.get().latest_revision.body_html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html.lower()


def test_another_writers_article_is_not_found(client_for, submitted, member_user_a, kpmi_a, category):
    client = client_for(member_user_a)
    assert client.get(reverse("citizen_journalism:article_edit", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("citizen_journalism:article_manage", args=[submitted.pk])).status_code == 404
    response = client.post(reverse("citizen_journalism:article_edit", args=[submitted.pk]), form_data(kpmi_a, category))
    assert response.status_code == 404
    assert submitted.revisions.count() == 1


def test_the_queue_is_for_editors(client_for, outsider, member_user_a, editor, submitted, cibatu_editor):
    assert client_for(outsider).get(reverse("citizen_journalism:queue")).status_code == 403
    assert client_for(member_user_a).get(reverse("citizen_journalism:queue")).status_code == 403
    assert client_for(None).get(reverse("citizen_journalism:queue")).status_code == 302
    assert (
        submitted.latest_revision.title in client_for(editor).get(reverse("citizen_journalism:queue")).content.decode()
    )
    # An editor of Cibatu does not see an article about Tarogong Kidul.
    assert (
        submitted.latest_revision.title
        not in client_for(cibatu_editor).get(reverse("citizen_journalism:queue")).content.decode()
    )


def test_an_editor_cannot_approve_their_own_article_from_the_url(client_for, writing_editor, kpmi_a, category):
    article = services.article_write(actor=writing_editor, data=article_data(kpmi_a, category), submit=True)
    client = client_for(writing_editor)
    response = client.post(reverse("citizen_journalism:approve", args=[article.pk]), {"publish_at": ""}, follow=True)
    assert "Anda menulis artikel ini" in response.content.decode()
    article.refresh_from_db()
    assert article.state == State.SUBMITTED and article.activity is None


def test_editor_decisions_from_the_url(client_for, editor, submitted, pioneer, kpmi_a, category):
    client = client_for(editor)
    response = client.post(reverse("citizen_journalism:request_changes", args=[submitted.pk]), {"comment": ""})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED  # an empty comment is refused
    client.post(reverse("citizen_journalism:request_changes", args=[submitted.pk]), {"comment": "Tambah data."})
    submitted.refresh_from_db()
    assert submitted.state == State.CHANGES_REQUESTED

    writer = client_for(pioneer)
    data = form_data(kpmi_a, category, body="Versi perbaikan.", version=record_version(submitted))
    writer.post(reverse("citizen_journalism:article_edit", args=[submitted.pk]), data)
    submitted.refresh_from_db()
    assert (submitted.state, submitted.latest_revision.number) == (State.SUBMITTED, 2)

    client.post(reverse("citizen_journalism:approve", args=[submitted.pk]), {"publish_at": ""})
    submitted.refresh_from_db()
    assert submitted.state == State.PUBLISHED
    assert client_for(None).get(submitted.get_absolute_url()).status_code == 200


def test_a_stale_edit_form_is_refused(client_for, pioneer, kpmi_a, category):
    article = services.article_write(actor=pioneer, data=article_data(kpmi_a, category), submit=False)
    old_version = record_version(article)
    services.article_write(
        actor=pioneer, article=article, data=article_data(kpmi_a, category, title="Baru"), submit=False
    )
    response = client_for(pioneer).post(
        reverse("citizen_journalism:article_edit", args=[article.pk]), form_data(kpmi_a, category, version=old_version)
    )
    assert response.status_code == 200
    assert article.revisions.count() == 2


def test_an_edit_of_a_published_article_goes_back_through_review(
    client_for, published, pioneer, editor, kpmi_a, category
):
    writer = client_for(pioneer)
    data = form_data(kpmi_a, category, title="Judul dikoreksi", note="", version=record_version(published))
    response = writer.post(reverse("citizen_journalism:article_edit", args=[published.pk]), data)
    assert response.status_code == 200  # the correction needs a note for readers
    data["note"] = "Judul diperbaiki."
    writer.post(reverse("citizen_journalism:article_edit", args=[published.pk]), data)
    published.refresh_from_db()
    assert published.state == State.CORRECTION_SUBMITTED
    public = client_for(None).get(published.get_absolute_url()).content.decode()
    assert "Internet masuk ke saung tani" in public and "Judul dikoreksi" not in public

    client_for(editor).post(
        reverse("citizen_journalism:correction_approve", args=[published.pk]), {"correction_note": "Judul diperbaiki."}
    )
    public = client_for(None).get(published.get_absolute_url()).content.decode()
    assert "Judul dikoreksi" in public and "Judul diperbaiki." in public and "Koreksi" in public
