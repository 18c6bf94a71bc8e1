"""Awards an association gives a manager."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Member


class AssociationAward(models.Model):
    """An award an association gives a manager (e.g. the Platform association for ICT deployments).
    Not the KOMTIK annual awards (awards app): any association, any time, by its officer."""

    association = models.ForeignKey(
        "associations.Association", verbose_name=_("association"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("manager"), on_delete=models.CASCADE, related_name="association_awards"
    )
    name = models.CharField(_("award"), max_length=150)
    reason = models.TextField(_("reason"), max_length=1000)
    awarded_on = models.DateField(_("date"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("association award")
        verbose_name_plural = _("association awards")
        ordering = ["-awarded_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "member", "name", "awarded_on"], name="association_award_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.member}"
