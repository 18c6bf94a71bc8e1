"""Configuration comes from the environment; a bad value stops the process with a clear message,
and production values pass Django's deployment checklist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kpmi_si.env import Env

ROOT = Path(settings.BASE_DIR)

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "production-secret-with-enough-entropy-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "si.komtik-garut.id",
    "DATABASE_URL": "postgres://kpmi:secret@db:5432/kpmi",
    "REDIS_URL": "redis://redis:6379/0",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a deployment never has it.
    drop = {
        "DEBUG",
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "ALLOWED_HOSTS",
        "SITE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    base = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_checklist_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL must point to PostgreSQL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://redis"}, "REDIS_URL='http://redis' must start with redis://"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT='smtp' is not a whole number"),
        ({"SITE_URL": "si.komtik-garut.id"}, "SITE_URL='si.komtik-garut.id' must start with http"),
    ],
)
def test_a_bad_value_fails_at_start_with_a_clear_message(override, message):
    result = _manage("check", env={**PRODUCTION, **override})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_links_in_mail_default_to_the_first_allowed_host_over_https():
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", env=PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "https://si.komtik-garut.id", result.stderr


def test_env_reader_defaults_and_lists():
    env = Env({"ALLOWED_HOSTS": "a.id, b.id,", "FLAG": "Yes"})
    assert env.list("ALLOWED_HOSTS", []) == ["a.id", "b.id"]
    assert env.bool("FLAG", default=False) is True
    assert env.bool("MISSING", default=True) is True
    assert env.database("DATABASE_URL", "sqlite:///x.db")["ENGINE"] == "django.db.backends.sqlite3"
    with pytest.raises(ImproperlyConfigured):
        Env({"N": "1.5"}).int("N", 0)


def test_without_redis_tasks_run_in_process():
    # The test process has no REDIS_URL unless CI sets one for the Celery tests.
    if settings.REDIS_URL:
        assert settings.CELERY_TASK_ALWAYS_EAGER is False
        assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    else:
        assert settings.CELERY_TASK_ALWAYS_EAGER is True


def test_dotenv_fills_only_what_the_environment_lacks(tmp_path, monkeypatch):
    from kpmi_si.env import load_dotenv

    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nKPMI_TEST_A=from-file\nKPMI_TEST_B='quoted'\nnot a pair\n")
    monkeypatch.setenv("KPMI_TEST_A", "from-environment")
    monkeypatch.delenv("KPMI_TEST_B", raising=False)
    load_dotenv(dotenv)
    assert os.environ["KPMI_TEST_A"] == "from-environment"
    assert os.environ["KPMI_TEST_B"] == "quoted"
    monkeypatch.delenv("KPMI_TEST_B")
    load_dotenv(tmp_path / "missing.env")  # no file: nothing happens
