"""Throw-away servers for the fault tests: a Redis and a PostgreSQL cluster of the test's own, on free
loopback ports, that a test may stop and start again. The machine's shared servers are never touched.

Both are started from the OS binaries (`redis-server`; PostgreSQL's `initdb`/`pg_ctl`). PostgreSQL
refuses to run as root, so as root (CI) the cluster belongs to the `postgres` user. Where a binary is
missing the test skips and says why; in CI it fails instead."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing on the CI machine")
    pytest.skip(f"{what} is not installed")


def wait_port(port: int, *, up: bool = True, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.1)
    raise AssertionError(f"port {port} did not go {'up' if up else 'down'}")


class PrivateRedis:
    """A Redis without persistence on its own port; `stop()` and `start()` simulate an outage."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            _missing("redis-server")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None
        wait_port(self.port, up=False)


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def _pg_bin(name: str) -> str | None:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return candidates[-1] if candidates else shutil.which(name)


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 at its own port (trust
    authentication, user `postgres`); `restart()` drops every connection as a real restart does."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            _missing("PostgreSQL's initdb and pg_ctl")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="kpmi-pg-"))
        self.data = self.dir / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, user="postgres", group="postgres")

    def _run(self, *args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", *args] if self.as_root else list(args)
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def init(self) -> None:
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")

    def _ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        mode = ["-m", "fast"] if action != "start" else []
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", *mode, action)

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop")

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            server.remove()
