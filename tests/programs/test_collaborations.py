"""Collaboration programmes: managers below the threshold are proposed from an evaluation, the
officer sends, managers answer, and the joint work is logged once for every participant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from associations import services as association_services
from associations.models import Association
from kpmi_si.audit.models import AuditEntry
from kpmi_si.notifications.models import Notification
from members.models import Level
from programs import metrics, selectors, services
from programs.models import (
    Activity,
    ActivityCredit,
    CollaborationProgram,
    CollaborationWork,
    Invitation,
    Kind,
    Status,
)
from tests import factories
from tests.forms import form_data
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


def test_publications_plus_education_decide_even_where_only_one_has_a_target(admin_user, officer_users, kpmi_a, kpmi_b):
    """A manager with five education sessions and no publication is not low at a threshold of 3,
    whether or not the association set an education target: the sum counts the logged work."""
    period = association_services.period_open_year(actor=admin_user, year=2025)
    users = Association.objects.get(code="users")
    association_services.target_set(
        actor=officer_users, period=period, association=users, metric="publications", value=2
    )
    educator = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Euis Edukasi")
    for day in range(1, 6):
        make_activity(kpmi=kpmi_a, credited=[educator], kind=Kind.EDUCATION, date=dt.date(2025, 3, day))
    factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Budi Sepi")
    program = services.collaboration_create(
        actor=officer_users,
        name="Kolaborasi",
        theme="Berita desa",
        date=timezone.localdate() + dt.timedelta(days=10),
        venue="Aula",
        period=period,
        threshold=3,
    )
    evaluation, _ = association_services.evaluation_create(actor=None, period=period)
    evaluation = association_services.period_evaluate(evaluation_id=evaluation.pk)
    services.collaboration_invitations_propose(evaluation_id=evaluation.pk)
    assert names(program) == {"Budi Sepi"}


def test_low_managers_are_proposed_without_any_users_target(admin_user, officer_users, officer_communities, kpmi_a):
    """The programme's threshold is the rule; an evaluation of the period (here one with only the
    Communities association's targets) is what triggers it."""
    period = association_services.period_open_year(actor=admin_user, year=2025)
    association_services.target_set(
        actor=officer_communities,
        period=period,
        association=Association.objects.get(code="communities"),
        metric="new_trainers",
        value=1,
    )
    factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Asep Sepi")
    factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER, full_name="Ujang Pelatih")
    program = services.collaboration_create(
        actor=officer_users,
        name="Kolaborasi",
        theme="Berita desa",
        date=timezone.localdate() + dt.timedelta(days=10),
        venue="Aula",
        period=period,
        threshold=1,
    )
    evaluation, _ = association_services.evaluation_create(actor=None, period=period)
    evaluation = association_services.period_evaluate(evaluation_id=evaluation.pk)
    assert services.collaboration_invitations_propose(evaluation_id=evaluation.pk) == 1
    assert names(program) == {"Asep Sepi"}


def test_the_paginated_list_is_ordered_newest_first(program, officer_users, period):
    later = services.collaboration_create(
        actor=officer_users,
        name="Kolaborasi berikutnya",
        theme="Konten desa",
        date=program.date + dt.timedelta(days=7),
        venue="Aula",
        period=period,
        threshold=2,
    )
    rows = selectors.collaboration_list()
    assert rows.ordered
    assert list(rows) == [later, program]


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
    with pytest.raises(ValidationError, match="logged for the programme already"):
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
            u("collaboration_log_work", program.pk, "edukasi"),
            {
                "education-title": "Edukasi bersama",
                "education-date": timezone.localdate().isoformat(),
                "education-kecamatan": kecamatan_garut.pk,
                "education-participants": 12,
                "education-audience": "youth",
            },
        )
        work = program.works.get()
        assert response["Location"] == work.activity.get_absolute_url()

    def test_log_work_sent_twice_logs_once(self, client_for, officer_users, program, accepted):
        client = client_for(officer_users)
        page = client.get(u("collaboration_detail", program.pk)).context["publication_form"]
        data = form_data(page, **publication_post())
        first = client.post(u("collaboration_log_work", program.pk, "terbitan"), data, follow=True)
        second = client.post(u("collaboration_log_work", program.pk, "terbitan"), data, follow=True)
        work = program.works.get()
        assert first.redirect_chain == second.redirect_chain == [(work.activity.get_absolute_url(), 302)]
        (message,) = second.context["messages"]
        assert message.level == messages.INFO and "sudah tersimpan" in message.message

    @pytest.mark.parametrize("who", ["officer_communities", "officer_platform", "manager_a", "outsider"])
    def test_wrong_role(self, request, client_for, who, program):
        client = client_for(request.getfixturevalue(who))
        for url in (u("collaboration_list"), u("collaboration_create"), u("collaboration_detail", program.pk)):
            assert client.get(url).status_code == 403
        assert client.post(u("collaboration_send", program.pk)).status_code == 403
        for slug in ("terbitan", "edukasi"):
            assert client.post(u("collaboration_log_work", program.pk, slug)).status_code == 403

    def test_wrong_method(self, client_for, officer_users, program):
        assert client_for(officer_users).get(u("collaboration_send", program.pk)).status_code == 405

    def test_an_invitation_id_that_is_no_id_sends_nothing(self, client_for, officer_users, program, evaluation):
        """ "²" passes str.isdigit() but not int()."""
        response = client_for(officer_users, raise_request_exception=False).post(
            u("collaboration_send", program.pk), {"invitations": ["²", "9" * 5000]}
        )
        assert response.status_code == 302
        assert not program.invitations.exclude(status=Invitation.Status.PROPOSED).exists()


@pytest.fixture
def kecamatan_garut():
    return factories.kecamatan("Tarogong Kidul")


# --- The programme's work: publications and education, by the officer or the participants ----------


@pytest.fixture
def accepted(sent, manager_a, manager_b):
    """Asep (KPMI A, with his own login) and Budi (KPMI B) took the invitation; their keepers answered."""
    asep = sent["Asep"].member
    asep.user = factories.UserFactory(username="asep")
    asep.save()
    services.invitation_accept(actor=manager_a, invitation=sent["Asep"])
    services.invitation_accept(actor=manager_b, invitation=sent["Budi"])
    return sent["Asep"].member, sent["Budi"].member


def publication_post(**overrides) -> dict:
    data = {
        "title": "Liputan pasar desa",
        "date": timezone.localdate().isoformat(),
        "channel": "news",
        "link": "https://berita.example.id/pasar",
        "kecamatan": factories.kecamatan("Cibatu").pk,
        "summary": "",
    }
    data.update(overrides)
    return {f"publication-{name}": value for name, value in data.items()}


def education_post(**overrides) -> dict:
    data = {
        "title": "Belanja daring aman",
        "date": timezone.localdate().isoformat(),
        "participants": 30,
        "audience": "women",
        "kecamatan": factories.kecamatan("Cibatu").pk,
    }
    data.update(overrides)
    return {f"education-{name}": value for name, value in data.items()}


def credited_names(activity: Activity) -> set[str]:
    return set(activity.credits.values_list("member__full_name", flat=True))


class TestProgrammeWork:
    def test_the_officer_logs_a_publication_and_a_session_each_credited_once_to_every_participant(
        self, client_for, officer_users, program, accepted
    ):
        asep, budi = accepted
        client = client_for(officer_users)
        page = client.get(u("collaboration_detail", program.pk)).content.decode()
        assert 'id="publication-form"' in page and 'id="education-form"' in page
        client.post(u("collaboration_log_work", program.pk, "terbitan"), publication_post())
        client.post(u("collaboration_log_work", program.pk, "edukasi"), education_post())
        works = [w.activity for w in program.works.select_related("activity").order_by("pk")]
        assert [a.kind for a in works] == [Kind.PUBLICATION, Kind.EDUCATION]
        for activity in works:
            assert credited_names(activity) == {"Asep", "Budi"}
            assert activity.status == Status.APPROVED
        assert works[0].publication.channel == "news" and works[1].educationsession.venue == program.venue
        # Each participant counts each piece once, whatever their KPMI.
        for member in (asep, budi):
            assert metrics.per_kind(member=member, start=timezone.localdate()) == {
                Kind.PUBLICATION: 1,
                Kind.EDUCATION: 1,
            }
        assert AuditEntry.objects.filter(action="collaboration.log_work", target_id=str(program.pk)).count() == 2
        # Both pieces show on the programme's page.
        page = client.get(u("collaboration_detail", program.pk)).content.decode()
        assert "Liputan pasar desa" in page and "Belanja daring aman" in page

    def test_a_participant_logs_from_the_programme_page_for_their_own_kpmi(
        self, client_for, program, accepted, manager_a, kpmi_a
    ):
        asep, budi = accepted
        client = client_for(asep.user)
        # From the invitation to the programme's page.
        invitation = program.invitations.get(member=asep)
        assert u("collaboration_detail", program.pk) in client.get(invitation.get_absolute_url()).content.decode()
        page = client.get(u("collaboration_detail", program.pk)).content.decode()
        assert 'id="participants"' in page and 'id="send-form"' not in page
        response = client.post(u("collaboration_log_work", program.pk, "terbitan"), publication_post())
        activity = program.works.get().activity
        assert response["Location"] == activity.get_absolute_url()
        # Logged for his group; a member's own record waits for a keeper, then counts for both.
        assert activity.kpmi == kpmi_a and activity.status == Status.PENDING
        assert credited_names(activity) == {"Asep", "Budi"}
        today = timezone.localdate()
        assert metrics.work_total(member=budi, start=today) == 0
        services.activity_approve(actor=manager_a, activity=activity)
        assert metrics.work_total(member=budi, start=today, kinds=[Kind.PUBLICATION]) == 1
        assert Notification.objects.filter(recipient=manager_a, link=activity.get_absolute_url()).exists()

    def test_a_keeper_of_a_participant_logs_and_it_counts_at_once(self, client_for, program, accepted, manager_b):
        client_for(manager_b).post(u("collaboration_log_work", program.pk, "edukasi"), education_post())
        activity = program.works.get().activity
        assert activity.kpmi.name == "KPMI Beta" and activity.status == Status.APPROVED

    def test_bad_input_shows_on_the_field_and_saves_nothing(self, client_for, officer_users, program, accepted):
        client = client_for(officer_users)
        # Published online but no link.
        response = client.post(u("collaboration_log_work", program.pk, "terbitan"), publication_post(link=""))
        assert response.status_code == 200 and "link" in response.context["publication_form"].errors
        # A date in the future; no participants.
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        response = client.post(u("collaboration_log_work", program.pk, "edukasi"), education_post(date=tomorrow))
        assert response.status_code == 200 and "date" in response.context["education_form"].errors
        response = client.post(u("collaboration_log_work", program.pk, "edukasi"), education_post(participants=0))
        assert "participants" in response.context["education_form"].errors
        assert not Activity.objects.filter(title__in=["Liputan pasar desa", "Belanja daring aman"]).exists()
        assert not CollaborationWork.objects.exists()

    def test_the_same_work_twice_is_refused_on_the_title(self, client_for, officer_users, manager_b, program, accepted):
        client_for(officer_users).post(u("collaboration_log_work", program.pk, "terbitan"), publication_post())
        response = client_for(manager_b).post(
            u("collaboration_log_work", program.pk, "terbitan"), publication_post(title="LIPUTAN PASAR DESA")
        )
        assert response.status_code == 200 and "title" in response.context["publication_form"].errors
        assert program.works.count() == 1

    def test_an_unknown_kind_is_404(self, client_for, officer_users, program, accepted):
        response = client_for(officer_users).post(u("collaboration_log_work", program.pk, "penerapan"), {})
        assert response.status_code == 404

    def test_nothing_to_log_before_anyone_accepted(self, client_for, officer_users, program, sent):
        page = client_for(officer_users).get(u("collaboration_detail", program.pk)).content.decode()
        assert 'id="publication-form"' not in page
        with translation.override("en"), pytest.raises(ValidationError, match="Nobody has accepted"):
            services.collaboration_log_work(actor=officer_users, program=program, kind=Kind.PUBLICATION, data={})

    def test_a_cancelled_programme_logs_nothing(self, officer_users, program, accepted):
        CollaborationProgram.objects.filter(pk=program.pk).update(status=CollaborationProgram.Status.CANCELLED)
        with pytest.raises(ValidationError, match="cancelled"):
            services.collaboration_log_work(actor=officer_users, program=program, kind=Kind.PUBLICATION, data={})

    def test_a_deployment_is_not_programme_work(self, officer_users, program, accepted):
        with pytest.raises(ValidationError, match="publications or ICT education"):
            services.collaboration_log_work(actor=officer_users, program=program, kind=Kind.DEPLOYMENT, data={})

    @pytest.mark.parametrize("who", ["officer_communities", "outsider", "member_user_a"])
    def test_outside_the_programme_is_403_and_nothing_changes(self, request, client_for, who, program, accepted):
        client = client_for(request.getfixturevalue(who))
        assert client.get(u("collaboration_detail", program.pk)).status_code == 403
        assert client.post(u("collaboration_log_work", program.pk, "terbitan"), publication_post()).status_code == 403
        assert not CollaborationWork.objects.exists()

    def test_another_kpmi_manager_whose_members_are_not_participants_is_403(
        self, client_for, program, accepted, officer_users
    ):
        other = factories.KpmiFactory(name="KPMI Gamma")
        keeper = factories.make_keeper(other, username="manager_c")
        client = client_for(keeper)
        assert client.get(u("collaboration_detail", program.pk)).status_code == 403
        assert client.post(u("collaboration_log_work", program.pk, "edukasi"), education_post()).status_code == 403
        with pytest.raises(PermissionDenied):
            services.collaboration_log_work(actor=keeper, program=program, kind=Kind.EDUCATION, data={})

    def test_a_declined_member_is_not_a_participant(self, client_for, program, sent, manager_b):
        services.invitation_decline(actor=manager_b, invitation=sent["Budi"])
        assert client_for(manager_b).get(u("collaboration_detail", program.pk)).status_code == 403

    def test_wrong_method(self, client_for, officer_users, program, accepted):
        assert client_for(officer_users).get(u("collaboration_log_work", program.pk, "terbitan")).status_code == 405


# --- Cancelling a programme -------------------------------------------------------------------------


class TestCancel:
    def test_the_officer_cancels_from_the_url_and_the_invited_are_told(
        self, client_for, officer_users, manager_a, program, sent
    ):
        services.invitation_accept(actor=manager_a, invitation=sent["Asep"])
        before = Notification.objects.filter(recipient=manager_a).count()
        response = client_for(officer_users).post(
            u("collaboration_cancel", program.pk), {"confirm": "yes"}, follow=True
        )
        assert "Program dibatalkan; pengelola yang diundang diberi tahu." in response.content.decode()
        program.refresh_from_db()
        assert program.status == CollaborationProgram.Status.CANCELLED
        assert set(program.invitations.values_list("status", flat=True)) == {S.WITHDRAWN}
        entry = AuditEntry.objects.get(action="collaboration.cancel")
        assert entry.changes == {"status": ["scheduled", "cancelled"]} and entry.actor == officer_users
        # In the keeper's own language; one notice per invitation of their group that was sent.
        told = Notification.objects.filter(recipient=manager_a).order_by("pk")[before:]
        assert told and all(program.name in note.message for note in told)
        # Nobody can still answer, and the programme's work can no longer be logged.
        with pytest.raises(ValidationError):
            services.invitation_accept(actor=manager_a, invitation=Invitation.objects.get(pk=sent["Asep"].pk))

    def test_twice_or_after_work_is_refused_with_a_message(
        self, client_for, officer_users, program, accepted, kecamatan_garut
    ):
        client = client_for(officer_users)
        client.post(u("collaboration_log_work", program.pk, "terbitan"), publication_post())
        assert program.works.exists()
        body = client.post(u("collaboration_cancel", program.pk), {"confirm": "yes"}, follow=True).content.decode()
        assert "sudah berlangsung dan tidak dapat dibatalkan lagi" in body  # the officer reads Indonesian
        program.refresh_from_db()
        assert program.status == CollaborationProgram.Status.SCHEDULED
        assert not AuditEntry.objects.filter(action="collaboration.cancel").exists()

    def test_only_the_users_officer_cancels(self, client_for, officer_communities, manager_a, program, sent):
        for user in (officer_communities, manager_a):
            assert client_for(user).post(u("collaboration_cancel", program.pk)).status_code == 403
        assert client_for(manager_a).get(u("collaboration_cancel", program.pk)).status_code in (403, 405)
        program.refresh_from_db()
        assert program.status == CollaborationProgram.Status.SCHEDULED
