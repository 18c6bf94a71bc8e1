"""The picker on the logging form, on a 360-px phone, with and without JavaScript (#14): the same
field names and ids are posted either way."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kpmi_si.picker import SEARCH_BUTTON
from members.models import Desa, Kecamatan, Level
from programs.models import Activity
from tests import factories
from tests.browser.conftest import CSP_REPORTER, CSP_SIGNS
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Without JavaScript the pickers' own buttons are submit buttons too: "Save" is the one without a name
# (the hidden default one Enter presses, templates/_default_submit.html, is an <input>).
SAVE = f"main form button[type=submit]:not([name={SEARCH_BUTTON}])"


@pytest.fixture
def partners(kpmi_b):
    factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Rina Mitra Beta")
    for i in range(30):
        factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER_CANDIDATE, full_name=f"Anggota Beta {i:02d}")
    return kpmi_b.members.get(full_name="Rina Mitra Beta")


def _close(context, page) -> None:
    """Close once the page has no request in flight: on SQLite (`make test` without DATABASE_URL) the
    live server shares the test's in-memory database, and a request still running when the test's
    teardown empties the tables made that fail ("database table is locked")."""
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    finally:
        context.close()


def _open(browser, live_server, *, javascript: bool, violations: list[str] | None = None):
    """Like conftest's new_context (a 360-px phone, watched for CSP violations), JavaScript on or off."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", java_script_enabled=javascript
    )
    context.add_init_script(CSP_REPORTER)
    if violations is not None:

        def on_console(message) -> None:
            if any(sign in message.text for sign in CSP_SIGNS):
                violations.append(message.text)

        context.on("console", on_console)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", "manager_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return context, page


def _assert_accessible(page) -> None:
    """axe-core's WCAG 2.1 A/AA rules, as tests/browser/test_accessibility_browser.py runs them."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.test_accessibility_browser import AXE_OPTIONS, BLOCKING

    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in BLOCKING] == []


def _fill_publication(page, title: str) -> None:
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + "/kegiatan/catat/terbitan/")
    page.fill("input[name=title]", title)
    page.fill("input[name=date]", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.select_option("select[name=channel]", "social")
    page.fill("input[name=link]", "https://facebook.example/kpmi/posts/1")


def test_with_javascript_search_pick_and_villages_of_the_district(
    browser, live_server, manager_a, kpmi_a, partners, csp_violations
):
    other_district = Kecamatan.objects.exclude(pk=kpmi_a.kecamatan_id).order_by("pk").first()
    village = Desa.objects.filter(kecamatan=other_district).order_by("name").first()
    context, page = _open(browser, live_server, javascript=True, violations=csp_violations)
    try:
        _fill_publication(page, "Berita dengan pemilih")
        assert not page.locator("select[name=credited_other]").is_visible()
        # The search box and buttons for use without JavaScript are gone: Enter in a field saves.
        assert page.locator(f"main form [name={SEARCH_BUTTON}], #id_credited_other_q, .default-submit").count() == 0
        page.fill("#id_credited_other-search", "mitra")
        page.locator(f".picker-results button[data-id='{partners.pk}']").click()
        assert page.locator(".picker-chosen li").count() == 1
        # The villages follow the district.
        page.select_option("select[name=kecamatan]", other_district.pk)
        page.wait_for_function(
            "n => document.querySelectorAll('select[name=desa] option').length === n",
            arg=Desa.objects.filter(kecamatan=other_district).count() + 1,
        )
        page.select_option("select[name=desa]", village.pk)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.click(SAVE)
        page.wait_for_url(re.compile(r"/kegiatan/\d+/$"))
        activity = Activity.objects.get(title="Berita dengan pemilih")
        assert partners.pk in set(activity.credits.values_list("member_id", flat=True))
        assert activity.desa_id == village.pk
    finally:
        _close(context, page)


def test_without_javascript_enter_in_a_field_saves(browser, live_server, manager_a, kpmi_a, partners):
    """The pickers' Search buttons come before Save in the form; Enter still saves (#14)."""
    context, page = _open(browser, live_server, javascript=False)
    try:
        _fill_publication(page, "Berita tanpa JavaScript")
        # Only the people chosen are listed (none yet): the search adds the others.
        assert page.locator("select[name=credited_other] option").count() == 0
        assert page.locator("#id_credited_other-search").count() == 0
        page.press("input[name=title]", "Enter")
        page.wait_for_url(re.compile(r"/kegiatan/\d+/$"))
        assert Activity.objects.filter(title="Berita tanpa JavaScript").exists()
    finally:
        _close(context, page)


def test_without_javascript_search_a_member_and_the_villages_of_a_district(
    browser, live_server, manager_a, kpmi_a, partners, csp_violations
):
    """On a phone without JavaScript: type part of a name, send it with Enter, tick the one found;
    choose another district, show its villages, pick one; save once. What was typed stays."""
    other_district = Kecamatan.objects.exclude(pk=kpmi_a.kecamatan_id).order_by("pk").first()
    villages = Desa.objects.filter(kecamatan=other_district)
    village = villages.order_by("name").last()
    context, page = _open(browser, live_server, javascript=False, violations=csp_violations)
    try:
        _fill_publication(page, "Berita dicari tanpa JavaScript")
        page.fill("textarea[name=summary]", "Ringkasan yang tetap ada")
        assert page.locator("label[for=id_credited_other_q]").is_visible()
        page.fill("#id_credited_other_q", "mitra")
        page.press("#id_credited_other_q", "Enter")
        page.wait_for_load_state()
        found = page.locator("input[type=checkbox][name=credited_other]")
        assert found.count() == 1 and found.first.get_attribute("value") == str(partners.pk)
        assert not Activity.objects.filter(title="Berita dicari tanpa JavaScript").exists()
        assert page.input_value("input[name=title]") == "Berita dicari tanpa JavaScript"
        assert page.input_value("textarea[name=summary]") == "Ringkasan yang tetap ada"
        page.get_by_label(re.compile("Rina Mitra Beta")).check()  # a tap on the name ticks it

        page.select_option("select[name=kecamatan]", other_district.pk)
        page.click(f"button[name={SEARCH_BUTTON}][value=desa]")
        page.wait_for_load_state()
        assert page.locator("select[name=desa] option").count() == villages.count() + 1
        assert page.is_checked(f"input[name=credited_other][value='{partners.pk}']")  # still ticked
        page.select_option("select[name=desa]", village.pk)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.click(SAVE)
        page.wait_for_url(re.compile(r"/kegiatan/\d+/$"))
        activity = Activity.objects.get(title="Berita dicari tanpa JavaScript")
        assert partners.pk in set(activity.credits.values_list("member_id", flat=True))
        assert (activity.kecamatan_id, activity.desa_id) == (other_district.pk, village.pk)
        assert activity.summary == "Ringkasan yang tetap ada"
    finally:
        _close(context, page)


def test_the_markup_for_use_without_javascript_is_accessible(browser, live_server, manager_a, kpmi_a, partners):
    """axe-core needs JavaScript to run: here the page's own picker.js is refused instead, so the
    page shows what a browser without JavaScript shows (search box, buttons, the found names)."""
    context, page = _open(browser, live_server, javascript=True)
    try:
        context.route(re.compile(r"/js/picker\.js"), lambda route: route.abort())
        _fill_publication(page, "Berita diperiksa")
        page.fill("#id_credited_other_q", "beta")
        page.press("#id_credited_other_q", "Enter")
        page.wait_for_load_state()
        assert page.locator("input[type=checkbox][name=credited_other]").count() > 1
        assert page.locator(f"button[name={SEARCH_BUTTON}][value=desa]").is_visible()
        _assert_accessible(page)
    finally:
        _close(context, page)
