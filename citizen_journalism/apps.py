from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenJournalismConfig(AppConfig):
    # Garut Citizen Journalism, the content marketplace: a later issue.
    name = "citizen_journalism"
    verbose_name = _("Garut Citizen Journalism")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Category
        from .selectors.public import forget_menu

        post_save.connect(forget_menu, sender=Category, dispatch_uid="citizen_journalism.forget_menu.save")
        post_delete.connect(forget_menu, sender=Category, dispatch_uid="citizen_journalism.forget_menu.delete")
