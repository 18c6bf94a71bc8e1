"""The "Log work" menu and the four logging forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import messages
from django.urls import reverse
from django.utils import timezone

from members.models import KpmiRole
from programs import periods
from programs.models import Activity, Kind, Status
from tests import factories

from .factories import pdf, photo, recent

pytestmark = pytest.mark.django_db

MENU = reverse("programs:log_menu")


def _url(slug: str, kpmi=None) -> str:
    url = reverse("programs:activity_create", args=[slug])
    return f"{url}?kpmi={kpmi.pk}" if kpmi else url


def publication_post(kpmi, credited, **overrides):
    data = {
        "title": "Info pasar murah Kelurahan Sukagalih",
        "date": recent().isoformat(),
        "channel": "social",
        "link": "https://instagram.com/p/abc",
        "kecamatan": kpmi.kecamatan_id,
        "desa": "",
        "summary": "Jadwal dan lokasi pasar murah.",
        "credited": [m.pk for m in credited],
        "evidence_url": "",
    }
    data.update(overrides)
    return data


class TestMenu:
    def test_manager_sees_the_four_kinds_for_their_group(self, client_for, manager_a, kpmi_a):
        response = client_for(manager_a).get(MENU)
        assert response.status_code == 200
        for slug in ("terbitan", "edukasi", "penerapan", "pelatihan"):
            assert f"{_url(slug)}?kpmi={kpmi_a.pk}" in response.content.decode()

    def test_a_keeper_of_two_groups_chooses_first(self, client_for, manager_a, kpmi_b):
        KpmiRole.objects.create(kpmi=kpmi_b, user=manager_a, role=KpmiRole.Role.SUPERVISOR)
        response = client_for(manager_a).get(MENU)
        assert response.context["kpmi"] is None
        assert response.status_code == 200
        assert client_for(manager_a).get(_url("terbitan")).url == MENU

    def test_member_may_self_log(self, client_for, member_user_a, kpmi_a):
        assert client_for(member_user_a).get(MENU).context["kpmi"] == kpmi_a

    @pytest.mark.parametrize("who", ["outsider", "officer_users"])
    def test_wrong_role(self, client_for, request, who):
        assert client_for(request.getfixturevalue(who)).get(MENU).status_code == 403

    def test_another_groups_menu(self, client_for, manager_b, kpmi_a):
        assert client_for(manager_b).get(f"{MENU}?kpmi={kpmi_a.pk}").status_code == 403

    def test_wrong_method(self, client_for, manager_a):
        assert client_for(manager_a).post(MENU).status_code == 405

    def test_anonymous_goes_to_login(self, client_for):
        assert client_for(None).get(MENU).url.startswith(reverse("login"))


class TestCreate:
    def test_manager_logs_a_publication(self, client_for, manager_a, manager_member_a, kpmi_a):
        response = client_for(manager_a).post(_url("terbitan", kpmi_a), publication_post(kpmi_a, [manager_member_a]))
        activity = Activity.objects.get()
        assert response.status_code == 302 and response.url == activity.get_absolute_url()
        assert (activity.kind, activity.status, activity.kpmi) == (Kind.PUBLICATION, Status.APPROVED, kpmi_a)
        assert activity.publication.link == "https://instagram.com/p/abc"

    def test_form_renders_with_own_members_first_and_others_through_the_search(
        self, client_for, manager_a, manager_member_a, member_b, kpmi_b
    ):
        response = client_for(manager_a).get(_url("terbitan"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'type="date"' in html and 'enctype="multipart/form-data"' in html
        # Other groups' members are found with the picker's search, not listed (#14: 15,000 at Garut scale).
        assert 'name="credited_other_q"' in html and member_b.full_name not in html
        assert response.context["form"]["credited"].initial == [manager_member_a.pk]

    def test_member_self_logs_and_is_told_it_waits(self, client_for, member_user_a, member_a, kpmi_a):
        response = client_for(member_user_a).post(_url("terbitan"), publication_post(kpmi_a, [member_a]), follow=True)
        assert Activity.objects.get().status == Status.PENDING
        (message,) = response.context["messages"]
        assert message.level == messages.SUCCESS

    def test_education_with_evidence(self, client_for, supervisor_a, trainer_a, kpmi_a):
        data = publication_post(kpmi_a, [trainer_a], title="Internet sehat", venue="Aula SMPN 2", participants=32)
        data.update(audience="students", evidence_files=[photo("a.jpg"), photo("b.jpg")])
        response = client_for(supervisor_a).post(_url("edukasi", kpmi_a), data)
        assert response.status_code == 302
        activity = Activity.objects.get()
        assert activity.educationsession.participants == 32
        assert activity.evidence.count() == 2

    def test_deployment(self, client_for, manager_a, manager_member_a, member_b, kpmi_a):
        data = publication_post(kpmi_a, [manager_member_a], title="Jaringan LAN SDN 3", credited_other=[member_b.pk])
        data.update(
            deployment_kind="network",
            site_type="school",
            site_name="SDN 3 Tarogong",
            beneficiaries=240,
            operational_status="in_use",
        )
        assert client_for(manager_a).post(_url("penerapan", kpmi_a), data).status_code == 302
        activity = Activity.objects.get()
        assert activity.deployment.site_name == "SDN 3 Tarogong"
        assert [c.member for c in activity.credits.order_by("position")] == [manager_member_a, member_b]

    def test_training_records_trainees_and_their_trainer(self, client_for, manager_a, trainer_a, candidate_a, kpmi_a):
        data = publication_post(kpmi_a, [], title="Merakit komputer", venue="Lab", trainee_group="candidates")
        data.update(lead_trainer=trainer_a.pk, trainees=[candidate_a.pk])
        response = client_for(manager_a).post(_url("pelatihan", kpmi_a), data)
        assert response.status_code == 302, response.context["form"].errors
        candidate_a.refresh_from_db()
        assert candidate_a.trained_by == trainer_a

    def test_unknown_kind(self, client_for, manager_a):
        assert client_for(manager_a).get(_url("lomba")).status_code == 404

    def test_wrong_method(self, client_for, manager_a):
        assert client_for(manager_a).put(_url("terbitan")).status_code == 405

    @pytest.mark.parametrize("who", ["outsider", "officer_platform"])
    def test_wrong_role(self, client_for, request, who, kpmi_a):
        assert client_for(request.getfixturevalue(who)).get(_url("terbitan", kpmi_a)).status_code == 403

    def test_another_kpmi(self, client_for, manager_b, member_b, kpmi_a):
        response = client_for(manager_b).post(_url("terbitan", kpmi_a), publication_post(kpmi_a, [member_b]))
        assert response.status_code == 403
        assert not Activity.objects.exists()


class TestBadInput:
    """Each is refused on its field, and nothing is saved."""

    def _refused(self, client, kpmi, slug, data, field):
        response = client.post(_url(slug, kpmi), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors, response.context["form"].errors
        assert not Activity.objects.exists()
        return response

    def test_future_date(self, client_for, manager_a, manager_member_a, kpmi_a):
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        data = publication_post(kpmi_a, [manager_member_a], date=tomorrow)
        self._refused(client_for(manager_a), kpmi_a, "terbitan", data, "date")

    def test_closed_period(self, client_for, manager_a, manager_member_a, kpmi_a):
        data = publication_post(kpmi_a, [manager_member_a], date="2019-01-05")
        response = self._refused(client_for(manager_a), kpmi_a, "terbitan", data, "date")
        assert periods.open_since().strftime("%d-%m-%Y") in str(response.context["form"].errors["date"])

    @pytest.mark.parametrize("participants", ["0", "-4"])
    def test_participants(self, client_for, manager_a, manager_member_a, kpmi_a, participants):
        data = publication_post(kpmi_a, [manager_member_a], venue="Aula", participants=participants, audience="youth")
        self._refused(client_for(manager_a), kpmi_a, "edukasi", data, "participants")

    def test_link_not_http(self, client_for, manager_a, manager_member_a, kpmi_a):
        data = publication_post(kpmi_a, [manager_member_a], link="ftp://example.org/berita")
        self._refused(client_for(manager_a), kpmi_a, "terbitan", data, "link")

    def test_evidence_link_not_http(self, client_for, manager_a, manager_member_a, kpmi_a):
        data = publication_post(kpmi_a, [manager_member_a], evidence_url="javascript:alert(1)")
        self._refused(client_for(manager_a), kpmi_a, "terbitan", data, "evidence_url")

    def test_oversized_upload(self, settings, client_for, manager_a, manager_member_a, kpmi_a):
        settings.EVIDENCE_MAX_BYTES = 2000
        data = publication_post(kpmi_a, [manager_member_a], evidence_files=[pdf(padding=5000)])
        self._refused(client_for(manager_a), kpmi_a, "terbitan", data, "evidence_files")

    def test_wrong_type_upload(self, client_for, manager_a, manager_member_a, kpmi_a):
        from django.core.files.uploadedfile import SimpleUploadedFile

        bad = SimpleUploadedFile("skrip.html", b"<script></script>", content_type="text/html")
        data = publication_post(kpmi_a, [manager_member_a], evidence_files=[bad])
        self._refused(client_for(manager_a), kpmi_a, "terbitan", data, "evidence_files")

    def test_too_many_photos(self, client_for, manager_a, manager_member_a, kpmi_a):
        data = publication_post(kpmi_a, [manager_member_a], evidence_files=[photo(f"{i}.jpg") for i in range(4)])
        self._refused(client_for(manager_a), kpmi_a, "terbitan", data, "evidence_files")

    def test_crediting_nobody(self, client_for, manager_a, kpmi_a):
        self._refused(client_for(manager_a), kpmi_a, "terbitan", publication_post(kpmi_a, []), "credited")

    def test_crediting_someone_twice(self, client_for, manager_a, manager_member_a, kpmi_a):
        data = publication_post(kpmi_a, [manager_member_a, manager_member_a])
        self._refused(client_for(manager_a), kpmi_a, "terbitan", data, "credited")

    def test_lead_trainer_credited_again(self, client_for, manager_a, trainer_a, candidate_a, kpmi_a):
        data = publication_post(kpmi_a, [trainer_a], title="Dasar", venue="Lab", trainee_group="candidates")
        data.update(lead_trainer=trainer_a.pk, trainees=[candidate_a.pk])
        self._refused(client_for(manager_a), kpmi_a, "pelatihan", data, "credited")

    def test_member_of_another_group_as_trainee(self, client_for, manager_a, trainer_a, member_b, kpmi_a):
        data = publication_post(kpmi_a, [], title="Dasar", venue="Lab", trainee_group="candidates")
        data.update(lead_trainer=trainer_a.pk, trainees=[member_b.pk])
        self._refused(client_for(manager_a), kpmi_a, "pelatihan", data, "trainees")


def test_a_keeper_who_is_not_a_member_credits_group_members(client_for, supervisor_a, kpmi_a):
    member = factories.MemberFactory(kpmi=kpmi_a)
    response = client_for(supervisor_a).post(_url("terbitan", kpmi_a), publication_post(kpmi_a, [member]))
    assert response.status_code == 302
    assert Activity.objects.get().credits.get().member == member


class TestHostileEvidence:
    """A photo that would take the server's memory, or a PDF that would run a script, is refused
    on the evidence field with a message saying why, in Indonesian."""

    def _refused_with(self, client, kpmi, data, words):
        response = client.post(_url("terbitan", kpmi), data)
        assert response.status_code == 200
        errors = response.context["form"].errors["evidence_files"]
        assert words in str(errors), errors
        assert not Activity.objects.exists()

    def test_decompression_bomb(self, client_for, manager_a, manager_member_a, kpmi_a):
        from .factories import huge_png

        data = publication_post(kpmi_a, [manager_member_a], evidence_files=[huge_png()])
        self._refused_with(client_for(manager_a), kpmi_a, data, "megapiksel")

    def test_pdf_with_javascript(self, client_for, manager_a, manager_member_a, kpmi_a):
        from .factories import pdf_with

        upload = pdf_with(b"1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj")
        data = publication_post(kpmi_a, [manager_member_a], evidence_files=[upload])
        self._refused_with(client_for(manager_a), kpmi_a, data, "konten aktif")
