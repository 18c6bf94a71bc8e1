"""The statements compiled once per process (a dashboard's numbers, the session, its user, the period
list) run as prepared statements of the connection (kpmi_si.prepared): PostgreSQL plans them once, not
on every page, and they read exactly what they read unprepared. PostgreSQL only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from associations import selectors, services
from associations.metrics import METRICS
from associations.models import Association
from kpmi_si.accounts.sessions import SessionStore
from kpmi_si.env import Env
from kpmi_si.prepared import prepared_cursor
from members.models import Level
from members.permissions import user_with_roles
from programs.models import Kind
from tests import factories
from tests.programs.factories import make_activity

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def new_connection(postgres_url):
    """A connection of its own for each test: the pool's keep what earlier tests prepared."""
    connection.close()
    connection.close_pool()
    yield
    connection.close()
    connection.close_pool()


DASHBOARD = "\n        WITH chart"  # how the dashboard's statement begins (selectors._compile_dashboard_statement)


@pytest.fixture
def period(postgres_url, admin_user, officer_users, kpmi_a, kpmi_b):
    period = services.period_open_year(actor=admin_user, year=2025)
    users = Association.objects.get(code="users")
    services.target_set(actor=officer_users, period=period, association=users, metric="publications", value=2)
    for kpmi, n in ((kpmi_a, 3), (kpmi_b, 1)):
        manager = factories.MemberFactory(kpmi=kpmi, level=Level.MANAGER)
        for month in range(1, n + 1):
            make_activity(kpmi=kpmi, credited=[manager], kind=Kind.PUBLICATION, date=dt.date(2025, month, 10))
    evaluation, _created = services.evaluation_create(actor=None, period=period)
    services.period_evaluate(evaluation_id=evaluation.pk)
    return period


def _numbers(period, **filters):
    return selectors.dashboard_numbers(
        period=period,
        metric=METRICS["publications"],
        filters=filters,
        sort="ratio",
        page=1,
        per_page=25,
        fields=("pk", "actual", "target", "status", "kpmi__name"),
    )


def _prepared(start: str) -> list[tuple[int, int]]:
    """(generic plans, custom plans) of this connection's prepared statements beginning with `start`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return [(generic, custom) for text, generic, custom in cursor.fetchall() if text.startswith(start)]


def test_a_dashboards_statement_is_prepared_once_planned_once_and_reads_what_it_read_unprepared(period):
    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    assert threshold is not None  # kpmi_si.env turns psycopg's prepared statements on
    try:
        raw.prepare_threshold = None  # as with DB_PREPARED_STATEMENTS=false: nothing prepared
        unprepared = [_numbers(period), _numbers(period, status="behind")]
        assert _prepared(DASHBOARD) == []
    finally:
        raw.prepare_threshold = threshold

    prepared = [_numbers(period), _numbers(period, status="behind")]
    assert prepared == unprepared
    assert [row["actual"] for row in prepared[0].rows] == [1, 3]
    assert prepared[0].totals.actual == 4
    # Two statements (with and without the status filter), each prepared once, planned generically.
    for _ in range(3):
        _numbers(period)
    assert sorted(_prepared(DASHBOARD)) == [(1, 0), (4, 0)]
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"


def test_the_session_its_user_and_the_period_list_are_prepared_and_read_the_same(period, officer_users):
    session = SessionStore()
    session["_auth_user_id"] = str(officer_users.pk)
    session.create()
    for _ in range(2):
        assert SessionStore(session.session_key).load() == {"_auth_user_id": str(officer_users.pk)}
        assert user_with_roles(officer_users.pk).officer.association.code == "users"
        assert [p.name for p in selectors.period_list()] == [p.name for p in selectors.periods()]
    with connection.cursor() as cursor:
        # psycopg's names (the refresh prepares statements of its own: associations.refresh)
        cursor.execute(r"SELECT generic_plans FROM pg_prepared_statements WHERE name LIKE '\_pg3\_%'")
        runs = sorted(generic for (generic,) in cursor.fetchall())
    assert runs == [2, 2, 2]  # each of the three prepared once, run twice


def test_inside_a_transaction_the_plans_are_left_to_postgresql(period):
    """A SET in the caller's transaction would go with its rollback: the mode is set between
    transactions only, and a statement prepared inside one is planned as PostgreSQL chooses."""
    connection.close()
    connection.close_pool()  # the fixtures' statements ran between transactions on this connection
    with transaction.atomic():
        _numbers(period)
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            assert cursor.fetchone()[0] == "auto"
    assert _prepared(DASHBOARD) == [(0, 1)]


def test_the_queries_of_a_prepared_cursor_are_seen_by_djangos_wrappers(period):
    seen = []

    def wrapper(execute, sql, *rest):
        seen.append(sql)
        return execute(sql, *rest)

    for _ in range(2):  # prepared, then run as prepared
        with (
            connection.execute_wrapper(wrapper),
            CaptureQueriesContext(connection) as logged,
            prepared_cursor() as cursor,
        ):
            cursor.execute("SELECT %s + 1", [41])
            assert cursor.fetchone() == (42,)
        assert [query["sql"] for query in logged] == ["SELECT $1 + 1"]
    assert seen == ["SELECT %s + 1"] * 2


def test_prepared_statements_can_be_turned_off_for_a_pooler_that_cannot_keep_them():
    url = "postgres://app@db:5432/kpmi"
    assert Env({}).database("DATABASE_URL", url)["OPTIONS"]["prepare_threshold"] == 5
    off = Env({"DB_PREPARED_STATEMENTS": "false"}).database("DATABASE_URL", url)
    assert off["OPTIONS"]["prepare_threshold"] is None
