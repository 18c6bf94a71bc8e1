from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    # Interventions (ToT, collaboration programmes, competitions, volunteer projects): issue 5.
    name = "programs"
    verbose_name = _("Programmes")
