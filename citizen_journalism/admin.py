"""KOMTIK's admin: categories, and who is an editor (granted through the service, so it is audited).
Articles change only through the newsroom; the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from kpmi_si.audit.admin_audit import AuditedAdmin

from . import services
from .models import (
    Article,
    ArticleNote,
    ArticlePhoto,
    ArticleRevision,
    AuthorBalance,
    Buyer,
    BuyerToken,
    Category,
    Earning,
    EditorRole,
    Payout,
    RevenueShare,
    Sale,
    Tag,
)


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("name", "slug", "position", "active")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")
    list_filter = ("active",)


@admin.register(Tag)
class TagAdmin(AuditedAdmin):
    list_display = ("name",)
    search_fields = ("name",)


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """The newsroom's records change only through its services (audited); the admin shows them."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "author", "state", "published_at")
    list_filter = ("state", "category")
    list_select_related = ("author", "latest_revision")
    search_fields = ("title", "latest_revision__title", "author__full_name")


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(ReadOnlyAdmin):
    list_display = ("title", "article", "number", "created_at")
    list_select_related = ("article",)
    search_fields = ("title", "lead")
    list_filter = ("submitted",)


@admin.register(ArticleNote)
class ArticleNoteAdmin(ReadOnlyAdmin):
    list_display = ("kind", "article", "created_at")
    list_select_related = ("article",)
    search_fields = ("text",)
    list_filter = ("kind",)


@admin.register(ArticlePhoto)
class ArticlePhotoAdmin(ReadOnlyAdmin):
    list_display = ("caption", "credit", "article", "uploaded_at")
    list_select_related = ("article",)
    search_fields = ("caption", "credit")


# --- the content market (#13): changed only through its pages and services (audited) -------------------


@admin.register(Buyer)
class BuyerAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "contact", "active")
    search_fields = ("name", "contact")
    list_filter = ("kind", "active")


@admin.register(RevenueShare)
class RevenueShareAdmin(ReadOnlyAdmin):
    list_display = ("scope", "kpmi", "author", "author_percent")
    list_select_related = ("kpmi", "author")
    search_fields = ("kpmi__name", "author__full_name")
    list_filter = ("scope",)


@admin.register(Sale)
class SaleAdmin(ReadOnlyAdmin):
    list_display = ("date", "article", "buyer", "kind", "amount", "author_amount", "kpmi_amount", "cancelled_at")
    list_select_related = ("article", "buyer")
    search_fields = ("article__title", "buyer__name", "author__full_name")
    list_filter = ("kind", "share_source")


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("date", "author", "amount", "method", "reference")
    list_select_related = ("author",)
    search_fields = ("author__full_name", "reference")
    list_filter = ("method",)


@admin.register(Earning)
class EarningAdmin(ReadOnlyAdmin):
    list_display = ("date", "author", "kind", "amount")
    list_select_related = ("author",)
    search_fields = ("author__full_name",)
    list_filter = ("kind",)


@admin.register(AuthorBalance)
class AuthorBalanceAdmin(ReadOnlyAdmin):
    list_display = ("author", "balance")
    list_select_related = ("author",)
    search_fields = ("author__full_name",)


@admin.register(BuyerToken)
class BuyerTokenAdmin(ReadOnlyAdmin):
    """Issued and revoked on the buyer's page (audited, the key shown once); here only looked at."""

    list_display = ("prefix", "buyer", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "buyer__name")
    exclude = ("key_hash",)
