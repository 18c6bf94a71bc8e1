"""Logging without a signal, the server's side: the JSON twin of each logging form that the phone's
outbox sends to (the online form's rules and service, the same idempotency keys), the user's lists
for the phone, the pages kept for offline use, the service worker, the manifest, the logout."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kpmi_si.audit.models import AuditEntry
from kpmi_si.idempotency.models import IdempotencyKey
from members.models import KpmiRole
from programs.models import Activity, Evidence, Status
from tests import factories

from .test_log import publication_post

pytestmark = pytest.mark.django_db


def sync_url(kpmi, slug: str = "terbitan") -> str:
    return f"{reverse('programs:activity_sync', args=[slug])}?kpmi={kpmi.pk}"


def entry(kpmi, credited, key=None, **overrides) -> dict:
    """A queued entry as the phone sends it: the form's fields and the key made on the phone."""
    return {**publication_post(kpmi, credited, **overrides), "idempotency_key": str(key or uuid.uuid4())}


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 140, 60)).save(buffer, format="JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), "image/jpeg")


class TestSync:
    def test_an_entry_is_logged_once_with_its_photo(self, client_for, manager_a, manager_member_a, kpmi_a):
        data = {**entry(kpmi_a, [manager_member_a]), "evidence_files": [photo()]}
        response = client_for(manager_a).post(sync_url(kpmi_a), data)
        assert response.status_code == 201, response.content
        answer = response.json()
        activity = Activity.objects.get()
        assert answer["ok"] and answer["created"] and answer["url"] == activity.get_absolute_url()
        assert activity.status == Status.APPROVED and activity.kpmi == kpmi_a
        assert Evidence.objects.filter(activity=activity).count() == 1
        assert IdempotencyKey.objects.get().target == activity
        assert AuditEntry.objects.filter(action="activity.log").count() == 1

    def test_the_same_entry_sent_again_creates_nothing(self, client_for, manager_a, manager_member_a, kpmi_a):
        """The answer was lost on the way back; the phone sends the entry again with its key."""
        data = entry(kpmi_a, [manager_member_a])
        client = client_for(manager_a)
        first = client.post(sync_url(kpmi_a), data)
        again = client.post(sync_url(kpmi_a), data)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json()["created"] is False and again.json()["url"] == first.json()["url"]
        assert Activity.objects.count() == 1
        # and no message waits for the next page: the JSON said it
        assert "Formulir ini sudah dikirim" not in client.get(reverse("home"), follow=True).content.decode()

    def test_an_online_form_key_sent_again_by_the_outbox_creates_nothing(
        self, client_for, manager_a, manager_member_a, kpmi_a
    ):
        """One key table for both paths: a page sent online, then queued by the phone and sent again."""
        client = client_for(manager_a)
        data = entry(kpmi_a, [manager_member_a])
        online = client.post(f"{reverse('programs:activity_create', args=['terbitan'])}?kpmi={kpmi_a.pk}", data)
        assert online.status_code == 302
        assert client.post(sync_url(kpmi_a), data).status_code == 200
        assert Activity.objects.count() == 1

    def test_a_refused_entry_gets_the_online_forms_field_messages(
        self, client_for, manager_a, manager_member_a, kpmi_a
    ):
        data = entry(kpmi_a, [manager_member_a], link="")  # online content without its link
        online = client_for(manager_a).post(
            f"{reverse('programs:activity_create', args=['terbitan'])}?kpmi={kpmi_a.pk}", data
        )
        response = client_for(manager_a).post(sync_url(kpmi_a), data)
        assert response.status_code == 400
        answer = response.json()
        assert answer["ok"] is False
        assert (
            answer["errors"]["link"]
            == online.context["form"].errors["link"]
            == ["Isi tautan ke konten yang terbit daring."]
        )
        assert answer["labels"]["link"]
        assert not Activity.objects.exists() and not IdempotencyKey.objects.exists()
        # corrected, the same key goes through (nothing of the refusal was stored)
        fixed = {**data, "link": "https://instagram.com/p/abc"}
        assert client_for(manager_a).post(sync_url(kpmi_a), fixed).status_code == 201

    def test_a_tampered_cached_form_is_validated_again(self, client_for, manager_a, manager_member_a, member_b, kpmi_a):
        """Whatever the phone kept or someone changed in it: another group's member as one of ours,
        a district that does not exist, a date in the future, a channel not offered."""
        data = entry(kpmi_a, [member_b], kecamatan="9999999", date="2999-01-01", channel="pigeon", status="approved")
        response = client_for(manager_a).post(sync_url(kpmi_a), data)
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert {"credited", "kecamatan", "date", "channel"} <= set(errors)
        assert not Activity.objects.exists()

    def test_a_key_of_another_user_is_refused_and_nothing_is_stored(
        self, client_for, manager_a, supervisor_a, manager_member_a, kpmi_a
    ):
        key = uuid.uuid4()
        assert client_for(manager_a).post(sync_url(kpmi_a), entry(kpmi_a, [manager_member_a], key)).status_code == 201
        stolen = entry(kpmi_a, [manager_member_a], key, title="Disalin orang lain")
        response = client_for(supervisor_a).post(sync_url(kpmi_a), stolen)
        assert response.status_code == 400
        assert response.json()["errors"]["__all__"]
        assert Activity.objects.count() == 1 and IdempotencyKey.objects.count() == 1
        assert "Disalin" not in response.content.decode()  # nothing revealed of the first record either

    def test_a_key_of_another_kind_of_form_is_refused(self, client_for, manager_a, manager_member_a, kpmi_a):
        key = uuid.uuid4()
        IdempotencyKey.objects.create(key=key, user=manager_a, scope="members.member")
        response = client_for(manager_a).post(sync_url(kpmi_a), entry(kpmi_a, [manager_member_a], key))
        assert response.status_code == 400 and not Activity.objects.exists()

    def test_an_entry_without_a_key_or_with_a_forged_one_is_refused(
        self, client_for, manager_a, manager_member_a, kpmi_a
    ):
        client = client_for(manager_a)
        for key in ("", "not-a-key", "'; DROP TABLE x; --"):
            data = {**entry(kpmi_a, [manager_member_a]), "idempotency_key": key}
            response = client.post(sync_url(kpmi_a), data)
            assert response.status_code == 400, key
            assert response.json()["errors"]["__all__"]
        assert not Activity.objects.exists()

    def test_an_entry_for_a_kpmi_the_user_no_longer_keeps_is_refused_with_a_message(
        self, client_for, manager_a, manager_member_a, kpmi_a
    ):
        data = entry(kpmi_a, [manager_member_a])
        KpmiRole.objects.filter(user=manager_a, kpmi=kpmi_a).delete()
        manager_member_a.kpmi = factories.KpmiFactory(name="KPMI Baru")
        manager_member_a.save()
        response = client_for(manager_a).post(sync_url(kpmi_a), data)
        assert response.status_code == 403
        assert "KPMI Alfa" in response.json()["errors"]["__all__"][0]
        assert not Activity.objects.exists() and not IdempotencyKey.objects.exists()

    def test_another_groups_manager_is_refused(self, client_for, manager_b, manager_member_a, kpmi_a):
        response = client_for(manager_b).post(sync_url(kpmi_a), entry(kpmi_a, [manager_member_a]))
        assert response.status_code == 403 and not Activity.objects.exists()

    def test_a_member_logs_their_own_work_to_be_approved(self, client_for, member_user_a, member_a, kpmi_a):
        response = client_for(member_user_a).post(sync_url(kpmi_a), entry(kpmi_a, [member_a]))
        assert response.status_code == 201
        assert Activity.objects.get().status == Status.PENDING
        assert "menyetujui" in response.json()["message"]

    def test_an_ended_session_gets_401_and_the_entry_waits(self, client, manager_member_a, kpmi_a):
        response = client.post(sync_url(kpmi_a), entry(kpmi_a, [manager_member_a]))
        assert response.status_code == 401
        assert response.json()["login"] == reverse("login")
        assert not Activity.objects.exists()

    def test_only_post_and_only_known_kinds_and_groups(self, client_for, manager_a, manager_member_a, kpmi_a):
        client = client_for(manager_a)
        assert client.get(sync_url(kpmi_a)).status_code == 405
        assert client.post(sync_url(kpmi_a, "lainnya"), entry(kpmi_a, [manager_member_a])).status_code == 404
        no_group = reverse("programs:activity_sync", args=["terbitan"]) + "?kpmi=²"
        assert client.post(no_group, entry(kpmi_a, [manager_member_a])).status_code == 404

    def test_csrf_is_required(self, client_for, manager_a, manager_member_a, kpmi_a):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        strict.force_login(manager_a)
        assert strict.post(sync_url(kpmi_a), entry(kpmi_a, [manager_member_a])).status_code == 403
        assert not Activity.objects.exists()


class TestListsAndPages:
    def test_the_lists_hold_the_users_groups_and_nothing_of_another_kpmi(
        self, client_for, manager_a, manager_member_a, member_b, kpmi_a, kpmi_b
    ):
        data = client_for(manager_a).get(reverse("programs:offline_lists")).json()
        assert data["user"] == manager_a.pk and data["csrf"]
        assert [k["id"] for k in data["kpmis"]] == [kpmi_a.pk]
        names = {m["name"] for m in data["kpmis"][0]["members"]}
        assert manager_member_a.full_name in names and member_b.full_name not in names
        assert len(data["kecamatan"]) == 42 and len(data["desa"]) > 400
        assert f"/kegiatan/catat/terbitan/?kpmi={kpmi_a.pk}" in data["pages"]
        assert not any(f"kpmi={kpmi_b.pk}" in page for page in data["pages"])
        assert "Neng Beta" not in json.dumps(data)

    def test_the_lists_need_someone_who_logs_work(self, client_for, officer_users, client):
        assert client_for(officer_users).get(reverse("programs:offline_lists")).status_code == 403
        assert client.get(reverse("programs:offline_lists")).status_code == 302

    def test_the_kept_form_lists_no_member_of_another_kpmi(self, client_for, manager_a, member_b, kpmi_a):
        url = f"{reverse('programs:activity_create', args=['pelatihan'])}?kpmi={kpmi_a.pk}"
        client = client_for(manager_a)
        online = client.get(url).content.decode()
        kept = client.get(url, headers={"X-Offline-Copy": "1"}).content.decode()
        # The online form offers joint work with other groups through its search (#14), lists none.
        assert 'name="credited_other_q"' in online and "Neng Beta" not in online
        assert "Neng Beta" not in kept
        assert 'name="credited_other"' in kept  # the field is still there, with the same name
        assert 'data-copy="1"' in kept and "data-copy" not in online  # the copy always queues

    def test_the_kept_page_does_not_eat_the_users_messages(self, client_for, manager_a, manager_member_a, kpmi_a):
        client = client_for(manager_a)
        url = f"{reverse('programs:activity_create', args=['terbitan'])}?kpmi={kpmi_a.pk}"
        client.post(url, entry(kpmi_a, [manager_member_a]))
        client.get(reverse("programs:log_menu"), headers={"X-Offline-Copy": "1"})
        client.get(url, headers={"X-Offline-Copy": "1"})
        assert "Kegiatan sudah dicatat" in client.get(Activity.objects.get().get_absolute_url()).content.decode()

    def test_the_outbox_page_and_the_indicator(self, client_for, manager_a, officer_users):
        page = client_for(manager_a).get(reverse("programs:outbox"))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="outbox-list"' in html and 'id="outbox-indicator"' in html
        strings = json.loads(__import__("html").unescape(html.split('data-strings="', 1)[1].split('"', 1)[0]))
        assert strings["many"] == "%s kegiatan menunggu sinyal"
        assert client_for(officer_users).get(reverse("programs:outbox")).status_code == 403
        # someone who logs no work carries no outbox
        assert (
            'id="outbox-indicator"' not in client_for(officer_users).get(reverse("home"), follow=True).content.decode()
        )


class TestInstallableApp:
    def test_the_service_worker_covers_the_site_and_carries_the_release(self, client):
        response = client.get("/sw.js")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/javascript")
        assert response["Service-Worker-Allowed"] == "/"
        body = response.content.decode()
        config = json.loads(body.split("self.KPMI_SW = ", 1)[1].split(";\n", 1)[0])
        assert len(config["version"]) == 12 and "/static/js/outbox.js" in config["precache"]
        assert "importScripts" in body

    def test_the_manifest_makes_it_installable(self, client):
        response = client.get(reverse("manifest"))
        assert response["Content-Type"] == "application/manifest+json"
        data = response.json()
        assert data["short_name"] == "SI KPMI" and data["display"] == "standalone"
        assert data["start_url"] == reverse("home") and data["lang"] == "id"
        assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
        assert any(icon["purpose"] == "maskable" for icon in data["icons"])
        for icon in data["icons"]:
            assert client.get(icon["src"]).status_code == 200 or icon["src"].startswith("/static/icons/")

    def test_every_page_links_the_manifest(self, client):
        assert f'<link rel="manifest" href="{reverse("manifest")}">' in client.get("/").content.decode()

    def test_logout_clears_what_the_phone_kept(self, client_for, manager_a):
        response = client_for(manager_a).post(reverse("logout"))
        assert response.status_code == 302
        assert response["Clear-Site-Data"] == '"cache", "storage"'
