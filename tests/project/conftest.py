"""The world of tests/project/world.py, for the modules that walk every URL of the site."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from .world import build_world, logged_in_clients


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once per module inside a transaction that is rolled back at its end; each
    request of a test runs in a savepoint of its own (world.rolled_back)."""
    with (
        django_db_blocker.unblock(),
        # A cheap hasher: wrong passwords are posted to the login and password pages again and again,
        # and these tests are about who gets in and what is refused, not about hashing.
        # Sessions in signed cookies: a page that keeps something in the session (the password reset
        # link does) then writes no row, so "nothing was written" holds for every table.
        override_settings(
            MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        ),
        transaction.atomic(),
    ):
        w = build_world()
        w.clients = logged_in_clients(w)
        yield w
        transaction.set_rollback(True)
