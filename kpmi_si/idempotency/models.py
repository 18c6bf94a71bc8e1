from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """One create form sent: the key its page carried, who sent it, and what it created.

    The key is unique in the database: however many times (and however simultaneously) the same
    page is sent, one row is inserted and one record created; the other requests find this row
    and answer with that record. Rows are deleted after a while (`services.idempotency_keys_prune`).
    """

    key = models.UUIDField(_("key"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    # What kind of form the key was sent with (e.g. "programs.activity"): a key is good for one only.
    scope = models.CharField(_("form"), max_length=64)
    # Empty only inside the transaction that creates the record; filled before it commits.
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sent form")
        verbose_name_plural = _("sent forms")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
