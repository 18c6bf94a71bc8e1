"""The ToT and invitation pages from the URL: works, wrong method, wrong role, another KPMI's data;
and bad input that must leave nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kpmi_si.notifications.models import Notification
from members.models import Level
from programs import services
from programs.models import Invitation, TotEvent
from tests.forms import opened_now

pytestmark = pytest.mark.django_db

S = Invitation.Status


@pytest.fixture
def proposed(tot_event, candidates_a, candidates_b, trainer_evaluation) -> list[Invitation]:
    services.tot_invitations_propose(evaluation_id=trainer_evaluation.pk)
    return list(tot_event.invitations.order_by("kpmi__name", "member__full_name"))


@pytest.fixture
def sent(officer_communities, tot_event, proposed) -> list[Invitation]:
    services.invitations_send(actor=officer_communities, event=tot_event, invitation_ids=[i.pk for i in proposed])
    return [Invitation.objects.get(pk=i.pk) for i in proposed]


def u(name: str, *args) -> str:
    return reverse(f"interventions:{name}", args=args)


def n(name: str, *args) -> str:
    return reverse(f"notifications:{name}", args=args)


class TestTotPages:
    def test_the_officer_schedules_a_tot(self, client_for, officer_communities):
        day = timezone.localdate() + dt.timedelta(days=20)
        response = client_for(officer_communities).post(
            u("tot_create"), {"name": "ToT Garut", "date": day.isoformat(), "venue": "KOMTIK Garut", "capacity": 20}
        )
        event = TotEvent.objects.get()
        assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
        assert event.capacity == 20 and event.created_by == officer_communities

    def test_a_past_date_is_refused_with_a_message(self, client_for, officer_communities):
        response = client_for(officer_communities).post(
            u("tot_create"), {"name": "x", "date": "2020-01-01", "venue": "v", "capacity": 5}
        )
        assert response.status_code == 200
        assert "in the past" in response.content.decode() or "di masa lalu" in response.content.decode()
        assert not TotEvent.objects.exists()

    @pytest.mark.parametrize("who", ["officer_users", "officer_platform", "manager_a", "member_user_a", "outsider"])
    def test_other_roles_get_403(self, request, client_for, who, tot_event):
        client = client_for(request.getfixturevalue(who))
        for url in (u("tot_list"), u("tot_create"), u("tot_detail", tot_event.pk), u("tot_edit", tot_event.pk)):
            assert client.get(url).status_code == 403
        assert client.post(u("tot_send", tot_event.pk), {}).status_code == 403

    def test_anonymous_is_sent_to_login(self, client_for, tot_event):
        assert client_for(None).get(u("tot_detail", tot_event.pk)).status_code == 302

    def test_wrong_method(self, client_for, officer_communities, tot_event):
        client = client_for(officer_communities)
        assert client.get(u("tot_send", tot_event.pk)).status_code == 405
        assert client.post(u("tot_list")).status_code == 405

    def test_detail_groups_proposals_by_kpmi(self, client_for, admin_user, tot_event, proposed):
        body = client_for(admin_user).get(u("tot_detail", tot_event.pk)).content.decode()
        assert body.index("KPMI Alfa") < body.index("Calon A0") < body.index("KPMI Beta") < body.index("Calon B0")

    def test_detail_queries_do_not_grow_with_invitations(
        self, client_for, officer_communities, tot_event, proposed, django_assert_max_num_queries, kpmi_a
    ):
        from tests import factories

        client = client_for(officer_communities)
        with django_assert_max_num_queries(12) as few:
            client.get(u("tot_detail", tot_event.pk))
        for _ in range(10):
            member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE)
            # Hand-picked candidates must fit: the capacity goes up with them.
            services.invitation_propose(actor=officer_communities, event=tot_event, member=member, capacity=20)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(u("tot_detail", tot_event.pk))

    def test_send_over_capacity_shows_why_and_changes_nothing(
        self, client_for, officer_communities, tot_event, proposed
    ):
        TotEvent.objects.filter(pk=tot_event.pk).update(capacity=2)
        client = client_for(officer_communities)
        response = client.post(u("tot_send", tot_event.pk), {"invitations": [i.pk for i in proposed]}, follow=True)
        assert "capacity" in response.content.decode() or "kapasitas" in response.content.decode()
        assert set(Invitation.objects.values_list("status", flat=True)) == {S.PROPOSED}
        # The officer raises the capacity, then sends.
        client.post(
            u("tot_edit", tot_event.pk),
            opened_now(
                {
                    "name": tot_event.name,
                    "date": tot_event.date.isoformat(),
                    "venue": tot_event.venue,
                    "capacity": 5,
                    "status": "scheduled",
                },
                tot_event,
            ),
        )
        client.post(u("tot_send", tot_event.pk), {"invitations": [i.pk for i in proposed]})
        assert set(Invitation.objects.values_list("status", flat=True)) == {S.SENT}

    def test_the_officer_sends_a_subset(self, client_for, officer_communities, tot_event, proposed):
        client_for(officer_communities).post(u("tot_send", tot_event.pk), {"invitations": [proposed[0].pk]})
        assert Invitation.objects.get(pk=proposed[0].pk).status == S.SENT
        assert Invitation.objects.filter(status=S.PROPOSED).count() == 4


class TestAnsweringFromTheUrl:
    def test_the_manager_accepts_for_a_member(self, client_for, manager_a, sent):
        response = client_for(manager_a).post(u("invitation_accept", sent[0].pk))
        assert response.status_code == 302
        assert Invitation.objects.get(pk=sent[0].pk).status == S.ACCEPTED

    def test_another_kpmi_manager_gets_403_and_nothing_changes(self, client_for, manager_b, sent):
        client = client_for(manager_b)
        assert client.get(u("invitation_detail", sent[0].pk)).status_code == 403
        assert client.post(u("invitation_accept", sent[0].pk)).status_code == 403
        assert client.post(u("invitation_decline", sent[0].pk)).status_code == 403
        assert Invitation.objects.get(pk=sent[0].pk).status == S.SENT

    def test_the_member_themselves_answers(self, client_for, sent):
        from tests import factories

        member = sent[0].member
        member.user = factories.UserFactory(username="calon_a0")
        member.save()
        client = client_for(member.user)
        assert "Calon A0" in client.get(u("invitation_list")).content.decode()
        client.post(u("invitation_decline", sent[0].pk), {"confirm": "yes"})
        assert Invitation.objects.get(pk=sent[0].pk).status == S.DECLINED

    def test_wrong_method(self, client_for, manager_a, sent):
        assert client_for(manager_a).get(u("invitation_accept", sent[0].pk)).status_code == 405

    def test_withdrawn_invitation_shows_a_message(self, client_for, manager_a, officer_communities, sent):
        services.invitation_withdraw(actor=officer_communities, invitation=sent[0])
        response = client_for(manager_a).post(u("invitation_accept", sent[0].pk), follow=True)
        assert Invitation.objects.get(pk=sent[0].pk).status == S.WITHDRAWN
        assert response.status_code == 200 and b"alert" in response.content

    def test_proposals_are_not_shown_to_the_member_side(self, client_for, manager_a, proposed):
        assert "Calon A0" not in client_for(manager_a).get(u("invitation_list")).content.decode()

    def test_only_the_officer_withdraws_and_records(self, client_for, manager_a, sent):
        client = client_for(manager_a)
        assert client.post(u("invitation_withdraw", sent[0].pk)).status_code == 403
        assert client.post(u("invitation_attendance", sent[0].pk), {"attended": "yes"}).status_code == 403
        assert client.post(u("invitation_result", sent[0].pk), {"passed": "yes"}).status_code == 403


class TestAttendanceFromTheUrl:
    def test_before_the_event_is_refused(self, client_for, officer_communities, manager_a, sent):
        services.invitation_accept(actor=manager_a, invitation=sent[0])
        client_for(officer_communities).post(u("invitation_attendance", sent[0].pk), {"attended": "yes"})
        assert Invitation.objects.get(pk=sent[0].pk).status == S.ACCEPTED

    def test_after_the_event_attendance_then_promotion_shows_on_the_member_page(
        self, client_for, officer_communities, manager_a, sent, tot_event
    ):
        services.invitation_accept(actor=manager_a, invitation=sent[0])
        TotEvent.objects.filter(pk=tot_event.pk).update(date=timezone.localdate())
        client = client_for(officer_communities)
        client.post(u("invitation_attendance", sent[0].pk), {"attended": "yes"})
        client.post(u("invitation_result", sent[0].pk), {"passed": "yes", "confirm": "yes"})
        member = sent[0].member
        member.refresh_from_db()
        assert member.level == Level.TRAINER
        page = client_for(manager_a).get(member.get_absolute_url()).content.decode()
        # In the level history itself (not only the invitations list): the row names the ToT and links
        # the invitation's page, which the manager may open.
        history = page[page.index('class="timeline"') :].split("</ol>", 1)[0]
        evidence = sent[0].get_absolute_url()
        assert "ToT Pusat 1" in history and f'href="{evidence}"' in history
        assert client_for(manager_a).get(sent[0].get_absolute_url()).status_code == 200

    def test_bad_input_is_a_400(self, client_for, officer_communities, sent):
        assert (
            client_for(officer_communities).post(u("invitation_result", sent[0].pk), {"passed": "x"}).status_code == 400
        )

    @pytest.mark.parametrize(
        "back", ["nama kpmi", "nama\x00kpmi", "logout", "https://contoh.example/", "//contoh.example/"]
    )
    def test_a_next_that_is_no_path_of_this_site_goes_back_to_the_invitation(self, client_for, manager_a, sent, back):
        """Found by tests/project/test_fuzz_forms.py: a `next` without a slash was looked up as a view name."""
        response = client_for(manager_a, raise_request_exception=False).post(
            u("invitation_accept", sent[0].pk), {"next": back}
        )
        assert response.status_code == 302
        assert response["Location"] == sent[0].get_absolute_url()
        assert Invitation.objects.get(pk=sent[0].pk).status == S.ACCEPTED

    def test_a_next_on_this_site_is_followed(self, client_for, officer_communities, sent, tot_event):
        response = client_for(officer_communities).post(
            u("invitation_withdraw", sent[0].pk), {"next": tot_event.get_absolute_url()}
        )
        assert response["Location"] == tot_event.get_absolute_url()


def note_event_pk(invitations: list[Invitation]) -> int:
    return invitations[0].tot_event_id


class TestNotifications:
    def test_bell_count_list_and_read(self, client_for, manager_a, sent):
        from kpmi_si.notifications.services import notification_send

        client = client_for(manager_a)
        # Three candidates of A invited at once: one notice for the group, not three (#14).
        assert client.get(n("notification_count")).json() == {"unread": 1}
        page = client.get(n("notification_list")).content.decode()
        assert "Calon A0" in page and "Calon A2" in page
        note = Notification.objects.filter(recipient=manager_a).first()
        assert note.link == u("tot_answer", note_event_pk(sent))
        response = client.post(n("notification_read", note.pk))
        assert response["Location"] == note.link
        assert client.get(n("notification_count")).json() == {"unread": 0}
        for text in ("satu", "dua"):
            notification_send(recipient=manager_a, message=lambda text=text: text)
        assert client.get(n("notification_count")).json() == {"unread": 2}
        client.post(n("notification_read_all"))
        assert client.get(n("notification_count")).json() == {"unread": 0}

    def test_someone_elses_notification_is_404(self, client_for, manager_b, manager_a, sent):
        note = Notification.objects.filter(recipient=manager_a).first()
        assert client_for(manager_b).post(n("notification_read", note.pk)).status_code == 404
        assert Notification.objects.get(pk=note.pk).read_at is None

    def test_the_bell_is_on_every_page(self, client_for, manager_a):
        body = client_for(manager_a).get(reverse("home"), follow=True).content.decode()
        assert 'id="notification-bell"' in body
