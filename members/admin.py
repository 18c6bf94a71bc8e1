from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from kpmi_si.audit.admin_audit import AuditedAdmin

from . import services
from .models import Desa, Kecamatan, Kpmi, KpmiRole, LevelChange, Member, User


class RuleCheckedForm(forms.ModelForm):
    """An admin form that also applies the rule the services apply to its model, so that the admin
    refuses on the form what the site refuses: a rule only the service knew made save_model raise,
    and the admin answered with a server error."""

    rule: ClassVar[Callable[[Any], None]]

    def _post_clean(self) -> None:
        super()._post_clean()
        if any(field != NON_FIELD_ERRORS for field in self.errors):
            return  # the instance may hold half-validated values; the fields' own errors come first
        try:
            type(self).rule(self.instance)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages in errors.items():
                self.add_error(field if field in self.fields else None, messages)


class MemberAdminForm(RuleCheckedForm):
    rule = staticmethod(services.member_check_trainer)


class KpmiAdminForm(RuleCheckedForm):
    rule = staticmethod(services.kpmi_check_rules)


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Preferences"), {"fields": ("language",)}),)
    list_display = ("username", "first_name", "last_name", "email", "is_superuser", "is_active")


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Desa)
class DesaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kecamatan")
    list_filter = ("kecamatan",)
    search_fields = ("code", "name")
    list_select_related = ("kecamatan",)


class KpmiRoleFormSet(forms.BaseInlineFormSet):
    """Two new rows giving one person the same current role: the database refuses it (one current role
    per person, group and kind), but Django checks a conditional unique rule row by row against the
    database only, so the pair reached the database and the admin answered with a server error."""

    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("until"):
                continue
            key = (data.get("user"), data.get("role"))
            if None in key:
                continue
            if key in seen:
                raise ValidationError(_("The same person has the same current role in this KPMI twice."))
            seen.add(key)


class KpmiRoleInline(admin.TabularInline):
    model = KpmiRole
    formset = KpmiRoleFormSet
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Kpmi)
class KpmiAdmin(AuditedAdmin):
    form = KpmiAdminForm
    list_display = ("name", "kecamatan", "status", "founded_on", "founded_from")
    list_filter = ("status", "kecamatan")
    search_fields = ("name", "address")
    date_hierarchy = "founded_on"
    autocomplete_fields = ("kecamatan", "desa", "founded_from", "founded_by")
    list_select_related = ("kecamatan", "founded_from")
    inlines = [KpmiRoleInline]


@admin.register(KpmiRole)
class KpmiRoleAdmin(AuditedAdmin):
    list_display = ("user", "role", "kpmi", "since")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "kpmi__name")
    autocomplete_fields = ("user", "kpmi")
    list_select_related = ("user", "kpmi")


class LevelChangeInline(admin.TabularInline):
    """The ladder history is shown, never edited here: it changes through the level-change form."""

    model = LevelChange
    extra = 0
    can_delete = False
    fields = ("effective_on", "kind", "from_level", "to_level", "reason", "evidence", "recorded_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    form = MemberAdminForm
    list_display = ("full_name", "kpmi", "level", "gender", "joined_on")
    list_filter = ("level", "gender", "kpmi__kecamatan")
    search_fields = ("full_name", "phone", "email", "kpmi__name")
    date_hierarchy = "joined_on"
    autocomplete_fields = ("kpmi", "trained_by", "user")
    list_select_related = ("kpmi",)
    inlines = [LevelChangeInline]

    def get_readonly_fields(self, request, obj=None):
        # A level never changes without a history row, so the admin cannot type one in; new members
        # start as trainer candidates through the same service the site uses.
        return ("level",)

    def save_model(self, request, obj, form, change):
        try:
            if change:
                data = {name: form.cleaned_data[name] for name in services.MEMBER_EDITABLE_FIELDS}
                stored = services.member_update(actor=request.user, member=obj, data=data)
                if obj.user_id != stored.user_id:
                    stored.user = obj.user
                    stored.save(update_fields=["user", "updated_at"])
            else:
                data = {name: form.cleaned_data[name] for name in services.MEMBER_EDITABLE_FIELDS}
                member = services.member_register(actor=request.user, kpmi=obj.kpmi, **data)
                if obj.user_id:
                    member.user = obj.user
                    member.save(update_fields=["user", "updated_at"])
                obj.pk = member.pk
        except ValidationError as exc:
            # Admin forms were validated already; a service rule still refusing is a real error to show.
            self.message_user(request, "; ".join(exc.messages), level="error")
            raise


@admin.register(LevelChange)
class LevelChangeAdmin(admin.ModelAdmin):
    list_display = ("member", "kind", "from_level", "to_level", "effective_on", "recorded_by")
    list_filter = ("kind", "to_level")
    search_fields = ("member__full_name", "reason", "evidence")
    date_hierarchy = "effective_on"
    list_select_related = ("member", "recorded_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
