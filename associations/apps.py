from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Associations")

    def ready(self) -> None:
        from kpmi_si.changes import numbers_changed

        from .refresh import mark_on_change

        numbers_changed.connect(mark_on_change, dispatch_uid="associations.refresh.mark_on_change")
