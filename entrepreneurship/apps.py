from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntrepreneurshipConfig(AppConfig):
    name = "entrepreneurship"
    verbose_name = _("Entrepreneurship")
