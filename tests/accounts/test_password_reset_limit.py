"""Password-reset mail is limited per address and per client, and the reset page never tells whether
an address has an account: the same answer for a known and an unknown address, limited or not."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

CLIENT_IP = "203.0.113.9"


def _ask(client: Client, email: str, ip: str = CLIENT_IP):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, follow=True)


def _answer(response) -> tuple:
    """What the asker sees: where they were sent and the page, less its per-request CSRF token."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, response.redirect_chain, body


def test_limits_come_from_settings(settings):
    assert settings.PASSWORD_RESET_LIMIT_PER_EMAIL == 3
    assert settings.PASSWORD_RESET_LIMIT_PER_IP == 10
    assert settings.PASSWORD_RESET_LIMIT_WINDOW == 60 * 60


def test_an_address_gets_at_most_three_mails_an_hour(client, manager_a):
    for _ in range(5):
        _ask(client, manager_a.email)
    assert len(mail.outbox) == 3
    # The address is the limit, however it is written and wherever the asker is.
    _ask(Client(), manager_a.email.upper(), ip="198.51.100.30")
    assert len(mail.outbox) == 3


def test_one_client_gets_at_most_ten_resets_an_hour_whatever_the_addresses(client):
    users = [factories.UserFactory(username=f"orang{n}") for n in range(12)]
    for user in users:
        _ask(client, user.email)
    assert len(mail.outbox) == 10
    # Another client is not held back by this one.
    _ask(Client(), users[-1].email, ip="198.51.100.31")
    assert len(mail.outbox) == 11


def test_the_window_passes_and_mail_is_sent_again(client, manager_a):
    from django.core.cache import cache

    for _ in range(4):
        _ask(client, manager_a.email)
    assert len(mail.outbox) == 3
    cache.clear()  # what the cache does when the hour is over: the counters expire
    _ask(client, manager_a.email)
    assert len(mail.outbox) == 4


def test_known_and_unknown_addresses_get_the_same_answer_limited_or_not(manager_a):
    known, unknown = manager_a.email, "tidak.ada@example.org"
    answers = {}
    for label, email in (("known", known), ("unknown", unknown)):
        client = Client()
        answers[label] = [_answer(_ask(client, email)) for _ in range(5)]  # the last two are over the limit
    assert answers["known"] == answers["unknown"]
    assert all(a == answers["known"][0] for a in answers["known"])  # the limit changes nothing that is seen
    status, chain, body = answers["known"][0]
    assert status == 200 and chain == [(reverse("password_reset_done"), 302)]
    assert "Bila ada akun dengan alamat itu" in body
    assert [m.to for m in mail.outbox] == [[known]] * 3


def test_a_bad_address_is_a_form_error_not_a_count(client, manager_a):
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": "bukan-alamat"}, REMOTE_ADDR=CLIENT_IP)
        assert response.status_code == 200
    _ask(client, manager_a.email)
    assert len(mail.outbox) == 1
