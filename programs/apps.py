from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    # The work managers log (publications, education, deployments, trainings) and the interventions
    # built on it (ToT, collaboration programmes, competitions, volunteer projects, association awards).
    name = "programs"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from associations.signals import evaluation_succeeded

        evaluation_succeeded.connect(_propose_after_evaluation, dispatch_uid="programs.propose_after_evaluation")


def _propose_after_evaluation(sender: Any, evaluation: Any, **kwargs: Any) -> None:
    from kpmi_si.outbox.services import task_enqueue

    from .services.proposals import propose_interventions_task

    task_enqueue(propose_interventions_task, evaluation.pk)
