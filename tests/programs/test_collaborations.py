"""Collaboration programmes: managers below the threshold are proposed from an evaluation, the
officer sends, managers answer, and the joint work is logged once for every participant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from associations import services as association_services
from associations.models import Association
from members.models import Level
from programs import services
from programs.models import ActivityCredit, CollaborationProgram, Invitation, Kind, Notification
from tests import factories
from tests.programs.factories import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The assertions below read the services' messages in English, whatever the catalogue says."""
    with translation.override("en"):
        yield


S = Invitation.Status


def u(name: str, *args) -> str:
    return reverse(f"interventions:{name}", args=args)


@pytest.fixture
def period(admin_user, officer_users):
    period = association_services.period_open_year(actor=admin_user, year=2025)
    users = Association.objects.get(code="users")
    for metric in ("publications", "education"):
        association_services.target_set(actor=officer_users, period=period, association=users, metric=metric, value=2)
    return period


@pytest.fixture
def managers(kpmi_a, kpmi_b):
    """Low: Asep (A, 0) and Budi (B, 1). Busy: Cucu (A, 2 publications + 1 education)."""
    asep = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Asep")
    budi = factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Budi")
    cucu = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Cucu")
    make_activity(kpmi=kpmi_b, credited=[budi], kind=Kind.PUBLICATION, date=dt.date(2025, 2, 1))
    for day in (1, 2):
        make_activity(kpmi=kpmi_a, credited=[cucu], kind=Kind.PUBLICATION, date=dt.date(2025, 3, day))
    make_activity(kpmi=kpmi_a, credited=[cucu], kind=Kind.EDUCATION, date=dt.date(2025, 3, 9))
    return asep, budi, cucu


@pytest.fixture
def program(officer_users, period):
    return services.collaboration_create(
        actor=officer_users,
        name="Kolaborasi Konten Garut",
        theme="Berita desa",
        date=timezone.localdate() + dt.timedelta(days=10),
        venue="Aula KOMTIK",
        period=period,
        threshold=2,
    )


@pytest.fixture
def evaluation(period, managers, program):
    evaluation, _ = association_services.evaluation_create(actor=None, period=period)
    return association_services.period_evaluate(evaluation_id=evaluation.pk)


def names(program) -> set[str]:
    return set(program.invitations.values_list("member__full_name", flat=True))


def test_low_managers_of_every_kpmi_are_proposed_and_twice_is_safe(program, evaluation):
    assert services.interventions_propose(evaluation_id=evaluation.pk) >= 2
    # Managers of the cast (manager_a...) are not in play here; the fixtures' three decide.
    assert {"Asep", "Budi"} <= names(program) and "Cucu" not in names(program)
    before = list(Invitation.objects.order_by("pk").values())
    assert services.interventions_propose(evaluation_id=evaluation.pk) == 0
    assert list(Invitation.objects.order_by("pk").values()) == before


def test_an_invitation_has_exactly_one_event(program, managers, tot_event):
    asep = managers[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(program=program, tot_event=tot_event, member=asep, kpmi=asep.kpmi)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(member=asep, kpmi=asep.kpmi)
    Invitation.objects.create(program=program, member=asep, kpmi=asep.kpmi)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(program=program, member=asep, kpmi=asep.kpmi)


@pytest.fixture
def sent(program, evaluation, officer_users):
    services.interventions_propose(evaluation_id=evaluation.pk)
    ids = list(program.invitations.values_list("pk", flat=True))
    services.invitations_send(actor=officer_users, event=program, invitation_ids=ids)
    return {inv.member.full_name: inv for inv in program.invitations.select_related("member")}


def test_the_work_is_logged_once_for_every_participant_whatever_their_kpmi(
    program, sent, manager_a, manager_b, officer_users, kecamatan_garut
):
    services.invitation_accept(actor=manager_a, invitation=sent["Asep"])
    services.invitation_accept(actor=manager_b, invitation=sent["Budi"])
    assert Notification.objects.filter(recipient=officer_users).count() == 2
    data = {
        "title": "Pelatihan menulis berita desa",
        "date": timezone.localdate(),
        "kecamatan": kecamatan_garut,
        "desa": None,
        "summary": "",
        "evidence_url": "",
        "venue": program.venue,
        "participants": 25,
        "audience": "youth",
    }
    activity = services.collaboration_log_work(actor=officer_users, program=program, kind=Kind.EDUCATION, data=data)
    credited = set(ActivityCredit.objects.filter(activity=activity).values_list("member__full_name", flat=True))
    assert credited == {"Asep", "Budi"}
    with pytest.raises(ValidationError, match="logged already"):
        services.collaboration_log_work(actor=officer_users, program=program, kind=Kind.EDUCATION, data=data)


def test_only_the_users_officer_sends_programme_invitations(program, sent, officer_communities):
    with pytest.raises(PermissionDenied):
        services.invitation_withdraw(actor=officer_communities, invitation=sent["Asep"])
    with pytest.raises(PermissionDenied):
        services.collaboration_create(
            actor=officer_communities,
            name="x",
            theme="y",
            date=timezone.localdate() + dt.timedelta(days=3),
            venue="z",
            period=program.period,
            threshold=1,
        )


def test_attendance_is_for_a_tot_only(program, sent, manager_a, officer_communities):
    services.invitation_accept(actor=manager_a, invitation=sent["Asep"])
    with pytest.raises(ValidationError):
        services.invitation_record_attendance(
            actor=officer_communities, invitation=sent["Asep"], attended=True, today=program.date
        )


class TestViews:
    def test_detail_send_and_answer_from_the_url(self, client_for, officer_users, manager_b, program, evaluation):
        services.interventions_propose(evaluation_id=evaluation.pk)
        officer = client_for(officer_users)
        body = officer.get(u("collaboration_detail", program.pk)).content.decode()
        assert "KPMI Alfa" in body and "KPMI Beta" in body
        budi = program.invitations.get(member__full_name="Budi")
        officer.post(u("collaboration_send", program.pk), {"invitations": [budi.pk]})
        assert Invitation.objects.get(pk=budi.pk).status == S.SENT
        client = client_for(manager_b)
        assert "Kolaborasi Konten Garut" in client.get(u("invitation_list")).content.decode()
        client.post(u("invitation_accept", budi.pk))
        assert Invitation.objects.get(pk=budi.pk).status == S.ACCEPTED

    def test_another_kpmi_manager_cannot_answer(self, client_for, manager_a, sent):
        assert client_for(manager_a).post(u("invitation_accept", sent["Budi"].pk)).status_code == 403
        assert Invitation.objects.get(pk=sent["Budi"].pk).status == S.SENT

    def test_create_from_the_url(self, client_for, officer_users, period):
        response = client_for(officer_users).post(
            u("collaboration_create"),
            {
                "name": "Kolaborasi",
                "theme": "Edukasi",
                "date": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
                "venue": "Aula",
                "period": period.pk,
                "threshold": 3,
            },
        )
        assert response["Location"] == CollaborationProgram.objects.get().get_absolute_url()

    def test_log_work_from_the_url(self, client_for, officer_users, manager_a, program, sent, kecamatan_garut):
        services.invitation_accept(actor=manager_a, invitation=sent["Asep"])
        response = client_for(officer_users).post(
            u("collaboration_log_work", program.pk),
            {
                "title": "Edukasi bersama",
                "date": timezone.localdate().isoformat(),
                "kecamatan": kecamatan_garut.pk,
                "participants": 12,
                "audience": "youth",
            },
        )
        program.refresh_from_db()
        assert program.activity is not None and response["Location"] == program.activity.get_absolute_url()

    @pytest.mark.parametrize("who", ["officer_communities", "officer_platform", "manager_a", "outsider"])
    def test_wrong_role(self, request, client_for, who, program):
        client = client_for(request.getfixturevalue(who))
        for url in (u("collaboration_list"), u("collaboration_create"), u("collaboration_detail", program.pk)):
            assert client.get(url).status_code == 403
        assert client.post(u("collaboration_send", program.pk)).status_code == 403
        assert client.post(u("collaboration_log_work", program.pk)).status_code == 403

    def test_wrong_method(self, client_for, officer_users, program):
        assert client_for(officer_users).get(u("collaboration_send", program.pk)).status_code == 405


@pytest.fixture
def kecamatan_garut():
    return factories.kecamatan("Tarogong Kidul")
