"""Writes for periods, targets and their evaluation; one module per workflow, re-exported here.

- periods: a year with its quarters, or any span, opened and closed by the KOMTIK admin;
- targets: an association's default target of a metric in a period and its overrides for one KPMI or
  manager, each change marking the results it moves for the refresh job (associations.refresh);
- evaluation: the run that computes every result of a period in the database and writes only the
  changed ones (see that module), its task and the nightly selection of periods.
"""

from .evaluation import (
    COMPARED,
    RATIO_SQL,
    RESULTS,
    STAGE,
    STATUS_SQL,
    TARGETS,
    _elapsed,
    evaluate_period_task,
    evaluation_create,
    evaluation_request,
    metric_results_sql,
    period_evaluate,
    periods_due_for_evaluation,
)
from .periods import QUARTERS, period_close, period_open, period_open_year
from .targets import target_delete, target_set, targets_apply_defaults

__all__ = [
    "COMPARED",
    "QUARTERS",
    "RATIO_SQL",
    "RESULTS",
    "STAGE",
    "STATUS_SQL",
    "TARGETS",
    "_elapsed",
    "evaluate_period_task",
    "evaluation_create",
    "evaluation_request",
    "metric_results_sql",
    "period_close",
    "period_evaluate",
    "period_open",
    "period_open_year",
    "periods_due_for_evaluation",
    "target_delete",
    "target_set",
    "targets_apply_defaults",
]
