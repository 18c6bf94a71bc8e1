from django.contrib import admin

from .models import IdempotencyKey


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "scope", "target_type", "target_id")
    list_filter = ("scope",)
    search_fields = ("user__username", "scope")
    list_select_related = ("user", "target_type")

    # A technical record of which form created what; only the periodic clean-up removes rows.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
