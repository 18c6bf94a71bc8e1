"""Helpers for the tests that run a real Celery worker against Redis and the PostgreSQL test database
(associations evaluation, programs proposals, awards shortlist): one place for how a worker is
started, waited for and killed. The `postgres_url` and `broker` fixtures are in tests/conftest.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import kombu.pools
import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

REDIS = os.environ.get("TEST_REDIS_URL", "")
needs_worker = pytest.mark.skipif(not REDIS, reason="TEST_REDIS_URL is not set (CI sets redis://127.0.0.1:6379/15)")


def postgres_url() -> str:
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run the worker tests against PostgreSQL")
        pytest.skip("a worker process cannot share the in-memory SQLite test database")
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def broker_app() -> Celery:
    # Not the current app: shared tasks elsewhere in this process must keep running in-process.
    app = Celery(broker=REDIS, set_as_current=False)
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # a clean queue: no message left from another run
    return app


def start_worker(postgres_url: str, broker_url: str = "") -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": postgres_url, "REDIS_URL": broker_url or REDIS, "DEBUG": "true"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kpmi_si",
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@contextmanager
def app_broker(url: str) -> Iterator[None]:
    """Make this process's Celery app send to a real broker at `url` (instead of running tasks
    in-process), as a web process with REDIS_URL would; put it back afterwards. Celery reads its
    settings once, so the test changes the app's configuration and drops its cached connections."""
    from kpmi_si.celery import app

    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}

    def reset_pools() -> None:
        # kombu keeps one pool per broker URL for the whole process: close them all and forget them.
        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(broker_url=url, task_always_eager=False)
    reset_pools()
    try:
        yield
    finally:
        reset_pools()
        app.conf.update(saved)


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
