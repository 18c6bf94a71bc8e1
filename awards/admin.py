"""Award records in the Django admin: for looking things up. Every change goes through the audited
services on the awards pages (/penghargaan/kelola/), so the admin here only reads."""

from django.contrib import admin

from .models import Award, AwardCategory, AwardRound, Finalist, JuryMember, ShortlistBuild, Vote


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AwardRound)
class AwardRoundAdmin(ReadOnlyAdmin):
    list_display = ("year", "status", "created_at", "shortlisted_at", "finalised_at", "published_at")
    list_filter = ("status",)
    search_fields = ("year",)


@admin.register(AwardCategory)
class AwardCategoryAdmin(ReadOnlyAdmin):
    list_display = ("round", "subject", "achievement", "finalists_count", "winners_count", "min_count", "decided_at")
    list_filter = ("round", "subject", "achievement")
    search_fields = ("subject", "achievement", "decision_note")
    list_select_related = ("round",)


@admin.register(ShortlistBuild)
class ShortlistBuildAdmin(ReadOnlyAdmin):
    list_display = ("round", "status", "created_at", "finished_at", "finalists_changed", "requested_by")
    list_filter = ("status", "round")
    search_fields = ("round__year", "error")
    list_select_related = ("round", "requested_by")


@admin.register(Finalist)
class FinalistAdmin(ReadOnlyAdmin):
    list_display = ("category", "rank", "member", "supervisor", "kpmi", "score", "previous", "is_winner")
    list_filter = ("category__round", "category__subject", "category__achievement", "is_winner")
    search_fields = ("member__full_name", "supervisor__username", "supervisor__first_name", "kpmi__name")
    list_select_related = ("category", "category__round", "member", "supervisor", "kpmi")


@admin.register(JuryMember)
class JuryMemberAdmin(ReadOnlyAdmin):
    list_display = ("round", "user", "added_at")
    list_filter = ("round",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("round", "user")


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("finalist", "jury_member", "score", "created_at")
    list_filter = ("finalist__category__round", "score")
    search_fields = ("jury_member__user__username", "finalist__member__full_name", "comment")
    list_select_related = (
        "finalist",
        "finalist__category",
        "finalist__category__round",
        "finalist__member",
        "finalist__supervisor",
        "jury_member__user",
    )


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("round", "category", "place", "finalist", "code")
    list_filter = ("round", "category__subject", "category__achievement")
    search_fields = ("code", "finalist__member__full_name", "finalist__supervisor__username", "finalist__kpmi__name")
    list_select_related = (
        "round",
        "category",
        "category__round",
        "finalist",
        "finalist__member",
        "finalist__supervisor",
    )
