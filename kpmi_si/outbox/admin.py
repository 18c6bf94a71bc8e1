from django.contrib import admin

from .models import PendingTask


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    # Read-only: rows come and go with the broker; an operator only needs to see what waits and why.
    list_display = ("name", "args", "created_at", "attempts", "last_error")
    readonly_fields = ("name", "args", "kwargs", "created_at", "attempts", "last_error")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
