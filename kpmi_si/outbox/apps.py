from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "kpmi_si.outbox"
    label = "outbox"
    verbose_name = _("Background jobs waiting for the broker")
