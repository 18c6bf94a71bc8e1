from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    # The work managers log (publications, education, deployments, trainings) and, with issue 5, the
    # interventions built on it (ToT, collaboration programmes, competitions, volunteer projects).
    name = "programs"
    verbose_name = _("Programmes")
