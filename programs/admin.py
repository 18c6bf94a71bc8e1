"""Logged work in the admin: to search and inspect, not to edit. Changes go through the site, where
programs.services checks them, keeps the counting copies in step and writes the audit trail."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Activity,
    ActivityCredit,
    ActivityKpmi,
    AssociationAward,
    CollaborationProgram,
    CollaborationWork,
    Competition,
    CompetitionStanding,
    Deployment,
    EducationSession,
    Evidence,
    Invitation,
    ProjectSignup,
    Publication,
    TotEvent,
    Training,
    VolunteerProject,
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


# Interventions: inspect only; sending, answering and results go through the site's services
# (capacity, state machine, audit, promotion through the ladder service).


@admin.register(TotEvent)
class TotEventAdmin(ReadOnlyAdmin):
    list_display = ("name", "date", "venue", "capacity", "status")
    date_hierarchy = "date"
    search_fields = ("name", "venue")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("member", "kpmi", "tot_event", "program", "status", "sent_at", "answered_at")
    list_filter = ("status", "tot_event", "program")
    search_fields = ("member__full_name", "kpmi__name")
    list_select_related = ("member", "kpmi", "tot_event", "program")


@admin.register(VolunteerProject)
class VolunteerProjectAdmin(ReadOnlyAdmin):
    list_display = ("title", "site_name", "kecamatan", "start_date", "team_size", "status")
    list_filter = ("status",)
    search_fields = ("title", "site_name")
    list_select_related = ("kecamatan",)


@admin.register(ProjectSignup)
class ProjectSignupAdmin(ReadOnlyAdmin):
    list_display = ("member", "kpmi", "project", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("member__full_name", "project__title")
    list_select_related = ("member", "kpmi", "project")


@admin.register(AssociationAward)
class AssociationAwardAdmin(ReadOnlyAdmin):
    list_display = ("name", "member", "association", "awarded_on")
    search_fields = ("name", "member__full_name")
    list_select_related = ("member", "association")


@admin.register(Competition)
class CompetitionAdmin(ReadOnlyAdmin):
    list_display = ("title", "period", "kind", "measure", "entrants", "status")
    search_fields = ("title",)
    list_select_related = ("period",)


@admin.register(CompetitionStanding)
class CompetitionStandingAdmin(ReadOnlyAdmin):
    list_display = ("competition", "rank", "member", "kpmi", "score", "is_winner")
    search_fields = ("competition__title", "member__full_name", "kpmi__name")
    list_select_related = ("competition", "member", "kpmi")


@admin.register(CollaborationProgram)
class CollaborationProgramAdmin(ReadOnlyAdmin):
    list_display = ("name", "date", "venue", "threshold", "status")
    search_fields = ("name", "theme")


@admin.register(CollaborationWork)
class CollaborationWorkAdmin(ReadOnlyAdmin):
    list_display = ("program", "activity", "created_at")
    search_fields = ("program__name", "activity__title")
    list_select_related = ("program", "activity")
