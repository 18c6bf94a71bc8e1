"""The logging form's first load on a phone stays light with the offline logging added: the page,
every stylesheet and script it loads, the manifest and the service worker (with the outbox script it
imports), gzip-compressed as the server sends them — at most 100 KB, of which the offline logging's
own files at most 30 KB (photos aside, as on the article page's test)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from members.models import Level
from tests import factories

pytestmark = pytest.mark.django_db

KB = 1024


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def _static(url: str) -> bytes:
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    relative = url.removeprefix(prefix)
    return next((Path(d) / relative).read_bytes() for d in settings.STATICFILES_DIRS if (Path(d) / relative).exists())


def test_the_logging_form_first_load_is_light(client_for, manager_a, kpmi_a, kpmi_b):
    # A group of a realistic size, and a neighbour's members (the form offers joint work).
    for i in range(30):
        factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER, full_name=f"Anggota Alfa {i}")
        factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER, full_name=f"Anggota Beta {i}")
    client = client_for(manager_a)
    html = client.get(f"{reverse('programs:activity_create', args=['terbitan'])}?kpmi={kpmi_a.pk}").content
    assets = re.findall(rb'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html)
    assert b'rel="manifest"' in html and b"/static/js/outbox.js" in assets

    offline = {
        "manifest": _gz(client.get(reverse("manifest")).content),
        "service worker": _gz(client.get(reverse("service_worker")).content),
        "outbox script": _gz(_static("/static/js/outbox.js")),
        "icon the worker keeps": len(_static("/static/icons/icon-192.png")),  # PNG: compressed already
    }
    page = _gz(html) + sum(_gz(_static(a.decode())) for a in assets if a != b"/static/js/outbox.js")
    total = page + sum(offline.values())
    print({name: f"{size / KB:.1f} KB" for name, size in offline.items()}, f"page {page / KB:.1f} KB")
    assert sum(offline.values()) <= 30 * KB, offline
    assert total <= 100 * KB, f"{total / KB:.1f} KB"
