"""Logging, changing, approving and deleting work: who may, what is refused, and that a refused
change leaves nothing behind while an accepted one leaves an audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kpmi_si.audit.models import AuditEntry
from programs import services
from programs.models import Activity, ActivityCredit, Evidence, Kind, Publication, Status
from programs.services import work as work_services
from tests import factories

from .factories import make_activity, photo, recent

pytestmark = pytest.mark.django_db


def _publication(**overrides):
    data = dict(
        title="Jadwal posyandu Desa Sukamaju",
        date=recent(),
        kecamatan=None,
        desa=None,
        summary="Informasi jadwal posyandu bulan ini.",
        evidence_url="",
        channel=Publication.Channel.SOCIAL_MEDIA,
        link="https://facebook.com/kpmi/posts/1",
    )
    data.update(overrides)
    return data


def _log(actor, kpmi, credited, kind=Kind.PUBLICATION, data=None, **kwargs):
    data = data or _publication()
    data["kecamatan"] = data.get("kecamatan") or kpmi.kecamatan
    return services.activity_log(actor=actor, kind=kind, kpmi=kpmi, data=data, credited=credited, **kwargs)


def _education(**overrides):
    data = _publication(title="Belajar email untuk petani", venue="Balai Desa", participants=25, audience="farmers")
    data.update(overrides)
    return data


def _refused(exc_info) -> dict:
    return exc_info.value.message_dict


class TestLog:
    def test_manager_logs_work_that_counts_at_once_with_audit(self, manager_a, manager_member_a, kpmi_a):
        activity = _log(manager_a, kpmi_a, [manager_member_a])
        assert activity.status == Status.APPROVED
        assert activity.decided_by == manager_a
        credit = activity.credits.get()
        assert (credit.member, credit.kpmi, credit.kind, credit.date, credit.status) == (
            manager_member_a,
            kpmi_a,
            Kind.PUBLICATION,
            activity.date,
            Status.APPROVED,
        )
        entry = AuditEntry.objects.get(action="activity.log", target_id=str(activity.pk))
        assert entry.actor == manager_a
        assert entry.changes["title"] == [None, "Jadwal posyandu Desa Sukamaju"]
        assert entry.changes["credited"] == [None, [{"id": manager_member_a.pk, "text": manager_member_a.full_name}]]

    def test_joint_work_credits_members_of_two_kpmi_each_with_their_group(
        self, manager_a, manager_member_a, kpmi_a, member_b, kpmi_b
    ):
        activity = _log(manager_a, kpmi_a, [manager_member_a, member_b])
        assert {(c.member_id, c.kpmi_id) for c in activity.credits.all()} == {
            (manager_member_a.pk, kpmi_a.pk),
            (member_b.pk, kpmi_b.pk),
        }

    def test_member_self_logs_and_waits_for_approval(self, member_user_a, member_a, kpmi_a):
        activity = _log(member_user_a, kpmi_a, [member_a])
        assert activity.status == Status.PENDING
        assert activity.credits.get().status == Status.PENDING

    def test_self_logger_must_credit_themselves(self, member_user_a, trainer_a, kpmi_a):
        with pytest.raises(ValidationError) as exc:
            _log(member_user_a, kpmi_a, [trainer_a])
        assert "credited" in _refused(exc)
        assert not Activity.objects.exists()

    @pytest.mark.parametrize("who", ["manager_b", "outsider", "officer_users"])
    def test_others_cannot_log_for_kpmi_a(self, request, who, kpmi_a, trainer_a):
        with pytest.raises(PermissionDenied):
            _log(request.getfixturevalue(who), kpmi_a, [trainer_a])
        assert not Activity.objects.exists()

    def test_member_cannot_self_log_for_another_kpmi(self, member_user_a, member_a, kpmi_b):
        with pytest.raises(PermissionDenied):
            _log(member_user_a, kpmi_b, [member_a])

    def test_education_session_with_its_details(self, supervisor_a, trainer_a, kpmi_a):
        activity = _log(supervisor_a, kpmi_a, [trainer_a], kind=Kind.EDUCATION, data=_education())
        session = activity.educationsession
        assert (session.venue, session.participants, session.audience) == ("Balai Desa", 25, "farmers")


class TestBadInput:
    def test_future_date(self, manager_a, manager_member_a, kpmi_a):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [manager_member_a], data=_publication(date=tomorrow))
        assert "date" in _refused(exc)
        assert not Activity.objects.exists()

    @pytest.mark.parametrize("participants", [0, -3])
    def test_zero_or_negative_participants(self, manager_a, manager_member_a, kpmi_a, participants):
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [manager_member_a], kind=Kind.EDUCATION, data=_education(participants=participants))
        assert "participants" in _refused(exc)
        assert not Activity.objects.exists()

    @pytest.mark.parametrize("link", ["ftp://files.example.org/a", "javascript:alert(1)", "bukan tautan"])
    def test_links_must_be_http(self, manager_a, manager_member_a, kpmi_a, link):
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [manager_member_a], data=_publication(link=link, evidence_url=link))
        assert {"link", "evidence_url"} <= set(_refused(exc))

    def test_online_publication_needs_its_link(self, manager_a, manager_member_a, kpmi_a):
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [manager_member_a], data=_publication(link=""))
        assert "link" in _refused(exc)
        radio = _log(manager_a, kpmi_a, [manager_member_a], data=_publication(link="", channel="radio"))
        assert radio.publication.link == ""

    def test_crediting_nobody(self, manager_a, kpmi_a):
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [])
        assert "credited" in _refused(exc)

    def test_crediting_someone_twice(self, manager_a, manager_member_a, kpmi_a):
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [manager_member_a, manager_member_a])
        assert "credited" in _refused(exc)
        assert not ActivityCredit.objects.exists()

    def test_village_outside_the_district(self, manager_a, manager_member_a, kpmi_a, kpmi_b):
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [manager_member_a], data=_publication(desa=kpmi_b.desa))
        assert "desa" in _refused(exc)

    def test_work_older_than_the_open_period(self, settings, manager_a, manager_member_a, kpmi_a):
        settings.WORK_EDIT_WINDOW_DAYS = 30
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [manager_member_a], data=_publication(date=recent(31)))
        assert "date" in _refused(exc)
        assert _log(manager_a, kpmi_a, [manager_member_a], data=_publication(date=recent(30)))

    def test_admin_may_log_old_work(self, settings, admin_user, manager_member_a, kpmi_a):
        settings.WORK_EDIT_WINDOW_DAYS = 30
        assert _log(admin_user, kpmi_a, [manager_member_a], data=_publication(date=dt.date(2019, 5, 2)))

    def test_every_problem_is_reported_at_once(self, manager_a, kpmi_a):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [], kind=Kind.EDUCATION, data=_education(date=tomorrow, participants=0, title=""))
        assert {"date", "participants", "title", "credited"} <= set(_refused(exc))


class TestTraining:
    def _training(self, **overrides):
        data = _publication(title="Dasar-dasar komputer", venue="Lab SMKN 1", trainee_group="new_members")
        data.update(overrides)
        return data

    def test_keeper_logged_training_records_who_trained_whom(self, manager_a, trainer_a, candidate_a, kpmi_a):
        activity = _log(
            manager_a, kpmi_a, [trainer_a], kind=Kind.TRAINING, data=self._training(), trainees=[candidate_a]
        )
        candidate_a.refresh_from_db()
        assert candidate_a.trained_by == trainer_a
        assert list(activity.training.trainees.all()) == [candidate_a]
        entry = AuditEntry.objects.get(action="member.update", target_id=str(candidate_a.pk))
        assert entry.changes == {"trained_by": [None, {"id": trainer_a.pk, "text": trainer_a.full_name}]}

    def test_a_trainer_of_record_is_never_overwritten(self, manager_a, manager_member_a, trainer_a, kpmi_a):
        trainee = factories.MemberFactory(kpmi=kpmi_a, trained_by=manager_member_a)
        _log(manager_a, kpmi_a, [trainer_a], kind=Kind.TRAINING, data=self._training(), trainees=[trainee])
        trainee.refresh_from_db()
        assert trainee.trained_by == manager_member_a

    def test_self_logged_training_records_trainer_only_once_approved(
        self, member_user_a, member_a, candidate_a, manager_a, kpmi_a
    ):
        activity = _log(
            member_user_a, kpmi_a, [member_a], kind=Kind.TRAINING, data=self._training(), trainees=[candidate_a]
        )
        candidate_a.refresh_from_db()
        assert candidate_a.trained_by is None
        services.activity_approve(actor=manager_a, activity=activity)
        candidate_a.refresh_from_db()
        assert candidate_a.trained_by == member_a

    def test_trainers_must_be_trainers_and_trainees_of_the_group(
        self, manager_a, candidate_a, trainer_a, member_b, kpmi_a
    ):
        with pytest.raises(ValidationError) as exc:
            _log(
                manager_a,
                kpmi_a,
                [candidate_a],
                kind=Kind.TRAINING,
                data=self._training(),
                trainees=[member_b, candidate_a],
            )
        errors = _refused(exc)
        assert "credited" in errors and "trainees" in errors
        assert not Activity.objects.exists()

    def test_a_training_needs_trainees(self, manager_a, trainer_a, kpmi_a):
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [trainer_a], kind=Kind.TRAINING, data=self._training(), trainees=[])
        assert "trainees" in _refused(exc)


class TestUpdate:
    def test_change_is_audited_old_to_new_and_credits_follow(
        self, manager_a, manager_member_a, trainer_a, member_b, kpmi_a
    ):
        activity = _log(manager_a, kpmi_a, [manager_member_a, trainer_a])
        new_date = recent(5)
        services.activity_update(
            actor=manager_a,
            activity=activity,
            data=_publication(title="Jadwal posyandu (revisi)", date=new_date, kecamatan=kpmi_a.kecamatan),
            credited=[trainer_a, member_b],
        )
        activity.refresh_from_db()
        assert activity.title == "Jadwal posyandu (revisi)"
        credits = list(activity.credits.order_by("position"))
        assert [(c.member, c.position, c.date) for c in credits] == [(trainer_a, 0, new_date), (member_b, 1, new_date)]
        entry = AuditEntry.objects.get(action="activity.update", target_id=str(activity.pk))
        assert entry.changes["title"] == ["Jadwal posyandu Desa Sukamaju", "Jadwal posyandu (revisi)"]
        assert [m["text"] for m in entry.changes["credited"][0]] == [manager_member_a.full_name, trainer_a.full_name]
        assert [m["text"] for m in entry.changes["credited"][1]] == [trainer_a.full_name, member_b.full_name]

    def test_the_groups_taking_part_follow_the_credits(self, manager_a, manager_member_a, member_b, kpmi_a, kpmi_b):
        activity = _log(manager_a, kpmi_a, [manager_member_a, member_b])
        assert set(activity.groups.values_list("kpmi_id", flat=True)) == {kpmi_a.pk, kpmi_b.pk}
        data = _publication(kecamatan=kpmi_a.kecamatan)
        services.activity_update(actor=manager_a, activity=activity, data=data, credited=[manager_member_a])
        assert set(activity.groups.values_list("kpmi_id", flat=True)) == {kpmi_a.pk}
        # The logging group takes part even when none of its members is credited.
        services.activity_update(actor=manager_a, activity=activity, data=data, credited=[member_b])
        assert set(activity.groups.values_list("kpmi_id", flat=True)) == {kpmi_a.pk, kpmi_b.pk}
        assert set(activity.groups.values_list("date", "status")) == {(activity.date, Status.APPROVED)}

    def test_manager_of_another_kpmi_cannot_edit(self, manager_a, manager_member_a, manager_b, kpmi_a):
        activity = _log(manager_a, kpmi_a, [manager_member_a])
        with pytest.raises(PermissionDenied):
            services.activity_update(
                actor=manager_b, activity=activity, data=_publication(title="x"), credited=[manager_member_a]
            )
        activity.refresh_from_db()
        assert activity.title == "Jadwal posyandu Desa Sukamaju"

    def test_credited_keeper_of_another_group_sees_but_cannot_edit(
        self, manager_a, manager_member_a, manager_b, member_b, kpmi_a
    ):
        activity = _log(manager_a, kpmi_a, [manager_member_a, member_b])
        with pytest.raises(PermissionDenied):
            services.activity_delete(actor=manager_b, activity=activity)

    def test_closed_period_refused_for_keepers_open_for_admin(
        self, settings, manager_a, manager_member_a, admin_user, kpmi_a
    ):
        activity = make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=recent(90), created_by=manager_a)
        data = _publication(title="Diubah", date=recent(90), kecamatan=kpmi_a.kecamatan)
        with pytest.raises(ValidationError) as exc:
            services.activity_update(actor=manager_a, activity=activity, data=data, credited=[manager_member_a])
        assert "date" in _refused(exc)
        with pytest.raises(ValidationError):
            services.activity_delete(actor=manager_a, activity=activity)
        services.activity_update(actor=admin_user, activity=activity, data=data, credited=[manager_member_a])
        activity.refresh_from_db()
        assert activity.title == "Diubah"

    def test_member_editing_approved_own_work_sends_it_back_for_approval(
        self, member_user_a, member_a, manager_a, kpmi_a
    ):
        activity = _log(member_user_a, kpmi_a, [member_a])
        services.activity_approve(actor=manager_a, activity=activity)
        services.activity_update(
            actor=member_user_a,
            activity=activity,
            data=_publication(title="Judul baru", kecamatan=kpmi_a.kecamatan),
            credited=[member_a],
        )
        activity.refresh_from_db()
        assert activity.status == Status.PENDING
        assert set(activity.credits.values_list("status", flat=True)) == {Status.PENDING}

    def test_a_refused_change_keeps_everything(self, manager_a, manager_member_a, kpmi_a):
        activity = _log(manager_a, kpmi_a, [manager_member_a], files=[photo()])
        with pytest.raises(ValidationError):
            services.activity_update(
                actor=manager_a,
                activity=activity,
                data=_publication(title="Baru", link="ftp://x", kecamatan=kpmi_a.kecamatan),
                credited=[],
                files=[photo("baru.jpg")],
                remove_evidence=[activity.evidence.get().pk],
            )
        activity.refresh_from_db()
        assert activity.title == "Jadwal posyandu Desa Sukamaju"
        assert activity.credits.count() == 1
        assert activity.evidence.count() == 1
        assert not AuditEntry.objects.filter(action="activity.update").exists()


class TestDelete:
    def test_creator_deletes_with_audit_and_files_go(
        self, django_capture_on_commit_callbacks, manager_a, manager_member_a, kpmi_a
    ):
        activity = _log(manager_a, kpmi_a, [manager_member_a], files=[photo()])
        item = activity.evidence.get()
        storage, name = item.file.storage, item.file.name
        assert storage.exists(name)
        with django_capture_on_commit_callbacks(execute=True):
            services.activity_delete(actor=manager_a, activity=activity)
        assert not Activity.objects.exists() and not ActivityCredit.objects.exists()
        assert not storage.exists(name)
        entry = AuditEntry.objects.get(action="activity.delete")
        assert entry.changes["title"] == ["Jadwal posyandu Desa Sukamaju", None]
        assert entry.actor == manager_a

    def test_supervisor_of_the_group_may_delete_a_members_record(self, member_user_a, member_a, supervisor_a, kpmi_a):
        activity = _log(member_user_a, kpmi_a, [member_a])
        services.activity_delete(actor=supervisor_a, activity=activity)
        assert not Activity.objects.exists()

    def test_a_credited_member_who_did_not_log_it_cannot_delete(self, manager_a, member_a, member_user_a, kpmi_a):
        activity = _log(manager_a, kpmi_a, [member_a])
        with pytest.raises(PermissionDenied):
            services.activity_delete(actor=member_user_a, activity=activity)


class TestDecide:
    def test_approve_makes_the_credits_count(self, member_user_a, member_a, manager_a, kpmi_a):
        activity = _log(member_user_a, kpmi_a, [member_a])
        services.activity_approve(actor=manager_a, activity=activity)
        activity.refresh_from_db()
        assert (activity.status, activity.decided_by) == (Status.APPROVED, manager_a)
        assert activity.credits.get().status == Status.APPROVED
        assert AuditEntry.objects.filter(action="activity.approve", changes={"status": ["pending", "approved"]})

    def test_reject_needs_a_reason(self, member_user_a, member_a, manager_a, kpmi_a):
        activity = _log(member_user_a, kpmi_a, [member_a])
        with pytest.raises(ValidationError) as exc:
            services.activity_reject(actor=manager_a, activity=activity, reason="  ")
        assert "reason" in _refused(exc)
        services.activity_reject(actor=manager_a, activity=activity, reason="Foto tidak jelas.")
        activity.refresh_from_db()
        assert (activity.status, activity.rejection_reason) == (Status.REJECTED, "Foto tidak jelas.")
        assert activity.credits.get().status == Status.REJECTED

    @pytest.mark.parametrize("who", ["manager_b", "member_user_a", "officer_users"])
    def test_only_keepers_of_the_group_decide(self, request, who, member_user_a, member_a, kpmi_a):
        activity = _log(member_user_a, kpmi_a, [member_a])
        with pytest.raises(PermissionDenied):
            services.activity_approve(actor=request.getfixturevalue(who), activity=activity)
        activity.refresh_from_db()
        assert activity.status == Status.PENDING

    def test_only_pending_work_is_decided(self, manager_a, manager_member_a, kpmi_a):
        activity = _log(manager_a, kpmi_a, [manager_member_a])
        with pytest.raises(ValidationError):
            services.activity_reject(actor=manager_a, activity=activity, reason="Salah")


class TestEvidenceOnRecords:
    def test_photos_are_stored_downscaled(self, manager_a, manager_member_a, kpmi_a):
        activity = _log(manager_a, kpmi_a, [manager_member_a], files=[photo(size=(4000, 3000))])
        item = activity.evidence.get()
        assert item.file.name.startswith(f"evidence/{timezone.localdate():%Y/%m}/")
        from PIL import Image

        with item.file.open("rb") as handle, Image.open(handle) as image:
            assert max(image.size) == 1600
        assert item.file_kind == Evidence.FileKind.PHOTO

    def test_four_photos_are_refused_and_none_is_kept(self, manager_a, manager_member_a, kpmi_a, media_in_tmp):
        with pytest.raises(ValidationError) as exc:
            _log(manager_a, kpmi_a, [manager_member_a], files=[photo(f"f{i}.jpg") for i in range(4)])
        assert "evidence_files" in _refused(exc)
        assert not Activity.objects.exists()
        assert not list(media_in_tmp.rglob("*.jpg"))

    def test_a_failure_after_storing_files_removes_them(self, monkeypatch, manager_a, manager_member_a, kpmi_a):
        def broken(**kwargs):
            raise RuntimeError("audit unavailable")

        monkeypatch.setattr(work_services, "audit_log", broken)
        with pytest.raises(RuntimeError):
            _log(manager_a, kpmi_a, [manager_member_a], files=[photo()])
        assert not Activity.objects.exists() and not Evidence.objects.exists()
        from django.conf import settings

        assert not list(settings.MEDIA_ROOT.rglob("*.jpg"))

    def test_removing_and_adding_files(self, django_capture_on_commit_callbacks, manager_a, manager_member_a, kpmi_a):
        activity = _log(manager_a, kpmi_a, [manager_member_a], files=[photo("a.jpg"), photo("b.jpg")])
        first = activity.evidence.order_by("pk").first()
        with django_capture_on_commit_callbacks(execute=True):
            services.activity_update(
                actor=manager_a,
                activity=activity,
                data=_publication(kecamatan=kpmi_a.kecamatan),
                credited=[manager_member_a],
                files=[photo("c.png", fmt="PNG")],
                remove_evidence=[first.pk],
            )
        assert sorted(activity.evidence.values_list("original_name", flat=True)) == ["b.jpg", "c.png"]
        assert not first.file.storage.exists(first.file.name)
        entry = AuditEntry.objects.get(action="activity.update")
        assert entry.changes["evidence"] == [["a.jpg", "b.jpg"], ["b.jpg", "c.png"]]
