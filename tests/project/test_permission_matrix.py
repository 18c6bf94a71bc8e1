"""Every URL of the site × every role of the cast × GET and POST, against the table in urltable.py.

The URLs come from the resolver, not from a list: a new URL without a row in the table fails here,
naming it. Each URL that names an object is also tried with the object on the other side of a line
(another KPMI, another association, another award round). A refused request, a rejected POST and
every GET must leave the database as it was (every table's inserted, updated and deleted rows are
compared, not only counts); a successful POST is rolled back so the next request meets the same world.
Anonymous pages are read for the members' phone numbers, e-mail addresses and birth years."""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kpmi_si.concurrency import record_version

from .urltable import LOGIN, NO_OTHER_SIDE, OK, PAYLOADS, REDIRECT, SKIPPED, URLS, Variant
from .world import LOGIN_RECORDS, ROLES, personal_data_of, resolve_kwargs, rolled_back, writes_so_far

METHODS = ("GET", "POST")
# What a refusal looks like: nothing may be written behind any of these.
REFUSED = {LOGIN, 400, 401, 403, 404, 405}  # 401: the buyers' API without a token


def _walk(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name or ''}", pattern


def _skipped(name: str) -> bool:
    return name.startswith("admin:") or name in SKIPPED


def project_urls() -> dict[str, URLPattern]:
    """Every named URL pattern of the project, but those SKIPPED (each with its reason)."""
    return {name: pattern for name, pattern in _walk(get_resolver().url_patterns) if not _skipped(name)}


URL_NAMES = sorted(project_urls())


def matrix_size() -> tuple[int, int, int]:
    variants = sum(len(URLS.get(name, ())) for name in URL_NAMES)
    return len(URL_NAMES), variants, variants * len(ROLES) * len(METHODS)


def _outcome(response) -> object:
    if response.status_code == 302:
        return LOGIN if urlparse(response["Location"]).path == reverse("login") else REDIRECT
    return response.status_code


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# A CSRF token is 64 random letters and digits: it may spell a birth year by chance, never a leak.
_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


# A PDF's page streams are compressed binary (and its embedded fonts' text is glyph codes, not ASCII),
# and its cross-reference table and dates are digits: four digits of a birth year turn up in them by
# chance, and the page text cannot be read back without a PDF text extractor. What is read of a PDF is
# its own words outside the streams: the string literals of its document info (title, author, subject).
_PDF_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.S)
_PDF_DATE = re.compile(rb"/(?:CreationDate|ModDate)\s*\([^)]*\)")
_PDF_STRING = re.compile(rb"\(((?:[^()\\]|\\.)*)\)")


def _visible_text(response) -> str:
    content = _content(response)
    if response.get("Content-Type", "").startswith("application/pdf"):
        outside = _PDF_DATE.sub(b"", _PDF_STREAM.sub(b"", content))
        content = b" ".join(_PDF_STRING.findall(outside))
    return _CSRF_TOKEN.sub("", content.decode("utf-8", "replace"))


def _url(name: str, variant: Variant, w) -> str:
    url = reverse(name, kwargs=resolve_kwargs(variant.kwargs, w))
    return f"{url}?{variant.query(w)}" if variant.query else url


# Edit forms carry the version of the record they were opened on (kpmi_si.concurrency); a browser
# sends back the one it was shown, so the payload carries the record's current one.
VERSIONED = {
    "members:member_edit": "members.Member",
    "members:kpmi_edit": "members.Kpmi",
    "programs:activity_edit": "programs.Activity",
    "interventions:tot_edit": "programs.TotEvent",
    "interventions:tot_add_candidate": "programs.TotEvent",
    "citizen_journalism:article_edit": "citizen_journalism.Article",
}


def _post_data(name: str, variant: Variant, w, role: str) -> dict:
    build = variant.data or PAYLOADS.get(name)
    data = build(w, role) if build else {}
    if name in VERSIONED:
        record = apps.get_model(VERSIONED[name]).objects.get(pk=resolve_kwargs(variant.kwargs, w)["pk"])
        data["version"] = record_version(record)
    return data


def test_every_url_pattern_has_a_row():
    """A URL added to the site without a row here fails, named; a row for a URL that is gone too."""
    names = set(URL_NAMES)
    missing = sorted(names - set(URLS))
    stale = sorted(set(URLS) - names)
    assert not missing, f"URL patterns with no expectations in tests/project/urltable.py: {missing}"
    assert not stale, f"Rows in tests/project/urltable.py for URLs that no longer exist: {stale}"
    unnamed = [
        pattern
        for name, pattern in _walk(get_resolver().url_patterns)
        if (name.endswith(":") or not name) and not name.startswith("admin:")
    ]
    assert not unnamed, f"URL patterns without a name cannot be checked: {unnamed}"


def test_every_url_with_an_object_is_tried_from_the_other_side():
    one_sided = [
        name
        for name in URL_NAMES
        if project_urls()[name].pattern.converters and len(URLS.get(name, ())) < 2 and name not in NO_OTHER_SIDE
    ]
    assert not one_sided, f"URLs naming an object, tried with one object only and no reason why: {one_sided}"


def test_every_row_names_every_role():
    for name, variants in URLS.items():
        for variant in variants:
            for table in (variant.get, variant.post):
                assert set(table) == set(ROLES), f"{name} [{variant.label}]"


@pytest.mark.django_db
@pytest.mark.parametrize("name", URL_NAMES)
def test_permission_matrix(name, world):
    if name not in URLS:
        pytest.fail(f"URL pattern {name!r} has no row in tests/project/urltable.py: add what each role may do")
    personal = personal_data_of(world.members)
    problems = []
    for variant in URLS[name]:
        url = _url(name, variant, world)
        for role in ROLES:
            client, cookies = world.clients[role]
            for method in METHODS:
                expected = (variant.get if method == "GET" else variant.post)[role]
                data = _post_data(name, variant, world, role) if method == "POST" else None
                # Each request starts as the role (a logout or a message cookie does not carry over).
                client.cookies = SimpleCookie(cookies.output(header="", sep="\n"))
                besides = LOGIN_RECORDS if name == "login" else None
                with rolled_back():
                    before = writes_so_far(besides=besides)
                    response = client.get(url) if method == "GET" else client.post(url, data)
                    wrote = writes_so_far(besides=besides) != before
                got = _outcome(response)
                where = f"{method} {url} as {role} [{variant.label or name}]"
                if got != expected:
                    problems.append(f"{where}: expected {expected}, got {got}")
                if (
                    wrote
                    and (method == "GET" or got in REFUSED or got == OK)
                    and not (variant.records_itself and got == OK)
                ):
                    problems.append(f"{where}: answered {got} but wrote to the database")
                if role == "anonymous" and got == OK:
                    content = _visible_text(response)
                    leaked = [value for value in personal if value and value in content]
                    if leaked:
                        problems.append(f"{where}: an anonymous page shows personal data {leaked}")
    assert not problems, "\n".join(problems)


def test_matrix_size():
    """The size README.md quotes; recounted here so a change of the table shows."""
    urls, variants, requests = matrix_size()
    print(f"permission matrix: {urls} URLs, {variants} URL variants × {len(ROLES)} roles × 2 methods = {requests}")
    assert urls == len(URLS)
