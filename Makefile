# The two commands a newcomer needs: `make run` and `make test`. Everything else is a detail.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint audit bench load messages setup clean

# A development .env, so that `.venv/bin/python manage.py ...` works by hand too. Never in production.
.env:
	printf '# Development settings written by make; production uses real environment variables.\nDEBUG=true\n' > .env

$(STAMP): requirements.txt requirements-dev.txt | .env
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

# Serves the demo site on SQLite with tasks run in-process: no database server, no broker needed.
run: export DEBUG := true
run: export DATABASE_URL :=
run: export REDIS_URL :=
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite. Uses SQLite unless DATABASE_URL is set (CI sets a PostgreSQL one).
test: export DEBUG ?= true
test: setup
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Dependencies and code: pip-audit over the pinned requirements (skipped, saying so, where the
# vulnerability database cannot be reached; fails on a known vulnerability) and bandit over the project's
# code (fails on any finding above low severity; tests, migrations and .venv excluded in pyproject.toml).
audit: setup
	$(PY) -m kpmi_si.dependency_audit
	$(VENV)/bin/bandit -c pyproject.toml -r . --quiet --severity-level medium

# Benchmark on PostgreSQL at Garut and Province scale (see README). BENCH_SCALES=garut for a quick run.
BENCH_SCALES ?= garut,province
bench: setup
	$(PY) -m kpmi_si.bench --scales $(BENCH_SCALES)

# Load test (see README): gunicorn + Celery worker against PostgreSQL and Redis, driven by locust.
# LOAD_USERS=5 LOAD_SECONDS=5 make load for a quick run.
load: setup
	$(PY) -m kpmi_si.loadtest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Regenerates the translation catalogues (needs GNU gettext); the compiled .mo files are committed
# so that `make run` works on machines without gettext.
messages: export DEBUG ?= true
messages: setup
	$(PY) manage.py makemessages -l id --no-location --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages -l id --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
