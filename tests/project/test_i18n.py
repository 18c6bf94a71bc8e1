"""Indonesian first: the catalogue is complete, compiled, and the site speaks it by default."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_compiled_catalogue_matches_the_source():
    # The .mo is committed so that `make run` needs no gettext; it must not fall behind the .po.
    po = {_key(e): (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(PO)) if not e.obsolete}
    mo = {_key(e): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    mo.pop(("", ""), None)
    assert set(po) == set(mo), "run `make messages` to recompile locale/id/LC_MESSAGES/django.mo"
    assert all(po[k][0] == mo[k][0] for k in po if not po[k][1])


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh from a copy of the tree; anything missing from the committed
    catalogue would show in English to Indonesian users."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is missing on the CI machine; .ci/run installs it")
        pytest.skip("GNU gettext (xgettext) is not installed: apt-get install gettext")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "media", "node_modules", "*.sqlite3", "static"),
    )
    (copy / "locale" / "id" / "LC_MESSAGES" / "django.po").unlink()
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": "sqlite:///:memory:"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-location", "--ignore=tests"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {_key(e) for e in polib.pofile(str(copy / "locale" / "id" / "LC_MESSAGES" / "django.po"))}
    committed = {_key(e) for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = sorted(msgid for _ctx, msgid in fresh - committed)
    assert missing == [], f"run `make messages` and translate: {missing}"


@pytest.mark.django_db
def test_pages_are_indonesian_by_default_and_english_on_request(client):
    body = client.get(reverse("directory:kpmi_list")).content.decode()
    assert '<html lang="id">' in body
    assert "Direktori KPMI" in body
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("directory:kpmi_list")})
    assert response.status_code == 302
    body = client.get(reverse("directory:kpmi_list")).content.decode()
    assert '<html lang="en">' in body
    assert "KPMI directory" in body


@pytest.mark.django_db
def test_a_visitor_switches_language_without_a_csrf_cookie():
    """Public pages carry no CSRF token or cookie for a visitor (the language switch is their only
    form): the switch works without one, and the page stays in English afterwards."""
    from django.test import Client

    visitor = Client(enforce_csrf_checks=True)
    front = reverse("citizen_journalism:front")
    page = visitor.get(front)
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert settings.CSRF_COOKIE_NAME not in page.cookies
    response = visitor.post(reverse("set_language"), {"language": "en", "next": front})
    assert response.status_code == 302 and response["Location"] == front
    assert '<html lang="en">' in visitor.get(front).content.decode()
    # An address off the site is not followed.
    away = visitor.post(reverse("set_language"), {"language": "id", "next": "https://example.com/"})
    assert away.status_code == 302 and away["Location"] == "/"


@pytest.mark.django_db
def test_a_logged_in_users_language_switch_needs_the_pages_token(member_user_a):
    import re

    from django.test import Client

    member = Client(enforce_csrf_checks=True)
    member.force_login(member_user_a)
    front = reverse("citizen_journalism:front")
    forged = member.post(reverse("set_language"), {"language": "en", "next": front})
    assert forged.status_code == 403
    assert '<html lang="id">' in member.get(front).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', member.get(front).content.decode())[1]
    switched = member.post(reverse("set_language"), {"language": "en", "next": front, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert '<html lang="en">' in member.get(front).content.decode()
