"""How the benchmark times things, robustly on a shared machine: every figure is the median of at least
MIN_RUNS timed runs after a warm-up run, and every ratio is the median of per-run ratios of two sides
timed alternately (so that a burst of load weighs on both sides of a run), printed with its spread."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

MIN_RUNS = 5
# A goal holds when the median meets it and the worst run stays within this factor of it.
WORST_RUN_SLACK = 1.2


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def runs(run: Callable[[], object], repeat: int) -> list[float]:
    """Seconds of `repeat` (at least MIN_RUNS) runs after one warm-up run."""
    run()  # warm caches (PostgreSQL's and Django's) once; then measure
    return [seconds(run) for _ in range(max(repeat, MIN_RUNS))]


def median_ms(run: Callable[[], object], repeat: int) -> float:
    return statistics.median(runs(run, repeat)) * 1000


def paired(sides: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Seconds of each side's runs, the sides run one after the other in every round, after one
    warm-up round."""
    for run in sides.values():
        run()
    out: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(max(repeat, MIN_RUNS)):
        for name, run in sides.items():
            out[name].append(seconds(run))
    return out


def ratios(top: list[float], bottom: list[float]) -> list[float]:
    return [a / b for a, b in zip(top, bottom, strict=True)]


def spread(values: list[float], digits: int = 3) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def goal(values: list[float], bound: float) -> dict[str, object]:
    """A ratio's goal: met when the median is within the bound and the worst run within 1.2 times it."""
    median, worst = statistics.median(values), max(values)
    return {
        "goal": bound,
        "median": round(median, 3),
        "worst": round(worst, 3),
        "met": median <= bound and worst <= bound * WORST_RUN_SLACK,
    }
