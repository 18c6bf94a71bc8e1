"""The demo data builder: the one place that imports every app, so that no app imports those above it
(members, the ground floor, imports none). `manage.py seed_demo` runs it; `make run` calls that."""
