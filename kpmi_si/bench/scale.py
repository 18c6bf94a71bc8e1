"""Measure one scale in this process (DATABASE_URL points at that scale's database). Prints one JSON
object as its last line; kpmi_si.bench runs one such process per scale."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import django

from .timing import goal, median_ms, paired, ratios, seconds, spread

__all__ = ["median_ms"]  # kept importable from here for the bench's other parts


def ensure_supervisors() -> None:
    """The generated data has no supervisors (pembina): give every living KPMI one, and every tenth
    supervisor a second group, as a teacher mentoring two schools' KPMI does. Once per database."""
    from members.models import Kpmi, KpmiRole, User

    if KpmiRole.objects.filter(role=KpmiRole.Role.SUPERVISOR).exists():
        return
    kpmi_ids = list(Kpmi.objects.exclude(status=Kpmi.Status.DISSOLVED).order_by("pk").values_list("pk", flat=True))
    users = User.objects.bulk_create([User(username=f"bench-pembina-{pk}") for pk in kpmi_ids])
    roles = [
        KpmiRole(kpmi_id=pk, user=user, role=KpmiRole.Role.SUPERVISOR) for pk, user in zip(kpmi_ids, users, strict=True)
    ]
    roles += [
        KpmiRole(kpmi_id=kpmi_ids[i + 1], user=users[i], role=KpmiRole.Role.SUPERVISOR)
        for i in range(0, len(kpmi_ids) - 1, 10)
    ]
    KpmiRole.objects.bulk_create(roles)


def award_shortlist(admin, year: int, repeat: int) -> dict:
    """The shortlist of a fresh round for `year` with the default categories, built from empty,
    against the floor: the hand-written SQL that yields the same finalists (floors.shortlist)."""
    from django.db import connection

    from awards import services
    from awards.models import AwardRound, Finalist, ShortlistBuild

    from . import floors

    ensure_supervisors()
    # Fresh statistics for the added supervisors, as autovacuum's analyze gives a live database.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_kpmirole, members_user")
    state = {}

    def build() -> None:
        AwardRound.objects.filter(year=year).delete()  # the bench's own round of a previous run
        award_round = services.award_round_open(actor=admin, year=year)
        start = time.perf_counter()
        created, _ = services.shortlist_create(actor=admin, round=award_round)
        done = services.shortlist_build(build_id=created.pk)
        state["seconds"] = time.perf_counter() - start
        assert done.status == ShortlistBuild.Status.SUCCEEDED, done.error
        state["round"] = award_round

    def floor() -> None:
        floors.shortlist(state["round"])

    build()
    floor()  # warm-up round
    built, floored = [], []
    for _ in range(max(repeat, 5)):
        build()  # the round is opened outside the timed part
        built.append(state["seconds"])
        floored.append(seconds(floor))
    floors.check_shortlist(state["round"])
    return {
        "seconds": built,
        "floor": floored,
        "finalists": Finalist.objects.filter(category__round=state["round"]).count(),
    }


def incremental_evaluation(admin, period, repeat: int) -> list[float]:
    """Seconds of the refresh after one approved activity (associations.refresh): a pending
    publication of a manager in the period approved through the service, then the refresh of what it
    marked. The approvals stay: the evaluation's check afterwards compares every stored number with
    the floor, so the refreshed results are checked against the data at scale."""
    from unittest import mock

    from associations import refresh
    from associations.models import StaleResult
    from members.models import Level
    from programs import services as work_services
    from programs.models import Activity

    StaleResult.objects.filter(period=period).delete()  # nothing left over from an earlier run
    pending = list(
        Activity.objects.filter(
            status="pending",
            kind="publication",
            date__gte=period.start,
            date__lte=period.end,
            credits__member__level=Level.MANAGER,
        )
        .order_by("pk")
        .distinct()[: max(repeat, 5) + 1]
    )
    times = []
    for i, activity in enumerate(pending):
        # The refresh is timed on its own: without a broker it would run inside the approval's commit.
        with mock.patch.object(refresh.refresh_stale_results_task, "apply_async"):
            work_services.activity_approve(actor=admin, activity=activity)
        start = time.perf_counter()
        refresh.stale_results_refresh()
        if i:  # the first is the warm-up
            times.append(time.perf_counter() - start)
    assert not StaleResult.objects.filter(period=period).exists()
    return times


def entrepreneurs_evaluation(admin, year, repeat: int, log) -> dict:
    """The Entrepreneurs association's metrics evaluated alone: a part of the bench year covering the
    whole of it, with only that association's default targets, from empty, against the floor of
    exactly those metrics."""
    from django.db import connection

    from associations import services
    from associations.models import Association, Evaluation, MonthlyActual, Period, TargetResult

    from . import floors

    association = Association.objects.get(code=Association.Code.ENTREPRENEURS)
    period = Period.objects.filter(parent=year, name=f"{year.name} entrepreneurs").first() or services.period_open(
        actor=admin, name=f"{year.name} entrepreneurs", start=year.start, end=year.end, parent=year
    )
    services.targets_apply_defaults(actor=admin, period=period, association=association)

    def from_empty() -> None:
        TargetResult.objects.filter(period=period).delete()
        MonthlyActual.objects.filter(period=period).delete()
        Evaluation.objects.filter(period=period).delete()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM associations_targetresult, associations_monthlyactual")

    floors.evaluation(period)
    times = []
    for attempt in range(1 + max(3, repeat // 2)):
        from_empty()
        start = time.perf_counter()
        evaluation, _ = services.evaluation_create(actor=None, period=period)
        done = services.period_evaluate(evaluation_id=evaluation.pk)
        seconds = time.perf_counter() - start
        assert done.status == Evaluation.Status.SUCCEEDED, done.error
        if attempt:
            times.append(seconds)
    floor_s = median_ms(lambda: floors.evaluation(period), max(3, repeat // 2)) / 1000
    floors.check_evaluation(period)
    evaluate_s = statistics.median(times)
    log(f"entrepreneurs evaluation {evaluate_s:.3f} s, floor {floor_s:.3f} s")
    return {"evaluate_s": evaluate_s, "floor_s": floor_s, "dashboards": {}}


def entrepreneurs_summary(entrepreneurs: dict) -> dict:
    boards = entrepreneurs["dashboards"]
    worst = max(boards.values(), key=lambda d: d["ms"] / d["floor_ms"])
    return {
        "entrepreneurs_dashboard_ms": round(max(d["ms"] for d in boards.values()), 1),
        "entrepreneurs_dashboard_queries": max(d["queries"] for d in boards.values()),
        "entrepreneurs_dashboard_vs_sql_floor": round(worst["ms"] / worst["floor_ms"], 3),
        "entrepreneurs_dashboards": {k: {kk: round(vv, 2) for kk, vv in v.items()} for k, v in boards.items()},
        "entrepreneurs_evaluate_s": round(entrepreneurs["evaluate_s"], 3),
        "entrepreneurs_evaluate_sql_floor_s": round(entrepreneurs["floor_s"], 3),
        "entrepreneurs_evaluate_vs_sql_floor": round(entrepreneurs["evaluate_s"] / entrepreneurs["floor_s"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpmi_si.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from associations import services
    from associations.metrics import metrics_of
    from associations.models import Association, Evaluation, MonthlyActual, Officer, Period, TargetResult
    from kpmi_si import heap
    from members.models import Member, User

    from . import floors
    from .generate import SCALES, ensure_groups, generate, generate_money

    scale = SCALES[args.scale]
    call_command("migrate", verbosity=0)
    # Production settings (DEBUG off): pages link the hashed static files, as deployed.
    call_command("collectstatic", interactive=False, verbosity=0)
    log = lambda text: print(f"[{scale.name}] {text}", file=sys.stderr, flush=True)  # noqa: E731
    if not Member.objects.exists():
        log(f"generating {scale.members:,} members and {scale.activities:,} activities ...")
        start = time.perf_counter()
        generate(scale)
        log(f"generated in {time.perf_counter() - start:.0f} s")
    ensure_groups()  # databases generated before programs.ActivityKpmi existed get it now
    from entrepreneurship.models import Order, Posting

    if not Posting.objects.exists():
        log("generating the entrepreneurship part (orders, businesses, settlements, ledger) ...")
        start = time.perf_counter()
        generate_money(scale)
        log(f"generated in {time.perf_counter() - start:.0f} s")
    from . import content

    content.ensure_content(scale.name, log)  # Garut Citizen Journalism's articles (#13), once

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    officers = {}
    for association in Association.objects.all():
        user, _ = User.objects.get_or_create(username=f"bench-{association.code}")
        Officer.objects.get_or_create(user=user, defaults={"association": association})
        officers[association.code] = user
    period = Period.objects.filter(name=str(scale.last_year)).first() or services.period_open_year(
        actor=admin, year=scale.last_year
    )
    for association in Association.objects.all():
        services.targets_apply_defaults(actor=admin, period=period, association=association)

    # The evaluation from scratch (no stored results), then again with nothing new.
    def evaluate() -> Evaluation:
        evaluation, _ = services.evaluation_create(actor=None, period=period)
        return services.period_evaluate(evaluation_id=evaluation.pk)

    def from_empty() -> None:
        """A period nobody evaluated yet: no results and, as autovacuum leaves a live table, no dead
        rows of earlier runs under the same keys."""
        TargetResult.objects.filter(period=period).delete()
        MonthlyActual.objects.filter(period=period).delete()
        Evaluation.objects.filter(period=period).delete()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM associations_targetresult, associations_monthlyactual")

    # A live database's autovacuum keeps the visibility map of the work tables current, so counting
    # reads their indexes alone (index-only scans); a freshly generated or copied database has none
    # until vacuumed (and a server may run with autovacuum off). Cheap once done.
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE programs_activity, programs_activitycredit, programs_activitykpmi, "
            "members_member, members_levelchange, members_kpmi"
        )
    # Earlier runs of the bench wiped and rewrote this period's results many times; a live table holds
    # each period's rows once. Rebuild the indexes so that their leftover bloat (seen: 114 MB of index
    # for a 10 MB table) weighs neither on these runs nor on the dashboards below.
    from_empty()
    with connection.cursor() as cursor:
        cursor.execute("REINDEX TABLE associations_targetresult")
    # Every ratio is the median of per-run ratios after one warm-up round (a process's first run also
    # pays one-off costs: imports and caches, the session's first temporary table); in each round the
    # evaluation from empty, the re-evaluation with nothing new and the floor run one after the other.
    evaluate_times, rerun_times, floor_times = [], [], []
    for attempt in range(1 + max(5, args.repeat)):
        from_empty()
        start = time.perf_counter()
        first = evaluate()
        first_s = time.perf_counter() - start
        assert first.status == Evaluation.Status.SUCCEEDED, first.error
        start = time.perf_counter()
        rerun = evaluate()
        rerun_s = time.perf_counter() - start
        floor_s = seconds(lambda: floors.evaluation(period))
        if attempt:
            evaluate_times.append(first_s)
            rerun_times.append(rerun_s)
            floor_times.append(floor_s)
    evaluate_s = statistics.median(evaluate_times)
    evaluate_rerun_s = statistics.median(rerun_times)
    evaluate_floor_s = statistics.median(floor_times)
    log(f"evaluation {evaluate_s:.3f} s, again {evaluate_rerun_s:.3f} s, floor {evaluate_floor_s:.3f} s")
    # One approved activity at a time, refreshed incrementally (associations.refresh).
    incremental = incremental_evaluation(admin, period, args.repeat)
    log(f"incremental refresh of one approved activity {statistics.median(incremental) * 1000:.1f} ms")
    # Vacuumed (visibility map) and fresh statistics for the new rows, as autovacuum gives a live
    # database within a minute of a bulk insert; the dashboards below read these rows.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE associations_targetresult, associations_monthlyactual")
    n_results = TargetResult.objects.filter(period=period).count()
    floors.check_evaluation(period)  # the floor returns the very numbers that were stored

    entrepreneurs = entrepreneurs_evaluation(admin, period, args.repeat, log)

    # The pages below are timed in this process, which generated and evaluated millions of rows: a web
    # worker has only loaded the site, and settles its heap once it has (kpmi_si.wsgi, kpmi_si.heap).
    # Without this, a full collection of this process's leftovers (~85 ms) landed on one page of seven.
    heap.settle()
    client = Client()
    dashboards, dashboard_runs = {}, {}
    for code in ("communities", "users", "platform"):
        client.force_login(officers[code])
        url = reverse("associations:home", args=[code]) + f"?period={period.pk}"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *rest, seen=queries: seen.append(sql) or execute(sql, *rest)
        ):
            client.get(url)
        metric = metrics_of(code)[0]  # the metric a dashboard opens on
        timed = paired(
            {
                "page": lambda url=url: client.get(url),
                "stored": lambda metric=metric: floors.dashboard_stored(period, metric),
                "floor": lambda metric=metric: floors.dashboard(period, metric),
            },
            args.repeat,
        )
        dashboard_runs[code] = {
            "vs_stored": ratios(timed["page"], timed["stored"]),
            "vs_floor": ratios(timed["page"], timed["floor"]),
        }
        dashboards[code] = {
            "ms": statistics.median(timed["page"]) * 1000,
            "queries": len(queries),
            "floor_ms": statistics.median(timed["floor"]) * 1000,
            "stored_ms": statistics.median(timed["stored"]) * 1000,
            "vs_stored": statistics.median(dashboard_runs[code]["vs_stored"]),
            "vs_floor": statistics.median(dashboard_runs[code]["vs_floor"]),
        }
        log(
            f"dashboard {code}: {dashboards[code]['ms']:.1f} ms, stored SQL {dashboards[code]['stored_ms']:.2f} ms, "
            f"ratio {spread(dashboard_runs[code]['vs_stored'], 2)}"
        )
    # The Entrepreneurs dashboard on each of its metrics (its money metrics' floors scan the ledger).
    client.force_login(officers["entrepreneurs"])
    for metric in metrics_of("entrepreneurs"):
        url = reverse("associations:home", args=["entrepreneurs"]) + f"?period={period.pk}&metric={metric.code}"
        assert client.get(url).status_code == 200
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *rest, seen=queries: seen.append(sql) or execute(sql, *rest)
        ):
            client.get(url)
        # Paired like the other dashboards (#16's goal covers each association's dashboard).
        timed = paired(
            {
                "page": lambda url=url: client.get(url),
                "stored": lambda metric=metric: floors.dashboard_stored(period, metric),
                "floor": lambda metric=metric: floors.dashboard(period, metric),
            },
            args.repeat,
        )
        dashboard_runs[f"entrepreneurs:{metric.code}"] = {"vs_stored": ratios(timed["page"], timed["stored"])}
        entrepreneurs["dashboards"][metric.code] = {
            "ms": statistics.median(timed["page"]) * 1000,
            "queries": len(queries),
            "floor_ms": statistics.median(timed["floor"]) * 1000,
            "stored_ms": statistics.median(timed["stored"]) * 1000,
            "vs_stored": statistics.median(dashboard_runs[f"entrepreneurs:{metric.code}"]["vs_stored"]),
        }
    minimal_ms = median_ms(lambda: client.get(reverse("healthz")), args.repeat)

    # The award shortlist of the bench year with every default category, built from empty.
    shortlist = award_shortlist(admin, scale.last_year, args.repeat)
    shortlist_ratios = ratios(shortlist["seconds"], shortlist["floor"])
    log(
        f"shortlist {statistics.median(shortlist['seconds']):.3f} s, floor {statistics.median(shortlist['floor']):.3f} s"
    )

    # The public news site's front page, busiest category and a search, as an anonymous reader.
    content_figures = content.measure(args.repeat, log)

    worst = max(dashboards.values(), key=lambda d: d["vs_floor"])
    # The worst of every association's dashboard, the Entrepreneurs one on each of its metrics included.
    worst_stored = max(dashboard_runs, key=lambda code: statistics.median(dashboard_runs[code]["vs_stored"]))
    all_queries = [d["queries"] for d in dashboards.values()] + [
        d["queries"] for d in entrepreneurs["dashboards"].values()
    ]
    evaluate_ratios = ratios(evaluate_times, floor_times)
    rerun_ratios = ratios(rerun_times, floor_times)
    incremental_ms = statistics.median(incremental) * 1000
    result = {
        "scale": scale.name,
        "kpmi": scale.kpmi,
        "members": scale.members,
        "activities": scale.activities,
        "results": n_results,
        "dashboard_ms": round(max(d["ms"] for d in dashboards.values()), 1),
        "dashboard_queries": max(d["queries"] for d in dashboards.values()),
        "dashboard_vs_sql_floor": round(worst["vs_floor"], 3),
        "dashboard_vs_stored_sql": round(statistics.median(dashboard_runs[worst_stored]["vs_stored"]), 2),
        "dashboard_vs_stored_sql_worst": worst_stored,
        "dashboard_vs_stored_sql_spread": spread(dashboard_runs[worst_stored]["vs_stored"], 2),
        "dashboards": {k: {kk: round(vv, 2) for kk, vv in v.items()} for k, v in dashboards.items()},
        "django_minimal_page_ms": round(minimal_ms, 2),
        "evaluate_s": round(evaluate_s, 3),
        "evaluate_rerun_s": round(evaluate_rerun_s, 3),
        "evaluate_rerun_changed": rerun.results_changed,
        "evaluate_sql_floor_s": round(evaluate_floor_s, 3),
        "evaluate_vs_sql_floor": round(statistics.median(evaluate_ratios), 3),
        "evaluate_vs_sql_floor_spread": spread(evaluate_ratios),
        "evaluate_rerun_vs_sql_floor": round(statistics.median(rerun_ratios), 3),
        "evaluate_rerun_vs_sql_floor_spread": spread(rerun_ratios),
        "incremental_evaluate_ms": round(incremental_ms, 1),
        "incremental_evaluate_ms_spread": spread([t * 1000 for t in incremental], 1),
        "incremental_vs_evaluate": round(incremental_ms / 1000 / evaluate_s, 4),
        "shortlist_s": round(statistics.median(shortlist["seconds"]), 3),
        "shortlist_sql_floor_s": round(statistics.median(shortlist["floor"]), 3),
        "shortlist_vs_sql_floor": round(statistics.median(shortlist_ratios), 3),
        "shortlist_vs_sql_floor_spread": spread(shortlist_ratios),
        "shortlist_finalists": shortlist["finalists"],
        # Issue #16's goals: the median within the bound, the worst run within 1.2 times it.
        "goals": {
            **{
                f"dashboard_vs_stored_sql:{code}": goal(runs_["vs_stored"], 3) for code, runs_ in dashboard_runs.items()
            },
            "evaluate_vs_sql_floor": goal(evaluate_ratios, 1.5),
            "evaluate_rerun_vs_sql_floor": goal(rerun_ratios, 1.5),
            "shortlist_vs_sql_floor": goal(shortlist_ratios, 2),
            # Issue #13's: each public news page within 2x its raw-SQL floor.
            **{f"content_vs_sql_floor:{name}": d["goal"] for name, d in content_figures["content_pages"].items()},
            "incremental_vs_evaluate": goal([t / evaluate_s for t in incremental], 0.01),
            "dashboard_queries": {"goal": 15, "worst": max(all_queries), "met": max(all_queries) <= 15},
        },
        "postings": Posting.objects.count(),
        "orders": Order.objects.count(),
        **entrepreneurs_summary(entrepreneurs),
        **content_figures,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
