"""Generated junk posted to every form of the site, by a role allowed to post it.

Every URL that takes a POST (tests/project/urltable.py says which) is fuzzed two ways. Generated: its
valid payload with one to three fields replaced by generated values (unicode of every plane, RTL
overrides, NUL bytes, 100,000 characters, HTML and SQL, numbers at and past every bound, the first and
last dates), dropped, sent twice, or joined by fields it does not expect. Swept: each field in turn at
the bounds of its kind. Whatever comes in:
- never a server error;
- a rejection re-renders the form with at least one error shown on the page, or redirects with an
  error message, or answers 400/403/404;
- a rejection writes nothing (every table's inserted, updated and deleted rows are compared).
Uploads have their own cases below: files that lie about what they are, bombs, scripts, size."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BaseForm
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from .urltable import BUTTONS, CREATED, OK, PAYLOADS, REDIRECT, URLS, Variant, takes_input
from .world import LOGIN_RECORDS, ROLES, resolve_kwargs, rolled_back, writes_so_far

# Modest and repeatable: the same examples on every run (CI must not fail by chance); run with
# --hypothesis-seed=<n> and a larger max_examples to explore further.
FUZZ = hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the world is built once per module and never changes
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
BUTTON_EXAMPLES = 8  # a button has no fields of its own: only stray ones to try

LONG = 100_000
SPECIALS = [
    # empty, blank, control and invisible characters
    "",
    " ",
    "\t\n",
    "\x00",
    "nama\x00kpmi",
    "\u202eevil.exe\u202c",
    "\u200f\u200e",
    "\ufeff",
    # every plane: astral letters, emoji, CJK extension B, tags, private use
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "😀🇮🇩",
    "\U00020000\U0002a6d6",
    "\U000e0001\U000e0041",
    "\U000ffffd\U0010fffd",
    "Şukma Nur’aini",
    # 100,000 characters
    "x" * LONG,
    "9" * LONG,
    "é😀" * (LONG // 2),
    # markup and SQL
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE members_member; --",
    "' OR '1'='1",
    "{{ request }}{% debug %}",
    "../../etc/passwd",
    # numbers at and past every bound
    "-1",
    "0",
    "1",
    "-0",
    "32767",
    "32768",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "1" + "0" * 400,
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "1.5",
    "0x10",
    "١٢٣",
    "１２３",
    "²",
    "9" * 5000,
    # dates at and past the ends of the calendar
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "31-12-2026",
    # links and booleans
    "javascript:alert(1)",
    "https://" + "a" * 3000 + ".example",
    "http://[::1",
    "on",
    "yes",
    "None",
    "[]",
]
JUNK = st.one_of(
    st.sampled_from(SPECIALS),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats().map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
)
# Fields a form does not expect, some of them names that mean something elsewhere.
STRAY = ["id", "pk", "status", "created_by", "is_superuser", "kpmi", "level", "form", "next", "member", "period"]

FORM_VIEWS = sorted(name for name in URLS if takes_input(name))


def _target(name: str) -> tuple[Variant, str]:
    """The first variant some role may post, and that role (anyone but the admin, if possible: the
    narrower path)."""
    for variant in URLS[name]:
        allowed = [role for role in ROLES if variant.post[role] in (OK, REDIRECT, CREATED)]
        if allowed:
            return variant, next((role for role in allowed if role != "admin"), allowed[0])
    raise AssertionError(f"{name}: no role may post it")


def _base(name: str, variant: Variant, w, role: str) -> dict[str, Any]:
    build = variant.data or PAYLOADS.get(name)
    return build(w, role) if build else {}


def _url(name: str, variant: Variant, w) -> str:
    url = reverse(name, kwargs=resolve_kwargs(variant.kwargs, w))
    return f"{url}?{variant.query(w)}" if variant.query else url


@st.composite
def _mutated(draw, base: dict[str, Any]) -> dict[str, Any]:
    """The valid payload with one to three fields changed: generated junk, dropped, sent twice, or a
    field the form does not expect. The other fields stay valid, so that the junk gets past the form's
    first refusal and reaches the rules and the database behind it."""
    data = dict(base)
    for field in draw(st.lists(st.sampled_from([*base, *STRAY]), min_size=1, max_size=3, unique=True)):
        how = draw(st.sampled_from(("junk", "junk", "drop", "twice")))
        if how == "junk":
            data[field] = draw(JUNK)
        elif how == "twice":
            data[field] = [draw(JUNK), data.get(field, "")]
        else:
            data.pop(field, None)
    return data


# One field at a time, every value at a bound of its kind: what random examples may not happen upon.
BOUNDS_NUMBER = ["-1", "0", "32768", "2147483648", "9223372036854775808", "1e309", "NaN"]
BOUNDS_DATE = ["0001-01-01", "9999-12-31"]
BOUNDS_TEXT = ["\x00", "\u202e" + "x" * LONG]


def _bounds_for(value: Any) -> list[str]:
    text = str(value[0] if isinstance(value, list) and value else value)
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return BOUNDS_DATE + BOUNDS_TEXT[:1]
    if text.lstrip("-").isdigit():
        return BOUNDS_NUMBER + BOUNDS_TEXT[:1]
    return BOUNDS_TEXT


def _forms_with_errors(response) -> list[BaseForm]:
    forms = []
    for context in response.context or []:
        for layer in context.dicts:
            for value in layer.values():
                if isinstance(value, BaseForm) and value.is_bound and value.errors:
                    forms.append(value)
    return forms


def _error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level >= message_levels.ERROR]


def _post(w, role: str, url: str, data: dict[str, Any]):
    client, cookies = w.clients[role]
    client.cookies = SimpleCookie(cookies.output(header="", sep="\n"))
    besides = LOGIN_RECORDS if url == reverse("login") else None
    with rolled_back():
        before = writes_so_far(besides=besides)
        response = client.post(url, data)
        wrote = writes_so_far(besides=besides) != before
    return response, wrote


def assert_refused_or_done(response, wrote: bool, where: str, *, records_itself: bool = False) -> None:
    status = response.status_code
    assert status != 500, f"{where}: server error"
    if status == 302 and not _error_messages(response):
        return  # carried out (or, for the role's own landing pages, a plain redirect)
    if status == CREATED and response["Content-Type"] == "application/json":
        return  # carried out by a JSON endpoint (the offline sync), which answers with the record's URL
    if records_itself and status == 200 and wrote and not _error_messages(response):
        return  # carried out with its answer on the page (urltable's records_itself: a new API token)
    # 429: a rate limit on guessing (the account activation page's wrong codes) refuses too.
    assert status in (200, 302, 400, 403, 404, 429), f"{where}: answered {status}"
    assert not wrote, f"{where}: refused ({status}) but wrote to the database"
    if status == 200:
        forms = _forms_with_errors(response)
        assert forms, f"{where}: the form came back without saying what is wrong"
        page = response.content.decode()
        shown = [e for form in forms for errors in form.errors.values() for e in errors if escape(e) in page]
        assert shown, f"{where}: errors {[f.errors for f in forms]} are not on the page"


def test_every_form_view_is_fuzzed():
    """A URL that takes a POST needs a valid payload to mutate, or is a button (no input): a new form
    without either fails here, named."""
    unfed = [
        name
        for name in FORM_VIEWS
        if name not in PAYLOADS and name not in BUTTONS and not any(v.data for v in URLS[name])
    ]
    assert not unfed, f"Form views with no payload in tests/project/urltable.py (and not BUTTONS): {unfed}"
    # And the selection itself works: the site has some fifty forms and buttons (56 when README.md was written).
    assert len(FORM_VIEWS) >= 50


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORM_VIEWS)
def test_fuzzed_post(name, world):
    variant, role = _target(name)
    url = _url(name, variant, world)
    base = _base(name, variant, world, role)

    @hypothesis_settings(FUZZ, max_examples=FUZZ.max_examples if base else BUTTON_EXAMPLES)
    @given(data=_mutated(base))
    def fuzz(data):
        response, wrote = _post(world, role, url, data)
        assert_refused_or_done(response, wrote, f"POST {url} as {role}", records_itself=variant.records_itself)

    fuzz()


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name in FORM_VIEWS if name not in BUTTONS])
def test_bounds_one_field_at_a_time(name, world):
    variant, role = _target(name)
    url = _url(name, variant, world)
    base = _base(name, variant, world, role)
    for field, value in base.items():
        for bound in _bounds_for(value):
            response, wrote = _post(world, role, url, {**base, field: bound})
            assert_refused_or_done(response, wrote, f"POST {url} as {role} with {field}={bound[:20]!r}")


# --- uploads ------------------------------------------------------------------------------------------


def _png(width: int, height: int, *, pixels: bool) -> bytes:
    """A 1-bit greyscale PNG. With `pixels`, its rows are there (all zero: a few KB compressed, however
    large it claims to be); without, the image data is cut short."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(bytes(1 + (width + 7) // 8) * height, 9) if pixels else zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _jpeg(size: int | None = None) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 140, 60)).save(buffer, format="JPEG")
    data = buffer.getvalue()
    return data if size is None else data + b"\x00" * (size - len(data))


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
PDF_WITH_JAVASCRIPT = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"3 0 obj << /S /JavaScript /JS (app.alert\\('pwned'\\)) >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
UPLOADS = {
    "an HTML page named foto.jpg": lambda: SimpleUploadedFile(
        "foto.jpg", b"<html><body><script>alert(1)</script></body></html>", "image/jpeg"
    ),
    "an SVG with a script": lambda: SimpleUploadedFile("foto.svg", SVG, "image/svg+xml"),
    "an SVG with a script named foto.png": lambda: SimpleUploadedFile("foto.png", SVG, "image/png"),
    "a PNG claiming 60000x60000 pixels": lambda: SimpleUploadedFile(
        "bom.png", _png(60_000, 60_000, pixels=False), "image/png"
    ),
    "a file over the size limit": lambda: SimpleUploadedFile(
        "besar.jpg", _jpeg(django_settings.EVIDENCE_MAX_BYTES + 1), "image/jpeg"
    ),
    "a 12000x12000 PNG bomb of a few KB": lambda: SimpleUploadedFile(
        "bom.png", _png(12_000, 12_000, pixels=True), "image/png"
    ),
    "a PDF that runs JavaScript": lambda: SimpleUploadedFile("laporan.pdf", PDF_WITH_JAVASCRIPT, "application/pdf"),
}


def _refuses_upload(w, make_file) -> None:
    from programs.models import Activity, Evidence

    url = f"{reverse('programs:activity_create', args=['terbitan'])}?kpmi={w.kpmi_a.pk}"
    data = {**PAYLOADS["programs:activity_create"](w, "manager_a"), "evidence_files": [make_file()]}
    activities, files = Activity.objects.count(), Evidence.objects.count()
    response, wrote = _post(w, "manager_a", url, data)
    assert response.status_code == 200, f"answered {response.status_code}: the file was accepted"
    form = response.context["form"]
    assert form.errors.get("evidence_files"), form.errors
    assert escape(form.errors["evidence_files"][0]) in response.content.decode()
    assert not wrote
    assert (Activity.objects.count(), Evidence.objects.count()) == (activities, files)


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # what the bomb case is about
@pytest.mark.parametrize("case", list(UPLOADS))
def test_upload_is_refused_on_its_field(case, world):
    _refuses_upload(world, UPLOADS[case])


@pytest.mark.django_db
def test_a_real_photo_is_accepted(world):
    """The upload cases above fail for the right reason: the same post with an honest photo passes."""
    url = f"{reverse('programs:activity_create', args=['terbitan'])}?kpmi={world.kpmi_a.pk}"
    photo = SimpleUploadedFile("foto.jpg", _jpeg(), "image/jpeg")
    data = {**PAYLOADS["programs:activity_create"](world, "manager_a"), "evidence_files": [photo]}
    response, wrote = _post(world, "manager_a", url, data)
    assert response.status_code == 302 and wrote
