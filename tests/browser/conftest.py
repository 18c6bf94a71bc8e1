"""Browser tests drive the OS Chromium (/usr/bin/chromium) through Playwright against pytest-django's
live server. Playwright's own browser download does not work on our machines, so none is used."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told the calls are intentional (they are: test set-up only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError(f"REQUIRE_BROWSER is set but no Chromium at {CHROMIUM}: apt-get install chromium")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium); CI runs these")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # No sandbox as root in CI; no background networking: the machines have no internet.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


# The Content-Security-Policy is on in tests as in production. Chromium logs each thing it refuses
# ("Refused to apply inline style because it violates the following Content Security Policy
# directive ..."); the page also reports it as a `securitypolicyviolation` event, which this script,
# run before any of the page's own, writes to the console with a marker.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.effectiveDirective + " refused " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""
CSP_SIGNS = ("CSP violation", "Content Security Policy", "Refused to")


@pytest.fixture
def csp_violations():
    """What the Content-Security-Policy refused in any browser context of the test: the test fails
    (at teardown) if anything was, so that every browser test also proves its pages keep to it."""
    found: list[str] = []
    yield found
    assert found == [], "Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.fixture
def new_context(browser, csp_violations):
    """new_context() -> a browser context like a cheap phone's (360 px wide, Indonesian), watched
    for Content-Security-Policy violations."""

    def make():
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
        context.add_init_script(CSP_REPORTER)

        def on_console(message) -> None:
            if any(sign in message.text for sign in CSP_SIGNS):
                csp_violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

        context.on("console", on_console)
        return context

    return make


@pytest.fixture
def page(new_context):
    context = new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    def do(username: str, password: str) -> None:
        # Leave the previous page first: a request its scripts still have in flight must not answer
        # after the login page (a user's tab is not closed this way, but a test's next step is at once).
        page.goto("about:blank")
        page.goto(f"{live_server.url}/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "/akun/masuk/" not in page.url, f"{username} was not logged in: {page.locator('main').inner_text()}"

    return do


@pytest.fixture
def demo(live_server):
    """The demo site, plus one of each intervention the demo does not make; returns the open period."""
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from associations.models import Period
    from members.models import User
    from programs import services
    from programs.models import Kind
    from tests import factories

    call_command("seed_demo", force=True, stdout=StringIO())
    soon = timezone.localdate() + dt.timedelta(days=14)
    period = Period.objects.filter(parent__isnull=True, status=Period.Status.OPEN).order_by("-start").first()
    communities = User.objects.get(username="petugas_komunitas")
    users = User.objects.get(username="petugas_pengguna")
    platform = User.objects.get(username="petugas_platform")
    services.tot_event_create(actor=communities, name="ToT Pusat Garut", date=soon, capacity=10)
    services.collaboration_create(
        actor=users, name="Kolaborasi Konten", theme="Berita desa", date=soon, venue="Aula", period=period, threshold=2
    )
    services.competition_create(
        actor=users, title="Terbitan terbanyak", period=period, kind=Kind.PUBLICATION, entrants="managers"
    )
    services.project_publish(
        actor=platform,
        data={
            "title": "Jaringan SDN 1 Cibatu",
            "deployment_kind": "network",
            "site_type": "school",
            "site_name": "SDN 1 Cibatu",
            "kecamatan": factories.kecamatan("Cibatu"),
            "desa": None,
            "needs": "Kabel, router",
            "start_date": soon,
            "end_date": soon + dt.timedelta(days=7),
            "team_size": 2,
        },
    )
    return period
