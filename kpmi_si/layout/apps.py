from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayoutConfig(AppConfig):
    """The site's shared look: the menu of each role, list tables that become cards on a phone, the
    one filter layout of every list."""

    name = "kpmi_si.layout"
    label = "layout"
    verbose_name = _("Layout")
