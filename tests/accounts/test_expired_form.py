"""A form sent with a token that no longer matches its cookie (a login page left open while another tab
logged in, cleared cookies): nothing is saved, and the page says in Indonesian how to go on; the bell's
count never answers an ended session with a login page (whose answer would mint such a cookie)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_login_page_outdated_by_another_tab_says_what_to_do_and_the_next_try_works(manager_a):
    phone = Client(enforce_csrf_checks=True)
    login = reverse("login")
    old = _token(phone.get(login))
    # Another tab on the phone opened the login page with no cookie left: a new cookie replaces the one
    # the first tab's token was made from.
    phone.cookies.pop(settings.CSRF_COOKIE_NAME)
    phone.get(login)

    refused = phone.post(
        login,
        {"username": "manager_a", "password": PASSWORD, "csrfmiddlewaretoken": old},
        HTTP_REFERER=f"http://testserver{login}?next=/kegiatan/",
    )
    assert refused.status_code == 403
    assert not _logged_in(phone)
    body = refused.content.decode()
    assert "Formulir ini sudah kedaluwarsa" in body and "Tidak ada yang tersimpan" in body
    # A page of the site (base.html and its stylesheet), under the site's policy.
    assert "bootstrap.min.css" in body and "style=" not in body
    assert "'unsafe-inline'" not in refused["Content-Security-Policy"]
    again = re.search(r'href="([^"]+)">Buka lagi formulirnya', body)[1]
    assert again == f"http://testserver{login}?next=/kegiatan/"

    retry = phone.post(
        login, {"username": "manager_a", "password": PASSWORD, "csrfmiddlewaretoken": _token(phone.get(again))}
    )
    assert retry.status_code == 302 and _logged_in(phone)


def test_a_form_of_a_logged_in_user_with_a_forged_token_saves_nothing(manager_a, kpmi_a):
    from programs.models import Activity

    manager = Client(enforce_csrf_checks=True)
    manager.force_login(manager_a)
    form = reverse("programs:activity_create", args=["edukasi"]) + f"?kpmi={kpmi_a.pk}"
    manager.get(form)
    refused = manager.post(
        form, {"title": "Belajar surel", "csrfmiddlewaretoken": "x" * 64}, HTTP_REFERER="https://example.com/"
    )
    assert refused.status_code == 403
    assert not Activity.objects.filter(title="Belajar surel").exists()
    # An address off the site is never offered: the form's own address is.
    assert f'href="{form.replace("&", "&amp;")}"' in refused.content.decode()


def test_an_ended_session_gets_401_from_the_bell_and_no_new_cookie(client, manager_a):
    count = reverse("notifications:notification_count")
    anonymous = client.get(count, HTTP_ACCEPT="application/json")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"unread": None}
    assert settings.CSRF_COOKIE_NAME not in anonymous.cookies
    client.force_login(manager_a)
    assert client.get(count).json() == {"unread": 0}
