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
