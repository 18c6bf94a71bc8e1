"""Every kind of page keeps to the Content-Security-Policy: on the demo data, each demo role opens its
pages (a list of must-see pages, then every page kind linked from them, each kind once) in headless
Chromium with the policy on, and anything the browser refuses fails the test (the `csp_violations`
fixture in conftest). The charts must still be drawn, and the progress bars still move."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from awards.models import Award, AwardRound, Finalist
from kpmi_si.demo.members import DEMO_PASSWORD
from members.models import Kpmi, Member, User
from programs.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Not pages: downloads (exports, certificates, evidence files), the admin's own site, language switch.
SKIP = re.compile(
    r"format=|/piagam/|/bukti/|/unduh/|/laporan\.(pdf|xlsx)|/kwitansi/|^/admin/.+|^/i18n/|^/static/|^/media/"
)
PAGES_PER_ROLE = 30
NOT_FOUND = "/tidak-ada/"  # the 404 page is a page too


def _kind(url: str) -> str:
    """A page kind: its path with the numbers taken out (/kpmi/12/ and /kpmi/31/ are one kind)."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def _visit(page, base: str, start: list[str], seen_kinds: set[str]) -> list[str]:
    """Open the start pages, then pages linked from them of a kind not seen yet; return the kinds
    opened. Every page must answer (no 403/404/500): a refused page would prove nothing."""
    queue = [(url, True) for url in start]
    opened: list[str] = []
    failures: list[str] = []
    while queue and len(opened) < PAGES_PER_ROLE:
        url, must = queue.pop(0)
        kind = _kind(url)
        if not must and kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        response = page.goto(base + url)
        page.evaluate("1")  # a round trip, so the page's console messages have arrived
        if response.status != (404 if url == NOT_FOUND else 200):
            failures.append(f"{url}: {response.status}")
            continue
        opened.append(kind)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            if href.startswith("/") and not href.startswith("//") and not SKIP.search(href):
                queue.append((href, False))
    assert failures == []
    return opened


def test_every_page_kind_keeps_to_the_policy_for_every_role(demo, new_context, live_server, csp_violations):
    base = live_server.url
    kpmi = Kpmi.objects.order_by("pk").first()
    managed = User.objects.get(username="pengelola").kpmi_roles.first().kpmi
    member = Member.objects.get(user__username="anggota")
    published = AwardRound.objects.get(status=AwardRound.Status.PUBLISHED)
    award = Award.objects.filter(round=published).first()
    finalist = Finalist.objects.filter(category__round=published).first()
    activity = Activity.objects.filter(kpmi=managed).order_by("-date").first()
    period = demo

    roles: dict[str | None, list[str]] = {
        None: [
            "/",
            "/akun/masuk/",
            "/akun/password_reset/",
            "/kpmi/",
            f"/kpmi/{kpmi.pk}/",
            "/penghargaan/",
            f"/penghargaan/{published.year}/",
            "/penghargaan/verifikasi/",
            f"/penghargaan/verifikasi/{award.code_display}/",
            NOT_FOUND,
        ],
        "admin": [
            "/komtik/",
            "/penghargaan/kelola/",
            f"/penghargaan/kelola/{published.pk}/",
            f"/penghargaan/finalis/{finalist.pk}/rincian/",
            "/program/tot/",
            "/program/tot/baru/",
            "/admin/",
        ],
        "petugas_pengguna": [
            f"/perhimpunan/users/?period={period.pk}",
            "/perhimpunan/users/target/",
            "/perhimpunan/periode/",
            "/program/kolaborasi/",
            "/program/kolaborasi/baru/",
            "/lomba/",
            "/lomba/baru/",
            "/kegiatan/",
        ],
        "petugas_komunitas": ["/program/tot/", f"/perhimpunan/communities/?period={period.pk}"],
        "petugas_platform": ["/proyek/", "/proyek/baru/"],
        "pengelola": [
            f"/kpmi/{managed.pk}/anggota/",
            f"/kpmi/{managed.pk}/anggota/tambah/",
            "/kegiatan/",
            "/kegiatan/catat/",
            f"/kegiatan/{activity.pk}/",
            f"/kegiatan/{activity.pk}/ubah/",
            "/undangan/",
            "/notifikasi/",
            "/proyek/",
            "/lomba/",
            "/akun/password_change/",
        ],
        "anggota": [member.get_absolute_url(), "/kegiatan/saya/", "/kegiatan/catat/"],
        "juri": ["/penghargaan/juri/"],
    }
    seen: set[str] = set()
    opened: list[str] = []
    for username, start in roles.items():
        context = new_context()
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username:
            page.goto(f"{base}/akun/masuk/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
            assert "/akun/masuk/" not in page.url, username
        opened += _visit(page, base, start, seen)
        if username == "petugas_pengguna":
            # The dashboard's two charts were drawn under the policy (Chart.js sizes them through
            # the CSSOM, which CSP allows; a style="" attribute it would not).
            page.goto(f"{base}/perhimpunan/users/?period={period.pk}")
            for chart in ("trend-chart", "kecamatan-chart"):
                assert page.evaluate(f"Chart.getChart(document.getElementById('{chart}')) !== undefined")
        context.close()

    # The policy was on, and every kind of page the issue names was opened.
    header = new_context().request.get(base + "/").headers["content-security-policy"]
    assert "default-src 'self'" in header and "unsafe-inline" not in header
    for kind in [
        "/",
        "/akun/masuk/",
        "/kpmi/N/",
        "/anggota/N/",
        "/kegiatan/",
        "/kegiatan/N/ubah/",
        "/perhimpunan/users/",
        "/penghargaan/kelola/N/",
        "/penghargaan/N/",
        "/penghargaan/verifikasi/",
        "/program/tot/N/",
        "/proyek/N/",
        "/lomba/N/",
        "/program/kolaborasi/N/",
        "/penghargaan/juri/",
    ]:
        assert kind in opened, kind
    assert any(kind.startswith("/kegiatan/catat/") and kind != "/kegiatan/catat/" for kind in opened)
    assert len(opened) > 40


def test_a_violation_is_caught(page, live_server, csp_violations):
    """The watch works: markup with an inline style, added to a page, is refused and reported."""
    page.goto(live_server.url + "/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.evaluate("1")
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # expected here; any other test fails on one
