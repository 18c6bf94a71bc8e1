"""One English word, one meaning: a msgid that means two things in Indonesian carries a context.

Without a context gettext has one translation per msgid, so the second meaning silently borrows the
first one's word: a competition's "title" showed *Jabatan* (an officer's job title) and a collaboration
programme's venue ("place") *Peringkat* (an award's place). Two checks, over the strings extracted afresh
from the code (as `test_i18n` does):

- the words known to have several meanings here never appear without a context, and only with the
  contexts listed for them (a new meaning is a new context, added to the list after a thought);
- an English msgid with one context (or none) has one Indonesian translation, whatever its case: two
  translations of "Title"/"title" mean either two meanings (give them contexts) or two words for one
  thing (use one: see the glossary in the README).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"

# English words (compared case-insensitively) with more than one meaning in this product, each meaning's
# context and its Indonesian word. Audited over the whole catalogue for #14; "Level", "Period", "Status",
# "Close(d)", "Draft", "Rank", "Venue" and "Total" have one meaning each here, "Order" and "Post" are not
# used on their own.
AMBIGUOUS: dict[str, dict[str, str]] = {
    "title": {"heading": "the name of a work, article, competition: judul", "job title": "an officer's: jabatan"},
    "place": {"rank": "an award's or a standing's place: peringkat", "venue": "where something happens: tempat"},
    "publish": {
        "article": "an editor puts an article on the news site: terbitkan",
        "award round": "the admin announces the winners: umumkan",
        "volunteer project": "an officer offers a project to managers: umumkan",
    },
    "published": {"article": "on the news site: terbit", "award round": "winners announced: diumumkan"},
    "open": {"period status": "a period still taking results: dibuka", "button": "to open something: buka"},
    "record": {"button": "to record something: catat", "noun": "a stored row: data"},
    "vote": {"button": "a juror gives a score: beri nilai", "noun": "a juror's score: penilaian"},
}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> polib.POFile:
    """The strings of the code as `makemessages` finds them, with where each one is used."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is missing on the CI machine; .ci/run installs it")
        pytest.skip("GNU gettext (xgettext) is not installed: apt-get install gettext")
    copy = tmp_path_factory.mktemp("contexts") / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "media", "node_modules", "*.sqlite3", "static"),
    )
    (copy / "locale" / "id" / "LC_MESSAGES" / "django.po").unlink()
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": "sqlite:///:memory:"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--ignore=tests"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(copy / "locale" / "id" / "LC_MESSAGES" / "django.po"))


def _where(entry: polib.POEntry) -> str:
    return ", ".join(f"{path}:{line}" for path, line in entry.occurrences)


def test_words_with_several_meanings_always_carry_their_context(extracted):
    bare, unknown = [], []
    for entry in extracted:
        meanings = AMBIGUOUS.get(entry.msgid.casefold())
        if meanings is None:
            continue
        if not entry.msgctxt:
            bare.append(f"{entry.msgid!r} at {_where(entry)}")
        elif entry.msgctxt not in meanings:
            unknown.append(f"{entry.msgid!r} in context {entry.msgctxt!r} at {_where(entry)}")
    assert bare == [], f"use pgettext / {{% translate ... context ... %}} with one of AMBIGUOUS's contexts: {bare}"
    assert unknown == [], f"a new meaning: add its context to AMBIGUOUS in this test: {unknown}"


def test_one_english_word_has_one_indonesian_word_in_each_context(extracted):
    translated = {(e.msgctxt or "", e.msgid): e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete}
    words: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entry in extracted:
        if entry.msgid_plural:
            continue
        msgstr = translated.get((entry.msgctxt or "", entry.msgid), "")
        if msgstr:  # a missing translation is test_i18n's to report
            words[(entry.msgctxt or "", entry.msgid.casefold())][msgstr.casefold()].append(entry.msgid)
    clashes = {key: dict(found) for key, found in words.items() if len(found) > 1}
    assert clashes == {}, "one English word, several Indonesian ones: give each meaning a context or use one word"


def test_the_catalogue_holds_every_meaning_listed():
    """Each listed meaning is translated, so a context added in the code does not fall back to English."""
    contexts = {(e.msgctxt, e.msgid.casefold()) for e in polib.pofile(str(PO)) if e.msgctxt and e.msgstr}
    missing = [(ctx, word) for word, meanings in AMBIGUOUS.items() for ctx in meanings if (ctx, word) not in contexts]
    assert missing == []


@pytest.mark.django_db
def test_a_competitions_title_and_a_programmes_venue_read_right(client_for, officer_users):
    client = client_for(officer_users)
    competition = client.get(reverse("interventions:competition_create")).content.decode()
    assert re.search(r'for="id_title"[^>]*>\s*Judul', competition) and "Jabatan" not in competition
    programme = client.get(reverse("interventions:collaboration_create")).content.decode()
    assert re.search(r'for="id_venue"[^>]*>\s*Tempat', programme) and "Peringkat" not in programme
