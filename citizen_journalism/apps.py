from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenJournalismConfig(AppConfig):
    # Garut Citizen Journalism, the content marketplace: a later issue.
    name = "citizen_journalism"
    verbose_name = _("Garut Citizen Journalism")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from members.models import Kecamatan

        from .models import Category
        from .selectors.public import forget_lookups

        # The public pages keep the rubrics and the kecamatan names (selectors.public._lookups).
        for model in (Category, Kecamatan):
            for signal in (post_save, post_delete):
                uid = f"citizen_journalism.forget_lookups.{model.__name__}.{id(signal)}"
                signal.connect(forget_lookups, sender=model, dispatch_uid=uid)
