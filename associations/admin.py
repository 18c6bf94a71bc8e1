from django.contrib import admin

from .models import Association, Officer


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "description")
    inlines = [OfficerInline]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("user", "association", "title")
    list_filter = ("association",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "title")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "association")
