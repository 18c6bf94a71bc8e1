"""Logging work with no signal, in Chromium on a 360-px phone (README "Offline logging"): a manager
opens the log menu once online, then with the network off logs a publication with a photo and an
education session, sees them in the outbox, goes online, and both arrive once in the KPMI's work
list; a sending replayed after lost answers creates nothing new; an entry the server refuses stays in
the outbox with the form's message until it is corrected; a full phone storage is said before the
entry is lost; logging out clears the phone."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from PIL import Image

from programs.models import Activity, Evidence
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "() => document.getElementById('outbox-indicator').dataset.ready === '1'"
ENTRIES = "() => KpmiOutbox.store.entries(Number(document.getElementById('outbox-indicator').dataset.user))"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _photo(tmp_path):
    """A phone camera's photo: 4000x3000 pixels, some MB."""
    path = tmp_path / "kegiatan.jpg"
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(path, format="JPEG", quality=92)
    return path


def _ready(page, live_server, path="/kegiatan/catat/"):
    """One visit online: the service worker is in control and the pages and lists are kept."""
    page.goto(f"{live_server.url}{path}")
    page.wait_for_function(READY, timeout=30_000)
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(READY, timeout=30_000)


def _wait_for_entries(page, count: int, timeout: float = 30) -> None:
    """Until the outbox holds `count` entries (wait_for_function does not wait for a promise)."""
    deadline = time.monotonic() + timeout
    while (found := page.evaluate(ENTRIES + ".then(es => es.length)")) != count:
        assert time.monotonic() < deadline, f"{found} entries in the outbox, not {count}"
        page.wait_for_timeout(250)


def _yesterday() -> str:
    return (dt.date.today() - dt.timedelta(days=1)).isoformat()


def _publication(page, title: str, *, link: str = "https://facebook.example/kpmi/posts/9", photo=None) -> None:
    page.get_by_role("link", name="Terbitan").click()
    page.fill("input[name=title]", title)
    page.fill("input[name=date]", _yesterday())
    page.select_option("select[name=channel]", "social")
    page.fill("input[name=link]", link)
    if photo is not None:
        page.set_input_files("input[name=evidence_files]", str(photo))
    page.click("main form button[type=submit]")


def _entries(page) -> list:
    return page.evaluate(
        ENTRIES + ".then(es => es.map(e => ({title: e.title, state: e.state, errors: e.errors,"
        " sizes: e.files.map(f => f.blob.size)})))"
    )


def test_log_offline_then_sync_once(page, login, live_server, manager_a, kpmi_a, tmp_path):
    photo = _photo(tmp_path)
    login("manager_a", PASSWORD)
    _ready(page, live_server)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/kegiatan/catat/")  # from the phone's copy
    _publication(page, "Info posyandu tanpa sinyal", photo=photo)
    page.wait_for_url(re.compile(r"/kegiatan/kotak-keluar/"))

    page.goto(f"{live_server.url}/kegiatan/catat/")
    page.get_by_role("link", name="Edukasi TIK").click()
    page.fill("input[name=title]", "Belajar surel di balai desa")
    page.fill("input[name=date]", _yesterday())
    page.fill("input[name=venue]", "Balai Desa")
    page.fill("input[name=participants]", "18")
    page.select_option("select[name=audience]", "farmers")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/kegiatan/kotak-keluar/"))

    # Both wait in the outbox, the photo downscaled on the phone; nothing reached the server.
    _wait_for_entries(page, 2)
    page.locator(".outbox-entry").nth(1).wait_for()  # drawn once the phone's storage is read
    assert page.locator(".outbox-entry").count() == 2
    assert page.get_by_text("Info posyandu tanpa sinyal").is_visible()
    assert page.get_by_text("Belajar surel di balai desa").is_visible()
    kept = _entries(page)
    assert [len(e["sizes"]) for e in kept] == [1, 0]
    assert kept[0]["sizes"][0] < photo.stat().st_size / 3, (kept[0]["sizes"], photo.stat().st_size)
    page.goto(f"{live_server.url}/kegiatan/catat/")  # on every page, the indicator says so
    page.get_by_text("2 kegiatan menunggu sinyal").wait_for()
    page.goto(f"{live_server.url}/kegiatan/")  # a page the phone does not keep: what can be done offline
    page.get_by_text("Tidak ada sinyal: halaman ini tidak tersimpan di ponsel.").wait_for()
    assert Activity.objects.count() == 0

    page.context.set_offline(False)
    page.goto(f"{live_server.url}/kegiatan/kotak-keluar/")  # the next page open sends them
    _wait_for_entries(page, 0)
    page.wait_for_selector(".outbox-sent")
    assert Activity.objects.filter(kpmi=kpmi_a).count() == 2
    evidence = Evidence.objects.get()
    assert evidence.activity.title == "Info posyandu tanpa sinyal"
    with Image.open(evidence.file.path) as stored:
        assert max(stored.size) <= 1600

    page.goto(f"{live_server.url}/kegiatan/")
    assert page.get_by_text("Info posyandu tanpa sinyal").count() == 1
    assert page.get_by_text("Belajar surel di balai desa").count() == 1
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_lost_answers_and_a_refusal(page, login, live_server, manager_a, kpmi_a):
    """Sent twice with its answer dropped on the way back, then once more: one record. And an entry the
    server refuses stays with the form's message until it is corrected in the outbox."""
    login("manager_a", PASSWORD)
    _ready(page, live_server)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/kegiatan/catat/")
    _publication(page, "Jadwal vaksin desa")
    page.wait_for_url(re.compile(r"/kegiatan/kotak-keluar/"))
    page.goto(f"{live_server.url}/kegiatan/catat/")
    _publication(page, "Tanpa tautan", link="")  # online content needs its link: the server says so
    page.wait_for_url(re.compile(r"/kegiatan/kotak-keluar/"))

    seen: list[str] = []

    def drop_answer(route) -> None:
        seen.append(route.request.url)
        if len(seen) <= 2:
            route.fetch()  # the server gets it and answers ...
            route.abort("internetdisconnected")  # ... and the answer is lost on the way back
        else:
            route.continue_()

    page.context.route(re.compile(r"/kirim/"), drop_answer)
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/kegiatan/kotak-keluar/")
    page.wait_for_function(READY)
    for _ in range(3):
        page.get_by_role("button", name="Kirim sekarang").first.click()
        page.wait_for_timeout(1500)
    _wait_for_entries(page, 1)

    assert len(seen) >= 3, seen
    assert Activity.objects.filter(title="Jadwal vaksin desa").count() == 1
    assert not Activity.objects.filter(title="Tanpa tautan").exists()
    entry = page.locator(".outbox-entry")
    assert entry.count() == 1
    assert "Tidak diterima" in entry.inner_text()
    assert "Isi tautan ke konten yang terbit daring." in entry.inner_text()

    # Corrected in the outbox's form and saved: it goes out with its key, once.
    entry.get_by_role("link", name="Ubah").click()
    page.wait_for_selector(".outbox-error")
    assert page.input_value("input[name=title]") == "Tanpa tautan"
    page.fill("input[name=link]", "https://facebook.example/kpmi/posts/10")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/kegiatan/kotak-keluar/"))
    _wait_for_entries(page, 0)
    assert Activity.objects.filter(title="Tanpa tautan").count() == 1
    assert Activity.objects.count() == 2


def test_a_full_phone_is_said_before_the_entry_is_lost(page, login, live_server, manager_a, kpmi_a):
    login("manager_a", PASSWORD)
    _ready(page, live_server)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/kegiatan/catat/")
    page.get_by_role("link", name="Terbitan").wait_for()
    page.evaluate(
        """() => {
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function () {
            if (this.name === "outbox") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
            return put.apply(this, arguments);
        };
    }"""
    )
    url = page.url
    page.get_by_role("link", name="Terbitan").click()
    page.evaluate(
        """() => {
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function () {
            if (this.name === "outbox") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
            return put.apply(this, arguments);
        };
    }"""
    )
    page.fill("input[name=title]", "Tidak muat")
    page.fill("input[name=date]", _yesterday())
    page.select_option("select[name=channel]", "social")
    page.fill("input[name=link]", "https://facebook.example/kpmi/posts/11")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".outbox-notice")
    assert "penuh" in page.inner_text(".outbox-notice") and "TIDAK tersimpan" in page.inner_text(".outbox-notice")
    assert "/kegiatan/catat/terbitan/" in page.url and url != page.url
    assert page.input_value("input[name=title]") == "Tidak muat"  # what was typed is still there


def test_logout_clears_the_phone(page, login, live_server, manager_a, kpmi_a):
    login("manager_a", PASSWORD)
    _ready(page, live_server)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/kegiatan/catat/")
    _publication(page, "Belum terkirim", link="")  # refused when sent: it stays on the phone
    page.wait_for_url(re.compile(r"/kegiatan/kotak-keluar/"))
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/kegiatan/kotak-keluar/")
    page.wait_for_selector(".outbox-errors")
    page.goto(f"{live_server.url}/kegiatan/")
    page.once("dialog", lambda dialog: dialog.accept())  # "1 kegiatan belum terkirim ... Tetap keluar?"
    page.click(".navbar-toggler")
    page.get_by_role("button", name="manager_a").click()  # the user's own menu (#14): password, log out
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/kpmi/"))
    names = page.evaluate("() => caches.keys()")
    assert not [n for n in names if n.startswith("kpmi-pages")], names
    assert page.evaluate("() => indexedDB.databases().then(dbs => dbs.map(d => d.name))") == []
    assert not Activity.objects.exists()


def test_an_ended_session_keeps_the_outbox_until_the_next_login(page, login, live_server, manager_a, kpmi_a):
    login("manager_a", PASSWORD)
    _ready(page, live_server)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/kegiatan/catat/")
    _publication(page, "Dicatat sebelum sesi habis")
    page.wait_for_url(re.compile(r"/kegiatan/kotak-keluar/"))
    page.context.clear_cookies()  # the session ended meanwhile
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/kegiatan/kotak-keluar/")
    page.wait_for_url(re.compile(r"/akun/masuk/"))
    assert not Activity.objects.exists()

    login("manager_a", PASSWORD)
    page.goto(f"{live_server.url}/kegiatan/kotak-keluar/")
    page.wait_for_selector(".outbox-sent")
    _wait_for_entries(page, 0)
    assert Activity.objects.filter(title="Dicatat sebelum sesi habis").count() == 1
