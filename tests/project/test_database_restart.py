"""PostgreSQL restarted under the running app: the requests after the restart are answered without
restarting the app. Each gunicorn worker keeps connections between requests, in its pool (the default)
or as a persistent connection (DB_POOL=false, CONN_MAX_AGE); the restart kills them, and the health
check on a reused connection (CONN_HEALTH_CHECKS, kpmi_si/env.py) finds them dead and reconnects,
instead of the next request failing with a 500.

The database is a private cluster of the test's own (tests/servers.py) holding a copy of the test
database's schema; the app is a real gunicorn. Needs PostgreSQL's binaries; skipped elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.servers import _pg_bin, free_port, private_postgres

pytestmark = pytest.mark.django_db

NAME = "kpmi_fault"


def get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            if get(port, "/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


@pytest.mark.parametrize("pool", ["true", "false"], ids=["pool", "persistent"])
def test_requests_after_a_database_restart_succeed(postgres_url, pool):
    db = connection.settings_dict
    with private_postgres() as pg:
        admin = pg.url("postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {NAME}")
        # The schema (and the reference data migrations load) copied from the test database.
        dump = subprocess.run(
            [
                _pg_bin("pg_dump"),
                "-h",
                db["HOST"] or "127.0.0.1",
                "-p",
                str(db["PORT"] or 5432),
                "-U",
                db["USER"],
                "--no-owner",
                db["NAME"],
            ],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        subprocess.run(
            [_pg_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", pg.url(NAME)],
            input=dump,
            check=True,
            capture_output=True,
            timeout=120,
        )

        port = free_port()
        env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": pg.url(NAME),
            "REDIS_URL": "",
            "DB_CONN_MAX_AGE": "60",
            "DB_POOL": pool,
        }
        # One worker, one thread: every request reuses a connection the restart kills.
        app = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kpmi_si.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "1",
                "--timeout",
                "60",
            ],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            wait_until_serving(port, app)
            assert get(port, "/kpmi/") == 200
            with psycopg.connect(admin, autocommit=True) as conn:
                kept = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [NAME]).fetchone()
            assert kept[0] >= 1, "the app keeps connections between requests"

            pg.restart()

            for path in ("/healthz", "/kpmi/", "/"):
                assert get(port, path) == 200, path
        finally:
            app.terminate()
            try:
                app.wait(timeout=30)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait(timeout=30)
