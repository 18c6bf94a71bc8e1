"""No Docker engine runs on the development machines, so the production description is checked by
reading it: the services exist, run the right commands and share one database and broker."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_describes_the_production_stack():
    services = _compose()["services"]
    assert {"db", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "kpmi_si", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "kpmi_si", "beat"]
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")


def test_web_and_workers_share_the_same_database_and_broker():
    services = _compose()["services"]
    urls = {
        (services[name]["environment"]["DATABASE_URL"], services[name]["environment"]["REDIS_URL"])
        for name in ("web", "worker", "beat", "migrate")
    }
    assert len(urls) == 1
    database_url, redis_url = urls.pop()
    assert database_url.startswith("postgres://") and "@db:5432/" in database_url
    assert redis_url == "redis://redis:6379/0"


def test_app_services_wait_for_migrations_and_healthy_backends():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_dockerfile_builds_the_app_it_describes():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile
    assert "USER kpmi" in dockerfile


def test_connection_pools_fit_in_postgresql():
    """Every process has a pool of at most DB_POOL_MAX_SIZE connections: the README's scaled example
    (web=3, worker=2, one beat) must stay below the database's max_connections, with room for
    migrate and an administrator."""
    services = _compose()["services"]
    web = services["web"]["command"]
    gunicorn_workers = int(web[web.index("--workers") + 1])
    worker = services["worker"]["command"]
    concurrency = int(worker[worker.index("--concurrency") + 1])
    pool = services["web"]["environment"]["DB_POOL_MAX_SIZE"]
    max_size = int(pool.split(":-")[1].rstrip("}")) if pool.startswith("${") else int(pool)
    db = services["db"]["command"]
    max_connections = int(next(arg.split("=")[1] for arg in db if arg.startswith("max_connections=")))
    needed = (gunicorn_workers * 3 + concurrency * 2 + 1) * max_size
    assert needed + 5 <= max_connections, (needed, max_connections)


def test_backup_dumps_the_same_database_and_the_media_volume():
    compose = _compose()
    backup, app = compose["services"]["backup"], compose["services"]["web"]
    # Run on demand (`docker compose run --rm backup`), never by `docker compose up`.
    assert backup["profiles"] == ["backup"]
    assert backup["image"] == compose["services"]["db"]["image"]
    env = backup["environment"]
    assert f"{env['PGUSER']}:" in app["environment"]["DATABASE_URL"]
    assert f"@{env['PGHOST']}:5432/{env['PGDATABASE']}" in app["environment"]["DATABASE_URL"]
    script = backup["command"][-1]
    assert "pg_dump --format=custom" in script and "tar -C /media" in script
    assert "media:/media:ro" in backup["volumes"] and "media:/app/media" in app["volumes"]
