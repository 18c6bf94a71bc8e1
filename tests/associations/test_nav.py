"""The tabs of an association's pages ({% association_nav %}, kept per process): each page shows its
own tab active and the period it shows in the dashboard and targets links, in the reader's language,
whichever page and period the process rendered before."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from associations import services

pytestmark = pytest.mark.django_db


def _tabs(client, url: str, language: str = "id") -> list[tuple[str, str, bool]]:
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    nav = re.search(r'<ul class="nav nav-tabs[^"]*">(.*?)</ul>', html, re.S).group(1)
    return [
        (text, href, "active" in classes)
        for classes, href, text in re.findall(r'<a class="nav-link ?([^"]*)" href="([^"]*)">([^<]*)</a>', nav)
    ]


def test_each_page_shows_its_tab_and_period_in_the_readers_language(client, admin_user, officer_communities, period):
    later = services.period_open_year(actor=admin_user, year=2026)
    client.force_login(officer_communities)
    home, targets = (reverse(f"associations:{name}", args=["communities"]) for name in ("home", "targets"))
    periods = reverse("associations:periods")

    assert _tabs(client, f"{home}?period={period.pk}") == [
        ("Dasbor", f"{home}?period={period.pk}", True),
        ("Target", f"{targets}?period={period.pk}", False),
        ("Periode", periods, False),
    ]
    # Another period, the same page: the links follow the period shown.
    assert _tabs(client, f"{home}?period={later.pk}")[1] == ("Target", f"{targets}?period={later.pk}", False)
    # The targets page: its own tab is the active one.
    assert [active for _text, _href, active in _tabs(client, f"{targets}?period={period.pk}")] == [False, True, False]
    # In English, after the same tabs were rendered in Indonesian.
    assert [text for text, _href, _active in _tabs(client, f"{home}?period={period.pk}", "en")] == [
        "Dashboard",
        "Targets",
        "Periods",
    ]
