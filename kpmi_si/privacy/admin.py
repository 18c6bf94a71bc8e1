from django.contrib import admin

from .models import ReviewFlag


@admin.register(ReviewFlag)
class ReviewFlagAdmin(admin.ModelAdmin):
    """Read-only: flags are written by member_anonymise and closed on the review page (audited)."""

    list_display = ("__str__", "member", "created_at", "reviewed_at", "outcome")
    list_filter = ("outcome", "content_type")
    search_fields = ("object_id", "field")
    list_select_related = ("content_type", "member")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
