"""The session's user is loaded with its roles in one query (kpmi_si.accounts.backends.UserBackend), on
PostgreSQL in the session's own read (kpmi_si.accounts.sessions): every logged-in page reads the session,
the user, then its officer record, member record and kept groups for the menu. Sessions logged in before
that backend, or kept in Django's own table before the site's, keep working, and what ends a session
still ends it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kpmi_si.accounts.backends import LEGACY_BACKEND
from kpmi_si.accounts.models import Session
from kpmi_si.accounts.sessions import SessionStore
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_BACKEND = "kpmi_si.accounts.backends.UserBackend"


def _logged_in_as(client: Client, username: str) -> bool:
    response = client.get(reverse("password_change"))
    return response.status_code == 200 and username in response.content.decode()


@pytest.mark.parametrize(
    ("cast", "queries"),
    # The session with the user, its officer, member and whether it keeps a group (on PostgreSQL one
    # statement; elsewhere the session, then the user): the menu and the outbox indicator ask nothing
    # more, but for a keeper's menu, which names the groups kept.
    [("officer_communities", 1), ("member_user_a", 1), ("admin_user", 1), ("manager_a", 2)],
)
def test_a_logged_in_page_reads_its_session_and_user_with_its_roles_in_one_query(
    request, client, django_assert_num_queries, cast, queries
):
    user = request.getfixturevalue(cast)
    client.force_login(user)
    client.get(reverse("password_change"))  # the first request may refresh the CSRF cookie
    with django_assert_num_queries(queries + (connection.vendor != "postgresql")):
        response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert user.get_username() in response.content.decode()


def test_a_session_keeps_its_users_id_beside_its_data(client, officer_communities):
    client.force_login(officer_communities)
    key = client.session.session_key
    assert Session.objects.get(session_key=key).user_id == officer_communities.pk
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    session = SessionStore()
    session["_auth_user_id"] = "bukan-angka"
    session.create()
    assert Session.objects.get(session_key=session.session_key).user_id is None


def test_the_sessions_data_decides_whose_session_it_is_not_its_user_column(client, officer_communities, manager_a):
    """A user column out of step with the data (written by anything but the store) never hands the
    request another user: the one the signed data names is loaded, and checked, as ever."""
    client.force_login(officer_communities)
    Session.objects.filter(session_key=client.session.session_key).update(user_id=manager_a.pk)
    assert _logged_in_as(client, "officer_communities")
    response = client.get(reverse("home"))
    assert response.wsgi_request.user == officer_communities
    assert "KPMI Alfa" not in response.content.decode().split('id="nav"')[1].split("<form")[0]


def test_live_sessions_of_djangos_table_are_carried_over(officer_communities):
    import importlib

    from django.apps import apps
    from django.contrib.sessions.models import Session as DjangoSession
    from django.db import connection as db
    from django.utils import timezone

    migration = importlib.import_module("kpmi_si.accounts.migrations.0002_session_with_user")
    old = SessionStore()
    live = {
        "_auth_user_id": str(officer_communities.pk),
        "_auth_user_backend": NEW_BACKEND,
        "_auth_user_hash": officer_communities.get_session_auth_hash(),
    }
    soon, past = timezone.now() + dt.timedelta(days=1), timezone.now() - dt.timedelta(days=1)
    DjangoSession.objects.create(session_key="hidup" * 8, session_data=old.encode(live), expire_date=soon)
    DjangoSession.objects.create(session_key="basi" * 10, session_data=old.encode(live), expire_date=past)
    DjangoSession.objects.create(session_key="tamu" * 10, session_data=old.encode({"x": 1}), expire_date=soon)

    class Editor:
        connection = db

    migration.carry_over(apps, Editor())
    carried = {
        s.session_key: s.user_id
        for s in Session.objects.filter(session_key__in=["hidup" * 8, "basi" * 10, "tamu" * 10])
    }
    assert carried == {"hidup" * 8: officer_communities.pk, "tamu" * 10: None}
    phone = Client()
    phone.cookies["sessionid"] = "hidup" * 8
    assert _logged_in_as(phone, "officer_communities")


def test_the_menu_is_the_same_whichever_backend_logged_the_session_in(manager_a):
    legacy, new = Client(), Client()
    legacy.force_login(manager_a, backend=LEGACY_BACKEND)
    new.force_login(manager_a, backend=NEW_BACKEND)
    pages = [legacy.get(reverse("home")), new.get(reverse("home"))]
    assert [page.status_code for page in pages] == [200, 200]
    menus = [page.content.decode().split('id="nav"')[1].split("<form")[0] for page in pages]
    assert menus[0] == menus[1]
    assert "KPMI Alfa" in menus[0]  # the manager's menu, naming the group kept


def test_a_session_logged_in_before_the_new_backend_stays_logged_in(client, officer_communities):
    client.force_login(officer_communities, backend=LEGACY_BACKEND)
    assert _logged_in_as(client, "officer_communities")


def test_the_login_form_logs_in_through_the_new_backend(client, officer_communities):
    response = client.post(reverse("login"), {"username": "officer_communities", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == NEW_BACKEND
    assert _logged_in_as(client, "officer_communities")


def test_a_wrong_password_is_refused_and_counted_once(client, officer_communities):
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": "officer_communities", "password": "salah"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="officer_communities").failures_since_start == 1


def test_a_deactivated_user_is_logged_out(client, officer_communities):
    client.force_login(officer_communities)
    officer_communities.is_active = False
    officer_communities.save(update_fields=["is_active"])
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_password_change_elsewhere_ends_the_session(client, officer_communities):
    client.force_login(officer_communities)
    officer_communities.set_password("kata-sandi-baru-456")
    officer_communities.save()
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_logging_out_ends_the_session(client, officer_communities):
    client.force_login(officer_communities)
    key = client.session.session_key
    client.post(reverse("logout"))
    other = Client()
    other.cookies["sessionid"] = key
    assert not _logged_in_as(other, "officer_communities")


def test_an_expired_session_is_logged_out(client, officer_communities):
    from django.utils import timezone

    client.force_login(officer_communities)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("user_id", ["99999999999999999999999", "-1", "123456789"])
def test_a_session_naming_no_user_is_a_visitor_not_an_error(client, officer_communities, user_id):
    client.force_login(officer_communities)
    session = client.session
    session["_auth_user_id"] = user_id
    session.save()
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_session_user_carries_the_same_records_as_the_orm_reads(officer_communities, manager_a):
    from members.models import User
    from members.permissions import _with_roles, user_with_roles

    for user in (officer_communities, manager_a):
        loaded, expected = user_with_roles(str(user.pk)), _with_roles(User.objects.all()).get(pk=user.pk)
        assert loaded.pk == expected.pk and loaded.get_username() == expected.get_username()
        assert loaded.keeps_kpmi == expected.keeps_kpmi
        assert getattr(loaded, "member", None) == getattr(expected, "member", None)
        officer = getattr(expected, "officer", None)
        assert getattr(loaded, "officer", None) == officer
        if officer is not None:
            assert loaded.officer.association.code == officer.association.code


def test_expired_sessions_are_cleared_daily_and_the_clean_up_is_safe_to_run_twice(client, officer_communities):
    from django.conf import settings
    from django.utils import timezone

    from kpmi_si.accounts.sessions import clear_expired_sessions, sessions_clear_expired

    client.force_login(officer_communities)
    live = client.session.session_key
    gone = SessionStore()
    gone["_auth_user_id"] = str(officer_communities.pk)
    gone.create()
    Session.objects.filter(session_key=gone.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == clear_expired_sessions.name]
    assert clear_expired_sessions.delay().get() == 1  # tests run tasks in-process
    assert sessions_clear_expired() == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert _logged_in_as(client, "officer_communities")
