"""KOMTIK's admin: categories, and who is an editor (granted through the service, so it is audited).
Articles change only through the newsroom; the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from . import services
from .models import Article, Category, EditorRole


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position", "active")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(EditorRole)
class EditorRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "granted_at")
    filter_horizontal = ("kecamatan",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request: Any, obj: EditorRole | None = None) -> tuple[str, ...]:
        return ("user",) if obj is not None else ()

    def save_model(self, request: Any, obj: EditorRole, form: Any, change: bool) -> None:
        role = services.editor_role_set(
            actor=request.user, user=obj.user, kecamatan=form.cleaned_data.get("kecamatan") or []
        )
        obj.pk = role.pk

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        """The districts were set by the service in save_model, with the audit row."""

    def delete_model(self, request: Any, obj: EditorRole) -> None:
        services.editor_role_remove(actor=request.user, role=obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for role in queryset:
            services.editor_role_remove(actor=request.user, role=role)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "author", "state", "published_at")
    list_filter = ("state", "category")
    list_select_related = ("author", "latest_revision")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
