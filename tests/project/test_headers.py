"""Headers every response carries: a strict Content-Security-Policy (in tests and development too, so
that every browser test runs under it), a Permissions-Policy, and no caching of anything personal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpmi_si.middleware import SecurityHeadersMiddleware

from .test_settings import PRODUCTION, _manage

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


class TestContentSecurityPolicy:
    def test_every_page_kind_carries_the_strict_policy(self, client, client_for, manager_a):
        for response in (
            client.get(reverse("landing")),
            client.get(reverse("login")),
            client_for(manager_a).get(reverse("programs:work_list")),
        ):
            policy = _policy(response)
            assert policy["default-src"] == ["'self'"]
            assert policy["script-src"] == ["'self'"]
            assert policy["style-src"] == ["'self'"]
            # Bootstrap's own CSS draws its icons (menu, select arrow, check marks) as data: SVGs.
            assert policy["img-src"] == ["'self'", "data:"]
            assert policy["object-src"] == ["'none'"]
            assert policy["base-uri"] == ["'self'"]
            assert policy["frame-ancestors"] == ["'none'"]
            assert policy["form-action"] == ["'self'"]
            assert "unsafe-inline" not in response["Content-Security-Policy"]
            assert "unsafe-eval" not in response["Content-Security-Policy"]

    def test_a_changed_policy_is_sent_at_once(self, client, settings):
        # The site's header is built once per process (kpmi_si.middleware.CSPMiddleware): a changed
        # setting must not leave the old one on the responses.
        assert _policy(client.get(reverse("landing")))["img-src"] == ["'self'", "data:"]
        settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'"]}}
        assert _policy(client.get(reverse("landing"))) == {"default-src": ["'self'"], "img-src": ["'self'"]}

    def test_a_view_with_a_policy_of_its_own_keeps_it(self):
        from csp.decorators import csp_update

        from kpmi_si.middleware import CSPMiddleware

        @csp_update({"img-src": "https://peta.example"})
        def view(request):
            return HttpResponse("peta")

        middleware = CSPMiddleware(view)
        request = RequestFactory().get("/")
        middleware.process_request(request)
        policy = _policy(middleware.process_response(request, view(request)))
        assert policy["img-src"] == ["'self'", "data:", "https://peta.example"]
        assert policy["script-src"] == ["'self'"]

    def test_error_pages_and_the_lockout_page_carry_it_too(self, client):
        assert "Content-Security-Policy" in client.get("/tidak-ada/")
        assert "Content-Security-Policy" in client.get(reverse("komtik_home"), follow=True)


# What CSP would block in markup: <style> elements, style="" attributes, inline <script> code (a
# <script> with src= or type="application/json" from json_script is fine) and on*="" handlers.
INLINE = {
    "style element": re.compile(r"<style[\s>]", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "inline script": re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _own(pattern: str) -> list[Path]:
    skip = {".venv", "staticfiles", "node_modules", ".git", "tests"}
    return [path for path in ROOT.rglob(pattern) if not skip & set(path.relative_to(ROOT).parts)]


def test_no_template_has_inline_script_or_style():
    templates = _own("*.html")
    assert len(templates) > 50
    found = [
        f"{path.relative_to(ROOT)}: {kind}"
        for path in templates
        for kind, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert found == []


def test_no_form_widget_has_a_style_attribute():
    # Widgets render their attrs into the markup: a "style" there is a style="" attribute too.
    found = [str(p.relative_to(ROOT)) for p in _own("*.py") if re.search(r"[\"']style[\"']\s*:", p.read_text())]
    assert found == []


class TestPermissionsPolicy:
    def test_powerful_features_are_off_on_every_response(self, client, client_for, manager_a):
        for response in (client.get(reverse("landing")), client_for(manager_a).get(reverse("home"))):
            features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
            for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
                assert features[feature] == "()"


class TestCaching:
    def test_pages_of_a_logged_in_user_are_never_stored(self, client_for, manager_a, kpmi_a):
        client = client_for(manager_a)
        for url in (reverse("home"), reverse("members:member_list", args=[kpmi_a.pk]), reverse("landing")):
            assert client.get(url)["Cache-Control"] == "private, no-store", url

    def test_a_reply_that_never_read_the_user_is_not_stored_either(self, client_for, client, manager_a):
        # The health check never asks who is logged in; its reply to a logged-in browser is still
        # private (the session names a user), and it does not load the user to decide so (on PostgreSQL
        # the session's own read brings the user along: no statement of its own).
        logged_in = client_for(manager_a)
        logged_in.get(reverse("healthz"))
        with CaptureQueriesContext(connection) as queries:
            response = logged_in.get(reverse("healthz"))
        assert response["Cache-Control"] == "private, no-store"
        assert not [q for q in queries if "members_user" in q["sql"] and "accounts_session" not in q["sql"]]
        assert "no-store" not in client.get(reverse("healthz")).get("Cache-Control", "")

    def test_exports_are_never_stored(self, client_for, manager_a):
        response = client_for(manager_a).get(reverse("programs:work_list"), {"format": "csv"})
        assert response["Content-Type"].startswith("text/csv")
        assert response["Cache-Control"] == "private, no-store"

    def test_a_download_for_an_anonymous_visitor_is_never_stored_either(self):
        # A certificate (PDF) is public, and it still names a person.
        request = RequestFactory().get("/penghargaan/piagam/X/")
        request.user = AnonymousUser()

        def view(request):
            response = HttpResponse(b"%PDF-", content_type="application/pdf")
            response["Content-Disposition"] = 'inline; filename="piagam.pdf"'
            return response

        assert SecurityHeadersMiddleware(view)(request)["Cache-Control"] == "private, no-store"

    def test_public_pages_for_visitors_stay_cacheable(self, client):
        assert "no-store" not in client.get(reverse("landing")).get("Cache-Control", "")


class TestLanguageCookie:
    def test_is_lax_and_out_of_reach_of_scripts(self, client):
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
        assert cookie["samesite"] == "Lax"
        assert cookie["httponly"] is True

    def test_is_sent_over_https_only_in_production(self):
        code = "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY)"
        result = _manage("shell", "-c", code, env=PRODUCTION)
        assert result.stdout.strip().splitlines()[-1] == "True True", result.stderr


def test_the_server_error_page_renders_with_its_stylesheet():
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Terjadi kesalahan di server" in body and "bootstrap.min.css" in body
