"""The fixed cast every test can call on: the KOMTIK admin, an officer of each association, the
manager and supervisor of KPMI A, the manager of KPMI B, a plain member of KPMI A, and an outsider."""

from __future__ import annotations

import pytest
from django.test import Client

from members.models import KpmiRole, Level

from . import factories


@pytest.fixture(autouse=True)
def reference_data(request):
    """Transactional tests (live server, Celery worker) flush the database after each test, which
    drops the reference data that migrations load; put it back before each of them. (pytest-django's
    serialized_rollback loses it once ordinary `db` tests ran first in the same session.)"""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from associations.models import Association
    from members.models import Desa, Kecamatan
    from members.reference import load_garut_locations

    load_garut_locations(Kecamatan, Desa)
    for code in Association.Code.values:
        Association.objects.get_or_create(code=code)
    # Rows other migrations seed: KOMTIK's two catalogue templates, the first news categories.
    from importlib import import_module

    from django.apps import apps

    import_module("entrepreneurship.migrations.0003_source_text_templates").seed(apps, None)
    import_module("citizen_journalism.migrations.0002_categories_and_search_index").seed_categories(apps, None)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The in-process cache outlives a test; one test's counters (password-reset limits) must not
    hold back the next. A Redis cache is shared with the broker and other processes: left alone."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture
def kpmi_a(db):
    return factories.KpmiFactory(name="KPMI Alfa", kecamatan=factories.kecamatan("Tarogong Kidul"))


@pytest.fixture
def kpmi_b(db):
    return factories.KpmiFactory(name="KPMI Beta", kecamatan=factories.kecamatan("Cibatu"))


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def officer_communities(db):
    return factories.make_officer("communities")


@pytest.fixture
def officer_users(db):
    return factories.make_officer("users")


@pytest.fixture
def officer_platform(db):
    return factories.make_officer("platform")


@pytest.fixture
def officer_entrepreneurs(db):
    return factories.make_officer("entrepreneurs")


@pytest.fixture
def manager_a(kpmi_a):
    return factories.make_keeper(kpmi_a, KpmiRole.Role.MANAGER, username="manager_a")


@pytest.fixture
def supervisor_a(kpmi_a):
    return factories.make_keeper(kpmi_a, KpmiRole.Role.SUPERVISOR, username="supervisor_a")


@pytest.fixture
def manager_b(kpmi_b):
    return factories.make_keeper(kpmi_b, KpmiRole.Role.MANAGER, username="manager_b")


@pytest.fixture
def member_user_a(kpmi_a):
    """A plain member of KPMI A (a trainer) who can log in and see their own record."""
    user = factories.UserFactory(username="member_a")
    factories.MemberFactory(kpmi=kpmi_a, user=user, level=Level.TRAINER, full_name="Euis Anggota")
    return user


@pytest.fixture
def outsider(db):
    return factories.UserFactory(username="outsider")


@pytest.fixture
def postgres_url():
    """The test database as a URL a worker process can use (PostgreSQL only)."""
    from .workers import postgres_url as url

    return url()


@pytest.fixture
def broker():
    """A Celery app on the tests' Redis, to send tasks to a real worker."""
    from .workers import broker_app

    app = broker_app()
    yield app
    app.close()


@pytest.fixture
def client_for():
    """client_for(user) -> a test client logged in as that user (anonymous for None); keyword
    arguments go to the Client (raise_request_exception=False to see a server error as a 500)."""

    def make(user, **client_kwargs) -> Client:
        client = Client(**client_kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return make
