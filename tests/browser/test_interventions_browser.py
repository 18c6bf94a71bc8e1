"""The central ToT end to end in a phone browser: the officer presses "evaluate" on the dashboard,
which finds KPMI A behind its trainer target -> proposals -> the officer adds a late candidate by
hand and sends -> the candidate accepts -> attendance and result -> the promotion shows on the
member's page. And a volunteer project done by managers of two KPMI.

Selectors use ids, URLs and names rather than labels: these pages' Indonesian catalogue entries are
added by the lead after this change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from associations import services as association_services
from associations.models import Association, Evaluation
from members.models import Level
from programs import services
from programs.models import Invitation, ProjectSignup, TotEvent, VolunteerProject
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(new_context, live_server):
    """session(username) -> a page of a fresh browser context, logged in as that user."""
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


def test_tot_journey(session, live_server, admin_user, officer_communities, kpmi_a, kpmi_b, manager_a):
    candidate = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE, full_name="Dede Calon")
    candidate.user = factories.UserFactory(username="dede")
    candidate.save()
    event = services.tot_event_create(
        actor=officer_communities, name="ToT Pusat Garut", date=timezone.localdate() + dt.timedelta(days=14), capacity=5
    )
    period = association_services.period_open_year(actor=admin_user, year=2025)
    association_services.target_set(
        actor=officer_communities,
        period=period,
        association=Association.objects.get(code="communities"),
        metric="new_trainers",
        value=2,
    )

    # The officer starts the evaluation from the dashboard; with no broker it runs in the request,
    # and the proposals it queues with it: KPMI Alfa misses its trainer target.
    officer = session("officer_communities")
    officer.goto(f"{live_server.url}/perhimpunan/communities/?period={period.pk}")
    officer.locator("form[action$='/perhimpunan/communities/evaluasi/'] button[type=submit]").click()
    officer.wait_for_url(f"**/perhimpunan/communities/?period={period.pk}")
    assert Evaluation.objects.get(period=period).status == Evaluation.Status.SUCCEEDED
    assert officer.locator("#evaluation-progress").count() == 0  # finished: no progress bar left
    officer.locator("details[data-filter-box] > summary").click()  # on a phone the filters are folded
    officer.select_option("select[name=metric]", "new_trainers")
    officer.locator("main form[method=get] button[type=submit]").click()
    officer.wait_for_url("**metric=new_trainers**")
    assert officer.locator("main table").get_by_text("KPMI Alfa").first.is_visible()
    invitation = Invitation.objects.get(member=candidate)
    assert invitation.status == Invitation.Status.PROPOSED

    # From the menu to the ToT and its proposals.
    officer.click("button.navbar-toggler")
    officer.locator("#nav a[href='/program/tot/']").click()
    officer.get_by_role("link", name="ToT Pusat Garut").click()
    officer.wait_for_url(f"**{event.get_absolute_url()}")
    section = officer.locator("details[data-kpmi='KPMI Alfa']")
    assert section.get_by_text("Dede Calon").is_visible()
    assert officer.locator("#proposal-rule").is_visible()

    # A candidate who joined after the evaluation is added by hand, within the capacity.
    late = factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER_CANDIDATE, full_name="Neng Calon")
    officer.locator("#add-candidate").click()
    officer.wait_for_url(f"**/program/tot/{event.pk}/tambah/")
    officer.select_option("select[name=member]", str(late.pk))
    officer.locator("#candidate-form button[type=submit]").click()
    officer.wait_for_url(f"**{event.get_absolute_url()}")
    assert officer.locator("details[data-kpmi='KPMI Beta']").get_by_text("Neng Calon").is_visible()

    # Nothing is chosen until the officer ticks it (#14).
    officer.check(f"input[name=invitations][value='{invitation.pk}']")
    officer.check(f"input[name=invitations][value='{Invitation.objects.get(member=late).pk}']")
    officer.click("button[form=send-form]")
    officer.wait_for_load_state()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT
    assert Invitation.objects.get(member=late).status == Invitation.Status.SENT

    member = session("dede")
    member.goto(f"{live_server.url}/undangan/")
    member.get_by_role("link", name="ToT Pusat Garut").click()
    member.wait_for_url(f"**{invitation.get_absolute_url()}")
    member.locator(f"form[action$='/undangan/{invitation.pk}/terima/'] button").click()
    member.wait_for_load_state()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED

    # The day of the ToT comes.
    TotEvent.objects.filter(pk=event.pk).update(date=timezone.localdate())
    officer.goto(f"{live_server.url}{event.get_absolute_url()}")
    row = officer.locator(f"tr[data-invitation='{invitation.pk}']")
    row.locator("button[name=attended][value=yes]").click()
    officer.wait_for_load_state()
    row = officer.locator(f"tr[data-invitation='{invitation.pk}']")
    row.locator(f"#pass-{invitation.pk}").click()  # a pass promotes: confirmed on its own page (#14)
    officer.locator("#confirm-button").click()
    officer.wait_for_load_state()
    candidate.refresh_from_db()
    assert candidate.level == Level.TRAINER

    member.goto(f"{live_server.url}{candidate.get_absolute_url()}")
    # The level history row names the ToT (not only the invitations list below it).
    promotion = member.locator("ol.timeline li", has_text="ToT Pusat Garut")
    assert promotion.count() == 1 and promotion.is_visible()
    # The member's page lists the invitation with its result.
    assert member.locator(f"#member-invitations tr[data-invitation='{invitation.pk}']").is_visible()
    # The bell counts what happened: the invitation, then the result.
    member.goto(f"{live_server.url}/notifikasi/")
    assert member.locator("#notification-count").inner_text() == "2"


def test_volunteer_project_with_two_kpmi(session, live_server, officer_platform, manager_a, manager_b):
    today = timezone.localdate()
    project = services.project_publish(
        actor=officer_platform,
        data={
            "title": "Jaringan SDN 1 Cibatu",
            "deployment_kind": "network",
            "site_type": "school",
            "site_name": "SDN 1 Cibatu",
            "kecamatan": factories.kecamatan("Cibatu"),
            "desa": None,
            "needs": "Router dan kabel",
            "start_date": today,
            "end_date": today + dt.timedelta(days=3),
            "team_size": 2,
        },
    )
    for username in ("manager_a", "manager_b"):
        page = session(username)
        page.goto(f"{live_server.url}/proyek/")
        page.locator("a[data-project='Jaringan SDN 1 Cibatu']").click()
        page.wait_for_url(f"**{project.get_absolute_url()}")
        page.locator(f"form[action$='/proyek/{project.pk}/daftar/'] button").click()
        page.wait_for_load_state()
    assert ProjectSignup.objects.filter(project=project).count() == 2

    officer = session("officer_platform")
    officer.goto(f"{live_server.url}{project.get_absolute_url()}")
    officer.click("button[form=team-form]")
    officer.wait_for_load_state()
    officer.fill("input[name=beneficiaries]", "80")
    officer.locator(f"form[action$='/proyek/{project.pk}/selesai/'] button").click()
    # A page says what closing the project does (#14); nothing is logged before its confirmation.
    officer.wait_for_selector("#confirm-consequences")
    assert VolunteerProject.objects.get(pk=project.pk).status == VolunteerProject.Status.TEAM_CONFIRMED
    officer.locator("#confirm-button").click()
    officer.wait_for_url("**/kegiatan/*/")
    project.refresh_from_db()
    assert project.status == VolunteerProject.Status.COMPLETED
    assert officer.get_by_text("SDN 1 Cibatu").first.is_visible()
    assert set(project.activity.credits.values_list("kpmi__name", flat=True)) == {"KPMI Alfa", "KPMI Beta"}
