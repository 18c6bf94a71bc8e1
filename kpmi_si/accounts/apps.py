from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Protection of the accounts: login throttling (django-axes) and password-reset limits."""

    name = "kpmi_si.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from . import receivers

        user_locked_out.connect(receivers.audit_lockout, dispatch_uid="kpmi_si.accounts.audit_lockout")
