"""Every kind of page, for every role of the demo cast, passes axe-core's WCAG 2.1 A/AA rules with no
critical or serious violation, and fits a 360-px phone (nothing wider than the screen).

Like the CSP walk: each role gets one browser context (a 360-px phone), opens its must-see pages, then
pages linked from them of a kind not seen yet (each kind once, across roles, to keep the run short).
axe-core is the copy vendored in axe-playwright-python (no network)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from awards.models import AwardRound, Finalist
from citizen_journalism.demo import EDITOR_USERNAME
from kpmi_si.demo.members import DEMO_PASSWORD
from members.models import Kpmi, Member, User
from programs.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIP = re.compile(
    r"format=|/piagam/|/bukti/|/unduh/|/laporan\.(pdf|xlsx)|/kwitansi/|^/admin/|^/i18n/|^/static/|^/media/|^/api/|/rss/|/atom/|sitemap"
)
PAGES_PER_ROLE = 25
WIDTH = 360
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"critical", "serious"}


def _kind(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def _check(page, axe: Axe, url: str) -> list[str]:
    problems: list[str] = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        wide = page.evaluate(
            """(w) => Array.from(document.querySelectorAll('body *'))
                 .filter(e => e.getBoundingClientRect().right > w + 1 || e.scrollWidth > e.clientWidth + 1
                   && getComputedStyle(e).overflowX === 'visible')
                 .slice(-3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                   + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : ''))""",
            WIDTH,
        )
        problems.append(f"{url}: {width} px wide ({', '.join(wide)})")
    results = axe.run(page, options=AXE_OPTIONS)
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            problems.append(f"{url}: {violation['impact']} {violation['id']} ({len(violation['nodes'])}×) {targets}")
    return problems


def _walk(page, axe: Axe, base: str, start: list[str], seen: set[str], problems: list[str]) -> list[str]:
    queue = [(url, True) for url in start]
    opened: list[str] = []
    while queue and len(opened) < PAGES_PER_ROLE:
        url, must = queue.pop(0)
        kind = _kind(url)
        if not must and kind in seen:
            continue
        seen.add(kind)
        response = page.goto(base + url)
        if response.status != 200:
            problems.append(f"{url}: answered {response.status}")
            continue
        opened.append(kind)
        problems += _check(page, axe, url)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            if href.startswith("/") and not href.startswith("//") and not SKIP.search(href):
                queue.append((href, False))
    return opened


def test_every_page_kind_is_accessible_and_fits_a_phone_for_every_role(demo, new_context, live_server):
    base = live_server.url
    kpmi = Kpmi.objects.order_by("pk").first()
    managed = User.objects.get(username="pengelola").kpmi_roles.first().kpmi
    member = Member.objects.get(user__username="anggota")
    published = AwardRound.objects.get(status=AwardRound.Status.PUBLISHED)
    finalist = Finalist.objects.filter(category__round=published).first()
    activity = Activity.objects.filter(kpmi=managed).order_by("-date").first()
    period = demo

    roles: dict[str | None, list[str]] = {
        None: ["/", "/akun/masuk/", "/kpmi/", f"/kpmi/{kpmi.pk}/", "/penghargaan/", f"/penghargaan/{published.year}/"],
        "admin": [
            "/beranda/",
            "/komtik/",
            "/penghargaan/kelola/",
            f"/penghargaan/kelola/{published.pk}/",
            f"/penghargaan/kelola/{published.pk}/kategori/",
            f"/penghargaan/finalis/{finalist.pk}/rincian/",
            "/program/tot/",
        ],
        "petugas_pengguna": ["/beranda/", f"/perhimpunan/users/?period={period.pk}", "/lomba/", "/kegiatan/"],
        "petugas_komunitas": ["/beranda/", "/program/tot/"],
        "petugas_platform": ["/beranda/", "/proyek/"],
        "petugas_entrepreneur": ["/beranda/"],
        "pengelola": [
            "/beranda/",
            f"/kpmi/{managed.pk}/anggota/",
            "/kegiatan/",
            f"/kegiatan/{activity.pk}/",
            "/undangan/",
            "/notifikasi/",
        ],
        "pembina": ["/beranda/"],
        "anggota": [member.get_absolute_url(), "/kegiatan/saya/", "/kegiatan/catat/"],
        "juri": ["/beranda/", "/penghargaan/juri/"],
        EDITOR_USERNAME: ["/berita/"],
    }
    axe = Axe()
    seen: set[str] = set()
    opened: list[str] = []
    problems: list[str] = []
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
        opened += _walk(page, axe, base, start, seen, problems)
        context.close()

    assert problems == [], "\n".join(problems)
    # The walk reached the pages the issue names.
    for kind in ["/beranda/", "/perhimpunan/users/", "/penghargaan/kelola/N/kategori/", "/kpmi/", "/undangan/"]:
        assert kind in opened, kind
    assert len(opened) > 40
