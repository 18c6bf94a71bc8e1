"""A burst of requests is served from each process's connection pool: PostgreSQL never sees more
of this app's connections than the pool's size, and a request that finds no free connection in time
gets the "busy, try again" page (503), never a server error. PostgreSQL only."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.db import connection

from kpmi_si.env import Env
from kpmi_si.middleware import is_database_busy
from members import selectors

pytestmark = pytest.mark.django_db(transaction=True)

POOL = {"min_size": 1, "max_size": 2, "timeout": 1}
BURST = 8
HOLD_SECONDS = 0.6  # how long each request keeps its connection: long enough for the others to queue


@pytest.fixture
def small_pool(postgres_url):
    """The test database's pool cut down to two connections, waiting one second at most."""
    options = connection.settings_dict["OPTIONS"]
    saved = options.get("pool")
    assert saved, "DATABASE_URL is PostgreSQL: settings must configure a connection pool"
    assert connection.settings_dict["CONN_MAX_AGE"] == 0
    connection.close()
    connection.close_pool()
    options["pool"] = POOL
    yield connection.settings_dict
    connection.close()
    connection.close_pool()
    options["pool"] = saved


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (the test's own server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_burst_stays_within_the_pool_and_the_overflow_is_told_to_retry(small_pool, live_server, monkeypatch):
    real = selectors.level_totals

    def slow_level_totals():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(%s)", [HOLD_SECONDS])
        return real()

    monkeypatch.setattr(selectors, "level_totals", slow_level_totals)
    db = small_pool
    monitor = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=db["NAME"],
        autocommit=True,
        application_name="pool-test-monitor",
    )
    peak = {"app": 0, "all": 0}
    done = threading.Event()

    def watch():
        while not done.is_set():
            app, everyone = monitor.execute(
                "SELECT count(*) FILTER (WHERE application_name = %s), count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()",
                [db["OPTIONS"]["application_name"]],
            ).fetchone()
            peak["app"], peak["all"] = max(peak["app"], app), max(peak["all"], everyone)
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=BURST) as burst:
            answers = list(burst.map(_get, [live_server.url + "/"] * BURST))
    finally:
        done.set()
        watcher.join()
        monitor.close()

    statuses = sorted(status for status, _body in answers)
    assert 500 not in statuses, statuses
    assert set(statuses) == {200, 503}, statuses  # some served, the overflow told to retry
    busy = next(body for status, body in answers if status == 503)
    assert "sibuk" in busy  # Indonesian: "The site is busy"
    assert 0 < peak["app"] <= POOL["max_size"], peak
    assert peak["all"] == peak["app"], peak  # every connection of this app is named


def test_pool_settings_from_the_environment():
    url = "postgres://kpmi@db:5432/kpmi"
    config = Env({"DB_POOL_MAX_SIZE": "6", "DB_POOL_TIMEOUT": "3", "DB_CONN_MAX_AGE": "60"}).database("X", url)
    assert config["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 6, "timeout": 3}
    assert config["OPTIONS"]["application_name"] == "kpmi_si"
    assert config["CONN_MAX_AGE"] == 0
    off = Env({"DB_POOL": "false"}).database("X", url)
    assert "pool" not in off["OPTIONS"]
    assert "pool" not in Env({}).database("X", "sqlite:///x.sqlite3").get("OPTIONS", {})


@pytest.mark.parametrize(
    "environ",
    [
        {"DB_POOL_MAX_SIZE": "0"},
        {"DB_POOL_MIN_SIZE": "5", "DB_POOL_MAX_SIZE": "4"},
        # An evaluation holds three connections at once: a pool of two would starve it.
        {"DB_POOL_MAX_SIZE": "2"},
        {"DB_POOL_TIMEOUT": "0"},
    ],
)
def test_bad_pool_settings_stop_the_start(environ):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DB_POOL"):
        Env(environ).database("X", "postgres://kpmi@db:5432/kpmi")


def test_busy_is_recognised_through_djangos_wrapping():
    from django.db import OperationalError
    from psycopg_pool import PoolTimeout

    try:
        try:
            raise PoolTimeout("couldn't get a connection after 1.00 sec")
        except PoolTimeout as inner:
            raise OperationalError(str(inner)) from inner
    except OperationalError as wrapped:
        assert is_database_busy(wrapped)
    assert is_database_busy(psycopg.OperationalError("FATAL: sorry, too many clients already"))
    assert not is_database_busy(psycopg.OperationalError("relation does not exist"))
