"""Headers every response carries: a Permissions-Policy, and no caching of anything personal."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from kpmi_si.middleware import SecurityHeadersMiddleware

from .test_settings import PRODUCTION, _manage

pytestmark = pytest.mark.django_db


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

