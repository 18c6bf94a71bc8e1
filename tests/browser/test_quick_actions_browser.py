"""Safe and quick actions on a 360-px phone (#14): a manager answers a ToT's invitations for their
group in one go; an officer triages proposals KPMI by KPMI, starting from none chosen, with the seats
left counted as they tick."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from members.models import Level
from programs import services
from programs.models import Invitation
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

S = Invitation.Status


@pytest.fixture
def session(new_context, live_server):
    contexts = []

    def open_as(username: str):
        context = new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def event(officer_communities):
    return services.tot_event_create(
        actor=officer_communities,
        name="ToT Pusat Garut",
        date=timezone.localdate() + dt.timedelta(days=14),
        capacity=40,
    )


def _propose(officer, event, kpmi, n: int, prefix: str) -> list[Invitation]:
    rows = []
    for i in range(n):
        member = factories.MemberFactory(kpmi=kpmi, level=Level.TRAINER_CANDIDATE, full_name=f"{prefix} {i:02d}")
        rows.append(services.invitation_propose(actor=officer, event=event, member=member, capacity=200))
    return rows


def test_officer_triages_proposals_by_kpmi(session, live_server, officer_communities, event, kpmi_a, kpmi_b):
    alfa = _propose(officer_communities, event, kpmi_a, 6, "Calon Alfa")
    beta = _propose(officer_communities, event, kpmi_b, 4, "Calon Beta")
    # Fewer seats than proposals: the officer has to choose.
    type(event).objects.filter(pk=event.pk).update(capacity=5)

    officer = session("officer_communities")
    officer.goto(f"{live_server.url}{event.get_absolute_url()}")
    # Nothing is chosen to begin with; the counter shows every seat left.
    assert officer.locator("input[name=invitations]:checked").count() == 0
    assert officer.locator("#seats-left-n").inner_text() == "5"
    groups = officer.locator("details[data-kpmi]")
    assert groups.count() == 2
    alfa_group = officer.locator("details[data-kpmi='KPMI Alfa']")
    beta_group = officer.locator("details[data-kpmi='KPMI Beta']")

    # All of Alfa: six for five seats, the page says so before anything is sent.
    alfa_group.locator("button[data-select=all]").click()
    assert officer.locator("#chosen-n").inner_text() == "6"
    assert officer.locator("#seats-left-n").inner_text() == "0"
    assert officer.locator("#seats-over").is_visible()
    # None of Alfa, all of Beta and one of Alfa: five, which fits.
    alfa_group.locator("button[data-select=none]").click()
    assert officer.locator("#chosen-n").inner_text() == "0"
    beta_group.locator("button[data-select=all]").click()
    alfa_group.locator(f"input[value='{alfa[0].pk}']").check()
    assert officer.locator("#seats-left-n").inner_text() == "0"
    assert not officer.locator("#seats-over").is_visible()
    # A group folds away to keep a long list short on the phone.
    beta_group.locator("summary").click()
    assert not beta_group.locator(f"input[value='{beta[0].pk}']").is_visible()

    officer.click("#send-checked")
    officer.wait_for_load_state()
    statuses = dict(Invitation.objects.filter(tot_event=event).values_list("pk", "status"))
    assert {statuses[inv.pk] for inv in beta} == {S.SENT}
    assert statuses[alfa[0].pk] == S.SENT
    assert {statuses[inv.pk] for inv in alfa[1:]} == {S.PROPOSED}
    # No page wider than the phone.
    assert officer.evaluate("document.documentElement.scrollWidth") <= 360


def test_manager_answers_a_tots_invitations_in_one_go(
    session, live_server, manager_a, officer_communities, event, kpmi_a, kpmi_b
):
    alfa = _propose(officer_communities, event, kpmi_a, 4, "Calon Alfa")
    beta = _propose(officer_communities, event, kpmi_b, 2, "Calon Beta")
    services.invitations_send(actor=officer_communities, event=event, invitation_ids=[i.pk for i in alfa + beta])

    manager = session("manager_a")
    # One bell for the four candidates, leading to the page that answers them all.
    manager.goto(f"{live_server.url}/notifikasi/")
    assert manager.locator("#notification-count").inner_text() == "1"
    manager.goto(f"{live_server.url}/undangan/tot/{event.pk}/")
    assert manager.get_by_text("Calon Beta 00").count() == 0
    manager.check(f"#id_answer_{alfa[0].pk}_1")  # accept
    manager.check(f"#id_answer_{alfa[1].pk}_1")  # accept
    manager.check(f"#id_answer_{alfa[2].pk}_2")  # decline
    # alfa[3] stays "later"
    assert manager.evaluate("document.documentElement.scrollWidth") <= 360
    manager.click("#save-answers")
    manager.wait_for_load_state()
    statuses = dict(Invitation.objects.filter(tot_event=event).values_list("pk", "status"))
    assert [statuses[inv.pk] for inv in alfa] == [S.ACCEPTED, S.ACCEPTED, S.DECLINED, S.SENT]
    assert {statuses[inv.pk] for inv in beta} == {S.SENT}
    # The answered rows are no longer asked; the one left for later still is.
    assert manager.locator(f"input[name=answer_{alfa[0].pk}]").count() == 0
    assert manager.locator(f"input[name=answer_{alfa[3].pk}]").count() == 3
    # The decline can be taken back from its page, before the answer date.
    manager.goto(f"{live_server.url}{alfa[2].get_absolute_url()}")
    manager.click("#undo-decline")
    manager.wait_for_load_state()
    assert Invitation.objects.get(pk=alfa[2].pk).status == S.SENT
