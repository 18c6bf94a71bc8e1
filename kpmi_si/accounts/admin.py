"""Lifting a login lock is deleting its attempt row in axes' admin; here that deletion goes through
the service, so that who lifted which lock is in the audit trail."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    def delete_model(self, request: HttpRequest, obj: AccessAttempt) -> None:
        services.login_lock_lift(actor=request.user, attempts=AccessAttempt.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        services.login_lock_lift(actor=request.user, attempts=queryset)
