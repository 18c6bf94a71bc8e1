"""Logged work in the admin: to search and inspect, not to edit. Changes go through the site, where
programs.services checks them, keeps the counting copies in step and writes the audit trail."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Activity,
    ActivityCredit,
    ActivityKpmi,
    Deployment,
    EducationSession,
    Evidence,
    Publication,
    Training,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CreditInline(admin.TabularInline):
    model = ActivityCredit
    extra = 0
    fields = ("position", "member", "kpmi", "status")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("original_name", "file_kind", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "date", "status", "kpmi", "kecamatan", "created_by")
    list_filter = ("kind", "status", "kecamatan", "kpmi")
    search_fields = ("title", "summary", "kpmi__name", "credits__member__full_name")
    date_hierarchy = "date"
    list_select_related = ("kpmi", "kecamatan", "created_by")
    inlines = [CreditInline, EvidenceInline]


class DetailAdmin(ReadOnlyAdmin):
    list_select_related = ("activity", "activity__kpmi")
    search_fields = ("activity__title", "activity__kpmi__name")
    date_hierarchy = "activity__date"

    @admin.display(description=_("KPMI"), ordering="activity__kpmi__name")
    def kpmi(self, obj):
        return obj.activity.kpmi


@admin.register(Publication)
class PublicationAdmin(DetailAdmin):
    list_display = ("activity", "kpmi", "channel", "link")
    list_filter = ("channel", "activity__status")
    search_fields = (*DetailAdmin.search_fields, "link")


@admin.register(EducationSession)
class EducationSessionAdmin(DetailAdmin):
    list_display = ("activity", "kpmi", "audience", "participants", "venue")
    list_filter = ("audience", "activity__status", "activity__kecamatan")
    search_fields = (*DetailAdmin.search_fields, "venue")


@admin.register(Deployment)
class DeploymentAdmin(DetailAdmin):
    list_display = ("activity", "kpmi", "deployment_kind", "site_type", "site_name", "operational_status")
    list_filter = ("deployment_kind", "site_type", "operational_status", "activity__status", "activity__kecamatan")
    search_fields = (*DetailAdmin.search_fields, "site_name")


@admin.register(Training)
class TrainingAdmin(DetailAdmin):
    list_display = ("activity", "kpmi", "trainee_group", "venue")
    list_filter = ("trainee_group", "activity__status")
    search_fields = (*DetailAdmin.search_fields, "venue", "trainees__full_name")


@admin.register(ActivityCredit)
class ActivityCreditAdmin(ReadOnlyAdmin):
    list_display = ("member", "kpmi", "kind", "date", "status", "activity")
    list_filter = ("kind", "status", "kpmi")
    search_fields = ("member__full_name", "kpmi__name", "activity__title")
    date_hierarchy = "date"
    list_select_related = ("member", "kpmi", "activity")


@admin.register(ActivityKpmi)
class ActivityKpmiAdmin(ReadOnlyAdmin):
    list_display = ("kpmi", "kind", "date", "status", "activity")
    list_filter = ("kind", "status", "kpmi")
    search_fields = ("kpmi__name", "activity__title")
    date_hierarchy = "date"
    list_select_related = ("kpmi", "activity")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "file_kind", "size", "activity", "uploaded_by", "uploaded_at")
    list_filter = ("file_kind",)
    search_fields = ("original_name", "activity__title")
    date_hierarchy = "uploaded_at"
    list_select_related = ("activity", "uploaded_by")
