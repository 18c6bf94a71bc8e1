"""Logging work from a phone: joint work across two KPMI, and a member's own work approved by
the group's manager."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from members.models import Level
from programs.models import Activity, Kind, Status
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_joint_education_session_is_seen_by_both_groups(page, login, live_server, manager_a, manager_b, kpmi_a, kpmi_b):
    partner = factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Rina Mitra Beta")
    login("manager_a", PASSWORD)
    page.goto(f"{live_server.url}/kegiatan/catat/edukasi/")
    assert _no_horizontal_scroll(page)
    page.fill("input[name=title]", "Belajar surel untuk petani")
    page.fill("input[name=date]", (dt.date.today() - dt.timedelta(days=2)).isoformat())
    page.fill("input[name=venue]", "Balai Desa")
    page.fill("input[name=participants]", "25")
    page.select_option("select[name=audience]", "farmers")
    # Members of other groups: the search-as-you-type picker over the (hidden) select (#14).
    page.fill("#id_credited_other-search", "Rina Mi")
    page.locator(f".picker-results button[data-id='{partner.pk}']").click()
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/kegiatan/\d+/$"))

    activity = Activity.objects.get(title="Belajar surel untuk petani")
    assert activity.kind == Kind.EDUCATION and activity.status == Status.APPROVED
    assert set(activity.credits.values_list("member__full_name", flat=True)) == {
        f"Pengelola {kpmi_a.name}",
        "Rina Mitra Beta",
    }

    # The partner's group sees the joint work in its own list.
    page.context.clear_cookies()
    login("manager_b", PASSWORD)
    page.goto(f"{live_server.url}/kegiatan/")
    assert page.get_by_text("Belajar surel untuk petani").first.is_visible()


def test_member_self_logs_and_the_manager_approves(page, login, live_server, manager_a, member_user_a, kpmi_a):
    login("member_a", PASSWORD)
    page.goto(f"{live_server.url}/kegiatan/catat/terbitan/")
    page.fill("input[name=title]", "Jadwal posyandu Desa Sukajaya")
    page.fill("input[name=date]", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.select_option("select[name=channel]", "social")
    page.fill("input[name=link]", "https://facebook.example/kpmi/posts/1")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/kegiatan/\d+/$"))
    activity = Activity.objects.get(title="Jadwal posyandu Desa Sukajaya")
    assert activity.status == Status.PENDING
    assert page.get_by_text("Menunggu persetujuan").first.is_visible()

    page.context.clear_cookies()
    login("manager_a", PASSWORD)
    page.goto(f"{live_server.url}/kegiatan/{activity.pk}/")
    page.get_by_role("button", name="Setujui").click()
    page.wait_for_load_state()
    activity.refresh_from_db()
    assert activity.status == Status.APPROVED
    assert activity.decided_by == manager_a
    assert page.get_by_text("Disetujui: kegiatan kini dihitung.").is_visible()
