"""Lifting a login lock is deleting its attempt row in axes' admin; here that deletion goes through
the service, so that who lifted which lock is in the audit trail."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import AccountInvitation

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    def delete_model(self, request: HttpRequest, obj: AccessAttempt) -> None:
        services.login_lock_lift(actor=request.user, attempts=AccessAttempt.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        services.login_lock_lift(actor=request.user, attempts=queryset)


@admin.register(AccountInvitation)
class AccountInvitationAdmin(admin.ModelAdmin):
    """Shown, never edited here: invitations are made, withdrawn and used through the services (each
    audited), and the code itself is never stored — only its hash, which is not shown either."""

    list_display = ("user", "created_at", "expires_at", "used_at", "revoked_at", "created_by")
    list_filter = ("created_at",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "created_by")
    exclude = ("code_hash",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccountInvitation | None = None) -> bool:
        return False
