from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenJournalismConfig(AppConfig):
    # Garut Citizen Journalism, the content marketplace: a later issue.
    name = "citizen_journalism"
    verbose_name = _("Garut Citizen Journalism")
