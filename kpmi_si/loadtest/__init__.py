"""`make load`: the app under gunicorn, PostgreSQL, Redis and a real Celery worker, driven by a bounded,
headless locust scenario; then a check that every acknowledged write is stored exactly once. See
`harness.py` for the run and `locustfile.py` for what the simulated users do."""
