"""`make load` (python -m kpmi_si.loadtest): a bounded load test of the whole stack on this machine.

1. A dedicated PostgreSQL database (LOAD_DATABASE_URL) is created if missing, migrated and seeded once
   with the demo data (seed_demo --force); what earlier load runs logged is deleted, so runs compare.
2. gunicorn serves the app with production settings (DEBUG off, static files collected) on a free
   loopback port, with Redis (LOAD_REDIS_URL) as broker and a real Celery worker beside it.
3. locust runs headless for LOAD_SECONDS with LOAD_USERS users: the logging mix (locustfile.py), then,
   with the same users and gunicorn, the ceiling (a view that only asks the database for `SELECT 1`).
   Meanwhile the harness samples the load database's connections in pg_stat_activity.
4. Every write the scenario saw acknowledged (a 302 to the record) is looked up by the marker in its
   title: lost = acknowledged but missing, duplicated = more than one row for one submit.

It prints a table per kind of request and, as its last line, one JSON object. Every process it started
is stopped at the end, whatever happens (an error, Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
MARK = "LOAD-"  # every title the scenario writes starts with it


@dataclass
class Config:
    users: int
    seconds: int
    ceiling_seconds: int
    database_url: str
    redis_url: str
    web_workers: int
    double_tap: float
    wait: float

    @classmethod
    def from_env(cls) -> Config:
        seconds = int(os.environ.get("LOAD_SECONDS", "60"))
        return cls(
            users=int(os.environ.get("LOAD_USERS", "50")),
            seconds=seconds,
            ceiling_seconds=int(os.environ.get("LOAD_CEILING_SECONDS", str(seconds))),
            database_url=os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kpmi_load"),
            redis_url=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/12"),
            # As in production (Dockerfile): three sync workers.
            web_workers=int(os.environ.get("LOAD_WEB_WORKERS", "3")),
            double_tap=float(os.environ.get("LOAD_DOUBLE_TAP", "0.2")),
            wait=float(os.environ.get("LOAD_WAIT", "0")),
        )

    @property
    def database_name(self) -> str:
        return urlparse(self.database_url).path.lstrip("/")

    def maintenance_url(self) -> str:
        """The same server's `postgres` database: to create the load database, and to watch it
        without the watcher's own connection counting."""
        return urlunparse(urlparse(self.database_url)._replace(path="/postgres"))


@dataclass
class Processes:
    """Children started in their own process groups, so that stopping one stops what it forked."""

    running: list[tuple[str, subprocess.Popen]] = field(default_factory=list)

    def start(self, name: str, command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
        out = open(log, "ab")  # noqa: SIM115 - the child owns it for its whole life
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()
        self.running.append((name, process))
        return process

    def stop_all(self) -> None:
        for _name, process in reversed(self.running):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for _name, process in reversed(self.running):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.running.clear()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env(config: Config) -> dict[str, str]:
    """Production settings, loopback only: DEBUG off, a throw-away key, no HTTPS redirect (the
    scenario speaks plain HTTP to 127.0.0.1)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kpmi_si.settings",
        "DEBUG": "false",
        "SECRET_KEY": "load-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": config.database_url,
        "REDIS_URL": config.redis_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict[str, str], log: Path, *args: str) -> None:
    with open(log, "ab") as out:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )


def prepare_database(config: Config, env: dict[str, str], log: Path) -> None:
    import psycopg

    with psycopg.connect(config.maintenance_url(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config.database_name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config.database_name}"')
    manage(env, log, "migrate", "--no-input")
    manage(env, log, "collectstatic", "--no-input")  # DEBUG off: whitenoise serves the collected manifest


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def seed_once(env: dict[str, str], log: Path) -> None:
    from members.models import User

    if not User.objects.filter(username="pengelola").exists():
        manage(env, log, "seed_demo", "--force")


def forget_earlier_runs() -> int:
    from programs.models import Activity

    deleted, _ = Activity.objects.filter(title__startswith=MARK).delete()
    return deleted


def _sessions(username: str, n: int) -> list[str]:
    """n logged-in sessions of one demo account, made directly: logging in fifty users through the
    password hasher is not the work this test measures."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from members.models import User

    user = User.objects.get(username=username)
    backends = settings.AUTHENTICATION_BACKENDS
    backend = "kpmi_si.accounts.backends.UserBackend"
    backend = backend if backend in backends else backends[-1]
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for _ in range(n):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        keys.append(session.session_key)
    return keys


def build_plan(config: Config, run: str, result: Path) -> dict[str, Any]:
    """Who the simulated users are and what they open, from the demo data."""
    from django.conf import settings
    from django.urls import reverse

    from associations.metrics import METRICS
    from associations.models import Period
    from awards.models import AwardRound
    from members import permissions
    from members.models import Kpmi, User

    n = config.users
    log_url = reverse("programs:activity_create", args=["terbitan"])
    per_account = []
    for username in ("pengelola", "pembina"):  # the manager of one KPMI, the supervisor of two
        groups = sorted(permissions.managed_kpmi_ids(User.objects.get(username=username)))
        per_account.append(
            [
                {"session": key, "log_url": f"{log_url}?kpmi={groups[i % len(groups)]}"}
                for i, key in enumerate(_sessions(username, n))
            ]
        )

    periods = list(Period.objects.filter(parent__isnull=True).order_by("-start").values_list("pk", flat=True)[:2])
    per_association = []
    for user in User.objects.filter(username__startswith="petugas_").order_by("username"):
        code = permissions.officer_association_code(user)
        metrics = [m.code for m in METRICS.values() if m.association == code]
        if not metrics:
            continue
        home = reverse("associations:home", args=[code])
        dashboards = [f"{home}?period={p}&metric={m}" for p in periods for m in metrics]
        per_association.append([{"session": key, "dashboards": dashboards} for key in _sessions(user.username, n)])

    kpmi_pages = [
        reverse("directory:kpmi_detail", args=[pk])
        for pk in Kpmi.objects.filter(status=Kpmi.Status.ACTIVE).order_by("pk").values_list("pk", flat=True)
    ]
    years = AwardRound.objects.filter(status=AwardRound.Status.PUBLISHED).values_list("year", flat=True)
    award_pages = [reverse("awards:index")] + [reverse("awards:year", args=[y]) for y in years]
    return {
        "run": run,
        "result": str(result),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        # Interleaved, so that even five users include each account and association.
        "managers": [m for group in zip(*per_account, strict=True) for m in group],
        "officers": [o for group in zip(*per_association, strict=True) for o in group],
        "kpmi_pages": kpmi_pages,
        "award_pages": award_pages,
        "double_tap": config.double_tap,
        "wait": config.wait,
    }


def get(url: str) -> int:
    # Only the harness's own http://127.0.0.1 server is ever asked; refuse anything else (file:, ftp:).
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"the load harness only asks its own loopback server, not {url!r}")
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310  # nosec B310
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def wait_until_serving(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log}")
        try:
            if get(f"{base}/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz in 60 s; see {log}")


@contextmanager
def connection_sampler(config: Config) -> Iterator[dict[str, int]]:
    """The most connections the load database had at once, sampled twice a second."""
    import psycopg

    seen = {"max": 0}
    stop = threading.Event()

    def sample() -> None:
        with psycopg.connect(config.maintenance_url(), autocommit=True) as conn:
            while not stop.is_set():
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [config.database_name]
                ).fetchone()
                seen["max"] = max(seen["max"], row[0] if row else 0)
                stop.wait(0.5)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(timeout=10)


def run_locust(
    processes: Processes,
    config: Config,
    base: str,
    plan: Path,
    result: Path,
    seconds: int,
    classes: list[str],
    log: Path,
) -> dict[str, Any]:
    env = {**os.environ, "LOAD_PLAN": str(plan), "LOAD_RESULT": str(result), "PYTHONPATH": str(BASE_DIR)}
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "--users", str(config.users), "--spawn-rate", str(config.users), "--run-time", f"{seconds}s",
        "--host", base, "--loglevel", "WARNING", *classes,
        # At the end each user finishes the task in hand (a submit and its double tap, say) instead of
        # being cut off half-way: every post's outcome is known, and a short run still completes writes.
        "--stop-timeout", "30",
    ]  # fmt: skip
    locust = processes.start("locust", command, env, log)
    try:
        locust.wait(timeout=seconds + 150)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"locust did not stop after {seconds} s; see {log}") from None
    if not result.exists():
        raise RuntimeError(f"locust wrote no results (exit {locust.returncode}); see {log}")
    return json.loads(result.read_text())


def check_writes(acks: list[dict[str, Any]]) -> dict[str, int]:
    """Every acknowledged submit must be stored exactly once: found by its marker (and the record the
    302 pointed at must be that one)."""
    from programs.models import Activity

    markers = [a["marker"] for a in acks]
    rows: dict[str, list[int]] = {}
    for chunk in range(0, len(markers), 1000):
        for title, pk in Activity.objects.filter(title__in=markers[chunk : chunk + 1000]).values_list("title", "pk"):
            rows.setdefault(title, []).append(pk)
    lost = sum(1 for a in acks if not rows.get(a["marker"]) or not set(a["pks"]) <= set(rows[a["marker"]]))
    duplicated = sum(1 for a in acks if len(rows.get(a["marker"], [])) > 1)
    return {
        "acknowledged": len(acks),
        "double_taps": sum(1 for a in acks if a["double_tap"]),
        "lost": lost,
        "duplicated": duplicated,
    }


def report(
    config: Config, run: str, mix: dict[str, Any], ceiling: dict[str, Any], writes: dict[str, int], db_max: int
) -> dict[str, Any]:  # noqa: E501
    print(f"\nSI KPMI load test {run}: {config.users} users, {config.seconds} s (ceiling {config.ceiling_seconds} s), "
          f"{config.web_workers} gunicorn workers, {os.cpu_count()} cores")  # fmt: skip
    print(f"{'kind of request':<28}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}")

    def line(name: str, f: dict[str, Any]) -> None:
        print(f"{name:<28}{f['requests']:>10}{f['failures']:>8}{f['rps']:>9.1f}{f['p50_ms']:>8}{f['p95_ms']:>8}")

    for name in sorted(mix["kinds"]):
        line(name, mix["kinds"][name])
    line("logging mix, all", mix["total"])
    line("ceiling: /healthz", ceiling["total"])
    for failure in mix["failures"] + ceiling["failures"]:
        print(f"  error: {failure}")
    print(
        f"writes acknowledged {writes['acknowledged']} (double taps {writes['double_taps']}, idempotency key in the "
        f"form: {'yes' if mix['idempotency_key_in_form'] else 'no'}); lost {writes['lost']}, "
        f"duplicated {writes['duplicated']}; database connections at most {db_max}"
    )
    ceiling_rps = ceiling["total"]["rps"]
    return {
        "rps": mix["total"]["rps"],
        "p95_ms": mix["total"]["p95_ms"],
        "errors": mix["total"]["failures"] + ceiling["total"]["failures"],
        "lost_writes": writes["lost"],
        "duplicate_writes": writes["duplicated"],
        "logging_vs_ceiling": round(mix["total"]["rps"] / ceiling_rps, 3) if ceiling_rps else None,
        "db_connections_max": db_max,
        "ceiling_rps": ceiling_rps,
        "acknowledged_writes": writes["acknowledged"],
        "double_taps": writes["double_taps"],
        "idempotency_key_in_form": mix["idempotency_key_in_form"],
        "users": config.users,
        "seconds": config.seconds,
    }


def _terminate(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through the `finally` that stops every child


def main() -> int:
    config = Config.from_env()
    signal.signal(signal.SIGTERM, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix="kpmi-load-"))
    log = workdir / "setup.log"
    env = child_env(config)
    processes = Processes()
    run = f"{MARK}{time.strftime('%Y%m%d%H%M%S')}"
    try:
        print(f"load: preparing {config.database_name} (logs in {workdir})", flush=True)
        prepare_database(config, env, log)
        setup_django(env)
        seed_once(env, log)
        forget_earlier_runs()
        plan_file = workdir / "plan.json"
        plan_file.write_text(json.dumps(build_plan(config, run, workdir / "mix.json")))
        from django.db import connections

        connections.close_all()  # the harness's own connection must not count in pg_stat_activity

        worker_command = [sys.executable, "-m", "celery", "-A", "kpmi_si", "worker", "--loglevel", "WARNING",
                          "--concurrency", "1"]  # fmt: skip
        worker = processes.start("worker", worker_command, env, workdir / "worker.log")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        web_command = [sys.executable, "-m", "gunicorn", "kpmi_si.wsgi:application", "--bind", f"127.0.0.1:{port}",
                       "--workers", str(config.web_workers), "--timeout", "60"]  # fmt: skip
        web = processes.start("gunicorn", web_command, env, workdir / "gunicorn.log")
        wait_until_serving(base, web, workdir / "gunicorn.log")
        plan = json.loads(plan_file.read_text())
        for path in ["/kpmi/", *plan["kpmi_pages"][:3], *plan["award_pages"]]:  # warm every worker's imports
            for _ in range(config.web_workers):
                get(base + path)

        print(f"load: logging mix, {config.users} users for {config.seconds} s", flush=True)
        with connection_sampler(config) as connections_seen:
            mix = run_locust(processes, config, base, plan_file, workdir / "mix.json", config.seconds,
                             ["ManagerUser", "OfficerUser", "PublicUser"], workdir / "locust-mix.log")  # fmt: skip
            print(f"load: ceiling, {config.users} users for {config.ceiling_seconds} s", flush=True)
            ceiling = run_locust(processes, config, base, plan_file, workdir / "ceiling.json",
                                 config.ceiling_seconds, ["CeilingUser"], workdir / "locust-ceiling.log")  # fmt: skip
        if worker.poll() is not None:
            raise RuntimeError(f"the Celery worker died during the run; see {workdir / 'worker.log'}")
    except BaseException:
        print(f"load: failed; logs in {workdir}", file=sys.stderr, flush=True)
        raise
    finally:
        processes.stop_all()
    writes = check_writes(mix["acks"])
    summary = report(config, run, mix, ceiling, writes, connections_seen["max"])
    print(json.dumps(summary), flush=True)
    return 0
