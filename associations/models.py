from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Association(models.Model):
    """One of the four oversight bodies inside KOMTIK Garut (seeded by migration)."""

    class Code(models.TextChoices):
        COMMUNITIES = "communities", _("Association of Information-Society Mobilizer Communities")
        USERS = "users", _("ICT Users Association")
        PLATFORM = "platform", _("ICT Platform Developers Association")
        ENTREPRENEURS = "entrepreneurs", _("ICT Entrepreneurs Association")

    code = models.SlugField(_("code"), max_length=32, choices=Code, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("associations:home", args=[self.code])

    @property
    def name(self) -> str:
        # The name is the translated label of the code, so it follows the reader's language.
        return self.Code(self.code).label


class Officer(models.Model):
    """A user who works for exactly one association."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="officer"
    )
    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="officers"
    )
    title = models.CharField(_("title"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("association officer")
        verbose_name_plural = _("association officers")
        ordering = ["association", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.association})"
