from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_repr")
    list_filter = ("action", "target_type")
    search_fields = ("target_repr", "actor__username", "note")
    date_hierarchy = "at"
    list_select_related = ("actor",)

    # The trail is evidence: nobody edits or deletes it, not even the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
