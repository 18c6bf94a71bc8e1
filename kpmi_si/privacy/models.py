from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewFlag(models.Model):
    """A piece of free text that may name a member whose identity was removed: an activity's title, a
    note, a citation, an audit entry's text. Anonymising never edits such text silently (a sentence
    rewritten by a program can say something nobody meant); it flags it, and the KOMTIK admin reads
    it, then edits it or keeps it (services.review_flag_resolve).

    A flag stores where the text is, never the text nor the name it matched: it must not become a
    second copy of what was removed.
    """

    class Outcome(models.TextChoices):
        EDITED = "edited", _("Text edited")
        KEPT = "kept", _("Kept as it is")

    member = models.ForeignKey(
        "members.Member", verbose_name=_("anonymised member"), on_delete=models.CASCADE, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(_("record id"), max_length=64)
    field = models.CharField(_("field"), max_length=64)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome, blank=True)

    class Meta:
        verbose_name = _("text to review")
        verbose_name_plural = _("texts to review")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "content_type", "object_id", "field"], name="reviewflag_once_per_text"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, outcome="") | Q(reviewed_at__isnull=False) & ~Q(outcome=""),
                name="reviewflag_reviewed_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["reviewed_at"], name="reviewflag_open")]

    def __str__(self) -> str:
        # No text of the record: the audit trail names flags by this.
        return f"{self.content_type.app_label}.{self.content_type.model} #{self.object_id} · {self.field}"

    @property
    def is_open(self) -> bool:
        return self.reviewed_at is None

    @property
    def model(self) -> type[models.Model] | None:
        return self.content_type.model_class()

    def target(self) -> models.Model | None:
        """The flagged record, or None when it was deleted since."""
        model = self.model
        return None if model is None else model._default_manager.filter(pk=self.object_id).first()
