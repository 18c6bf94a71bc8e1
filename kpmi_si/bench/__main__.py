"""Run the benchmark: one fresh process per scale against its own PostgreSQL database (generated
once and kept; drop kpmi_bench_* to regenerate). Prints a table, then one JSON object as the last line."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit


def _database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _ensure_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_database_url(base, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


_SPREAD = "spread"


def _format(fmt: str, value: object) -> str:
    if fmt == _SPREAD and isinstance(value, dict):
        return f"{value['median']} ({value['min']}-{value['max']})"
    if value == "-":
        return "-"
    return fmt.format(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="garut,province")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    base = os.environ.get("BENCH_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not base.startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://user@host:5432/postgres")

    results = {}
    for scale in args.scales.split(","):
        # BENCH_DB_PREFIX keeps two checkouts benchmarking on one server apart.
        name = f"{os.environ.get('BENCH_DB_PREFIX', 'kpmi_bench_')}{scale}"
        _ensure_database(base, name)
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(base, name),
            "DEBUG": "false",
            "REDIS_URL": "",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-never-deployed-0123456789"),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
        }
        out = subprocess.run(
            [sys.executable, "-m", "kpmi_si.bench.scale", "--scale", scale, "--repeat", str(args.repeat)],
            env=env,
            check=True,
            stdout=subprocess.PIPE,  # progress goes to stderr, straight through
            text=True,
        )
        results[scale] = json.loads(out.stdout.strip().splitlines()[-1])

    rows = [
        ("activities", "activities", "{:,}"),
        ("stored results", "results", "{:,}"),
        ("dashboard ms (slowest of 3)", "dashboard_ms", "{}"),
        ("dashboard SQL queries", "dashboard_queries", "{}"),
        ("dashboard / raw-SQL floor", "dashboard_vs_sql_floor", "{}"),
        ("dashboard / same SQL on stored results", "dashboard_vs_stored_sql", "{}"),
        ("  spread (min-max)", "dashboard_vs_stored_sql_spread", _SPREAD),
        ("minimal Django page ms", "django_minimal_page_ms", "{}"),
        ("evaluation s (from empty)", "evaluate_s", "{}"),
        ("evaluation SQL floor s", "evaluate_sql_floor_s", "{}"),
        ("evaluation / floor", "evaluate_vs_sql_floor", "{}"),
        ("  spread (min-max)", "evaluate_vs_sql_floor_spread", _SPREAD),
        ("re-evaluation s (nothing new)", "evaluate_rerun_s", "{}"),
        ("re-evaluation / floor", "evaluate_rerun_vs_sql_floor", "{}"),
        ("  spread (min-max)", "evaluate_rerun_vs_sql_floor_spread", _SPREAD),
        ("results changed by re-evaluation", "evaluate_rerun_changed", "{}"),
        ("incremental refresh ms (1 approval)", "incremental_evaluate_ms", "{}"),
        ("  spread (min-max)", "incremental_evaluate_ms_spread", _SPREAD),
        ("incremental / evaluation", "incremental_vs_evaluate", "{}"),
        ("award shortlist s", "shortlist_s", "{}"),
        ("award shortlist SQL floor s", "shortlist_sql_floor_s", "{}"),
        ("award shortlist / floor", "shortlist_vs_sql_floor", "{}"),
        ("  spread (min-max)", "shortlist_vs_sql_floor_spread", _SPREAD),
        ("ledger postings", "postings", "{:,}"),
        ("service orders", "orders", "{:,}"),
        ("Entrepreneurs dashboard ms (slowest)", "entrepreneurs_dashboard_ms", "{}"),
        ("Entrepreneurs dashboard SQL queries", "entrepreneurs_dashboard_queries", "{}"),
        ("Entrepreneurs dashboard / floor (worst)", "entrepreneurs_dashboard_vs_sql_floor", "{}"),
        ("Entrepreneurs evaluation s", "entrepreneurs_evaluate_s", "{}"),
        ("Entrepreneurs evaluation floor s", "entrepreneurs_evaluate_sql_floor_s", "{}"),
        ("Entrepreneurs evaluation / floor", "entrepreneurs_evaluate_vs_sql_floor", "{}"),
        ("published articles", "articles_published", "{:,}"),
        ("news front page ms", "front_ms", "{}"),
        ("news front page SQL queries", "front_queries", "{}"),
        ("news front page / raw-SQL floor", "front_vs_sql_floor", "{}"),
        ("news category page ms", "category_ms", "{}"),
        ("news category page SQL queries", "category_queries", "{}"),
        ("news category page / raw-SQL floor", "category_vs_sql_floor", "{}"),
        ("news search ms", "search_ms", "{}"),
        ("news search SQL queries", "search_queries", "{}"),
        ("news search / raw-SQL floor", "search_vs_sql_floor", "{}"),
        ("news pages / floor (worst)", "content_pages_vs_sql_floor", "{}"),
    ]
    scales = list(results)
    print(f"{'':42}" + "".join(f"{s:>14}" for s in scales))
    for label, key, fmt in rows:
        print(f"{label:42}" + "".join(f"{_format(fmt, results[s].get(key, '-')):>14}" for s in scales))
    for scale in scales:
        for code, d in results[scale]["dashboards"].items():
            print(
                f"  {scale:9} {code:12} {d['ms']:8.1f} ms  {d['queries']:3} queries  floor {d['floor_ms']:8.1f} ms  stored-SQL {d['stored_ms']:6.2f} ms  page/stored {d['vs_stored']:5.2f}"
            )
        for name, g in results[scale].get("goals", {}).items():
            print(f"  {scale:9} goal {name:38} {'met' if g['met'] else 'NOT met':8} {g}")
        for code, d in results[scale]["entrepreneurs_dashboards"].items():
            print(
                f"  {scale:9} {code:20} {d['ms']:8.1f} ms  {d['queries']:3} queries  floor {d['floor_ms']:8.1f} ms  stored-SQL {d['stored_ms']:6.2f} ms  page/stored {d.get('vs_stored', 0):5.2f}"
            )
    # Issue #13: the news pages make the same number of queries at every scale.
    for page in ("front", "category", "search"):
        counts = {s: results[s].get(f"{page}_queries") for s in scales}
        same = len(set(counts.values())) == 1
        print(f"  news {page} queries per scale {counts}: {'same' if same else 'NOT the same'}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
