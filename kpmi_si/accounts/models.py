"""Account invitations: how a person without a password (a member, a new supervisor, a juror) gets one
without Django admin. The one who invites hands over a one-time code, in person or by e-mail; the
person redeems it and chooses their own password.

Only a hash of the code is stored (SHA-256 of a 60-bit random code: a fast hash is enough for a
random code tried at a limited rate, unlike a password), so a copy of the database opens no account."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


class AccountInvitation(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        USED = "used", _("Used")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="account_invitations",
    )
    # Where the invitation was sent, when it went by e-mail: personal data (kpmi_si.privacy registry).
    email = models.EmailField(_("email"), blank=True)
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("account invitation")
        verbose_name_plural = _("account invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="accountinvitation_used_or_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def state(self) -> str:
        if self.used_at:
            return self.State.USED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class Session(AbstractBaseSession):
    """Django's database session with its user's id in a column of its own, written from the session's
    data at every save (kpmi_si.accounts.sessions): a logged-in request then reads its session and its
    user with the user's roles in one statement. No foreign key: a session naming a user that is gone,
    or an id that is not one, is a visitor's, as Django's own sessions are."""

    user_id = models.BigIntegerField(_("user id"), null=True, editable=False)

    @classmethod
    def get_session_store_class(cls) -> type:
        from .sessions import SessionStore

        return SessionStore

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"
