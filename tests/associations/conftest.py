from __future__ import annotations

import datetime as dt

import pytest

from associations import services
from associations.models import Association, Period

YEAR = 2025


@pytest.fixture
def period(admin_user) -> Period:
    """The year 2025, over by now: elapsed share is 1, so a result is achieved or behind."""
    return services.period_open_year(actor=admin_user, year=YEAR)


@pytest.fixture
def communities(db) -> Association:
    return Association.objects.get(code="communities")


@pytest.fixture
def users_association(db) -> Association:
    return Association.objects.get(code="users")


@pytest.fixture
def platform(db) -> Association:
    return Association.objects.get(code="platform")


def day(month: int, d: int = 15) -> dt.date:
    return dt.date(YEAR, month, d)


def stage_tables() -> list[str]:
    """The evaluation's stage tables in the database (associations.services.STAGE), by name."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE %s ORDER BY relname",
            [services.STAGE.replace("_", r"\_") + r"\_%"],
        )
        return [name for (name,) in cursor.fetchall()]


@pytest.fixture
def worked_period(postgres_url, admin_user, officer_users, officer_communities, kpmi_a, kpmi_b) -> Period:
    """2025 with a Users target (publications, 3) and a Communities one (new members, 2), and in each of two
    groups a manager with publications: in January and twice in February, and in February and May.
    PostgreSQL (the evaluation's second connections)."""
    from members.models import Level
    from programs.models import Kind
    from tests import factories
    from tests.programs.factories import make_activity

    period = services.period_open_year(actor=admin_user, year=YEAR)
    users = Association.objects.get(code="users")
    communities = Association.objects.get(code="communities")
    services.target_set(actor=officer_users, period=period, association=users, metric="publications", value=3)
    services.target_set(
        actor=officer_communities, period=period, association=communities, metric="new_members", value=2
    )
    for kpmi, months in ((kpmi_a, (1, 2, 2)), (kpmi_b, (2, 5))):
        manager = factories.MemberFactory(kpmi=kpmi, level=Level.MANAGER, joined_on=day(3))
        for month in months:
            make_activity(kpmi=kpmi, credited=[manager], kind=Kind.PUBLICATION, date=day(month))
    return period
