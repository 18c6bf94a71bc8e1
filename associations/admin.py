from django.contrib import admin

from kpmi_si.audit.admin_audit import AuditedAdmin

from .models import (
    Association,
    Evaluation,
    MonthlyActual,
    Officer,
    OfficerTerm,
    Period,
    StaleResult,
    Target,
    TargetResult,
)


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Association)
class AssociationAdmin(AuditedAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "description")
    inlines = [OfficerInline]


@admin.register(Officer)
class OfficerAdmin(AuditedAdmin):
    list_display = ("user", "association", "title", "since")
    list_filter = ("association",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "title")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "association")


@admin.register(OfficerTerm)
class OfficerTermAdmin(admin.ModelAdmin):
    """The officers' history: written when the KOMTIK admin ends an appointment (audited there)."""

    list_display = ("user", "association", "title", "since", "until", "ended_by")
    list_filter = ("association",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "title")
    list_select_related = ("user", "association", "ended_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # history: who served which association when


@admin.register(Period)
class PeriodAdmin(AuditedAdmin):
    list_display = ("name", "start", "end", "status", "parent")
    list_filter = ("status",)
    search_fields = ("name",)
    # Opening, closing and evaluating go through the audited services (the Periods page).
    readonly_fields = ("status", "closed_at")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("period", "association", "metric", "kpmi", "member", "value")
    list_filter = ("association", "metric", "period")
    search_fields = ("metric", "kpmi__name", "member__full_name")
    list_select_related = ("period", "association", "kpmi", "member")

    def has_add_permission(self, request):
        return False  # set on the association's Targets page, which audits every change

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("period", "status", "created_at", "finished_at", "results_changed", "requested_by")
    list_filter = ("status", "period")
    search_fields = ("period__name", "error")
    list_select_related = ("period", "requested_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TargetResult)
class TargetResultAdmin(admin.ModelAdmin):
    list_display = ("period", "metric", "kpmi", "member", "target", "actual", "status", "evaluated_at")
    list_filter = ("period", "association", "metric", "status")
    search_fields = ("kpmi__name", "member__full_name")
    list_select_related = ("period", "kpmi", "member")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonthlyActual)
class MonthlyActualAdmin(admin.ModelAdmin):
    list_display = ("period", "metric", "month", "actual")
    list_filter = ("period", "metric")
    search_fields = ("metric",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StaleResult)
class StaleResultAdmin(admin.ModelAdmin):
    """The marks waiting for the incremental refresh (associations/refresh.py): shown, never edited."""

    list_display = ("period", "metric", "kpmi_id", "member_id", "month", "marked_at")
    list_filter = ("period", "metric")
    search_fields = ("metric",)
    list_select_related = ("period",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
