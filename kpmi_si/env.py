"""Reading settings from the environment, failing early with a message a sysadmin can act on.

A typo in DEBUG or DATABASE_URL should stop the process at start, not surface later as a
confusing runtime error; every reader here raises ImproperlyConfigured naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def load_dotenv(path: os.PathLike | str) -> None:
    """Read KEY=VALUE lines from a development `.env` file (written by `make`) into the environment,
    never overriding a variable that is already set. Production sets real environment variables and
    has no such file (it is in .gitignore and .dockerignore)."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _sep, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def str(self, name: str, default: str = "") -> str:
        return self.environ.get(name, default).strip()

    def bool(self, name: str, default: bool) -> bool:
        raw = self.environ.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of: true, false, 1, 0, yes, no.")

    def int(self, name: str, default: int) -> int:
        raw = self.environ.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            return int(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None

    def list(self, name: str, default: list[str]) -> list[str]:
        raw = self.environ.get(name)
        if raw is None:
            return default
        return [item.strip() for item in raw.split(",") if item.strip()]

    def database(self, name: str, default: str) -> dict:
        url = self.str(name) or default
        try:
            # A connection kept between requests is checked before it is reused: after a database
            # restart (or a dropped connection) the next request reconnects instead of failing.
            config = dj_database_url.parse(url, conn_max_age=self.int("DB_CONN_MAX_AGE", 60), conn_health_checks=True)
        except Exception as exc:  # dj_database_url raises several types for bad URLs
            raise ImproperlyConfigured(f"{name} is not a usable database URL: {exc}") from None
        engine = config.get("ENGINE", "")
        if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
            raise ImproperlyConfigured(
                f"{name} must point to PostgreSQL (postgres://...) or SQLite (sqlite:///...), not {engine or url!r}."
            )
        if engine.endswith("sqlite3"):
            # SQLite holds no connections worth keeping; long-lived ones only lock the file.
            config["CONN_MAX_AGE"] = 0
            return config
        options = config.setdefault("OPTIONS", {})
        # Names this app's sessions in pg_stat_activity, to count and tell them apart from others'.
        options.setdefault("application_name", self.str("DB_APPLICATION_NAME", "kpmi_si"))
        # Lets kpmi_si.prepared prepare the statements it runs (Django's own cursors never prepare,
        # whatever this says). Off (None, Django's default) for a pooler that cannot keep prepared
        # statements: PgBouncer in transaction mode before 1.21.
        options.setdefault("prepare_threshold", 5 if self.bool("DB_PREPARED_STATEMENTS", default=True) else None)
        if self.bool("DB_POOL", default=True):
            options["pool"] = self._pool()
            # The pool keeps the connections: Django refuses persistent ones with it, and without it a
            # thread per request held a connection each until PostgreSQL ran out of them.
            config["CONN_MAX_AGE"] = 0
            # A connection PostgreSQL dropped (a restart) is checked and replaced, not handed out.
            config["CONN_HEALTH_CHECKS"] = True
        return config

    def _pool(self) -> dict[str, int]:
        """Each process's pool: at most DB_POOL_MAX_SIZE connections; a request that finds them all
        busy waits DB_POOL_TIMEOUT seconds, then gets the "busy, try again" page (HTTP 503)."""
        pool = {
            "min_size": self.int("DB_POOL_MIN_SIZE", 1),
            "max_size": self.int("DB_POOL_MAX_SIZE", 4),
            "timeout": self.int("DB_POOL_TIMEOUT", 10),
        }
        if not 0 <= pool["min_size"] <= pool["max_size"] or pool["max_size"] < 1:
            raise ImproperlyConfigured(
                f"DB_POOL_MIN_SIZE={pool['min_size']} and DB_POOL_MAX_SIZE={pool['max_size']}: "
                "need 0 <= DB_POOL_MIN_SIZE <= DB_POOL_MAX_SIZE and DB_POOL_MAX_SIZE >= 1."
            )
        if pool["max_size"] < 3:
            # An evaluation holds three connections of its process's pool at once (its write, its stage
            # and its month series, associations.services.evaluation): with fewer, its second and third
            # threads would wait for a connection its first holds, and the run would fail after the timeout.
            raise ImproperlyConfigured(
                f"DB_POOL_MAX_SIZE={pool['max_size']}: need at least 3 (an evaluation uses three connections at once)."
            )
        if pool["timeout"] < 1:
            raise ImproperlyConfigured(f"DB_POOL_TIMEOUT={pool['timeout']} must be at least 1 (seconds).")
        return pool

    def redis_url(self, name: str) -> str:
        url = self.str(name)
        if url and not url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured(f"{name}={url!r} must start with redis://, rediss:// or unix://.")
        return url
