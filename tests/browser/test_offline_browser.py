"""Logging work with no signal, in Chromium on a 360-px phone (README "Offline logging"): a manager
opens the log menu once online, then with the network off logs a publication with a photo and an
education session, sees them in the outbox, goes online, and both arrive once in the KPMI's work
list; a sending replayed after lost answers creates nothing new; an entry the server refuses stays in
the outbox with the form's message; a full phone storage is said before the entry is lost."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from PIL import Image

from programs.models import Activity, Evidence, Kind
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(tmp_path):
    """A phone camera's photo: 4000x3000 pixels, a few MB."""
    path = tmp_path / "kegiatan.jpg"
    image = Image.effect_noise((4000, 3000), 60).convert("RGB")
    image.save(path, format="JPEG", quality=95)
    return path


def _ready(page, live_server, path="/kegiatan/catat/"):
    """One visit online: the service worker is in control and the pages and lists are kept."""
    page.goto(f"{live_server.url}{path}")
    page.wait_for_function("() => document.getElementById('outbox-indicator').dataset.ready === '1'", timeout=30_000)
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => document.getElementById('outbox-indicator').dataset.ready === '1'", timeout=30_000)


def _entries(page) -> int:
    return page.evaluate(
        "() => KpmiOutbox.store.entries(Number(document.getElementById('outbox-indicator').dataset.user))"
        ".then(e => e.length)"
    )


def test_log_offline_then_sync_once(page, login, live_server, manager_a, kpmi_a, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    login("manager_a", PASSWORD)
    _ready(page, live_server)
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/kegiatan/catat/")
    page.get_by_role("link", name="Terbitan").click()
    page.fill("input[name=title]", "Info posyandu tanpa sinyal")
    page.fill("input[name=date]", day)
    page.select_option("select[name=channel]", "social")
    page.fill("input[name=link]", "https://facebook.example/kpmi/posts/9")
    page.set_input_files("input[name=evidence_files]", str(_photo(tmp_path)))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/kegiatan/kotak-keluar/"))
    assert page.get_by_text("Info posyandu tanpa sinyal").is_visible()
    assert Activity.objects.count() == 0
    page.screenshot(path="/tmp/h15/outbox1.png")
