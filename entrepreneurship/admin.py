"""The entrepreneurship app in the admin: to search and inspect, not to edit. Money, prices, orders and
businesses change only through the site's services, which check the rules, keep the ledger balanced
and write the audit trail. Postings are immutable besides (the model and a database trigger refuse a
change): here nobody, not even a superuser, gets an add, change or delete button for them."""

from typing import Any

from django.contrib import admin

from .models import (
    Business,
    BusinessEntry,
    BusinessSettlement,
    Client,
    EligibilityRule,
    Order,
    Posting,
    ReceiptSequence,
    Service,
    ServiceTemplate,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ("date", "kpmi", "category", "amount", "description", "reverses", "created_by")
    list_filter = ("category", "date")
    search_fields = ("description", "kpmi__name")
    list_select_related = ("kpmi", "reverses", "created_by")
    date_hierarchy = "date"
    raw_id_fields = ("order", "settlement", "reverses")


@admin.register(Business)
class BusinessAdmin(ReadOnlyAdmin):
    list_display = ("name", "kpmi", "owner", "kind", "started_on", "closed_on", "pledged_share")
    list_filter = ("kind",)
    search_fields = ("name", "kpmi__name", "owner__full_name")
    list_select_related = ("kpmi", "owner")


@admin.register(BusinessEntry)
class BusinessEntryAdmin(ReadOnlyAdmin):
    list_display = ("date", "business", "kind", "amount", "description")
    list_filter = ("kind",)
    search_fields = ("description", "business__name")
    list_select_related = ("business",)


@admin.register(BusinessSettlement)
class BusinessSettlementAdmin(ReadOnlyAdmin):
    list_display = ("month", "business", "income", "costs", "contribution", "settled_at")
    search_fields = ("business__name",)
    list_select_related = ("business",)


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("receipt_number", "kpmi", "date", "service", "total", "payment_status")
    list_filter = ("payment_status", "is_free")
    search_fields = ("kpmi__name", "service__name", "client__name", "member__full_name", "price_reason")
    list_select_related = ("kpmi", "service")


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin):
    list_display = ("name", "kpmi", "category", "kecamatan")
    list_filter = ("category",)
    search_fields = ("name", "kpmi__name")
    list_select_related = ("kpmi", "kecamatan")


@admin.register(ServiceTemplate)
class ServiceTemplateAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "is_active")
    search_fields = ("name",)


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ("name", "kpmi", "unit", "price", "is_active")
    list_filter = ("unit", "is_active")
    search_fields = ("name", "kpmi__name")
    list_select_related = ("kpmi",)


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "service", "template")
    search_fields = ("service__name", "template__name")
    list_select_related = ("service", "template")


@admin.register(ReceiptSequence)
class ReceiptSequenceAdmin(ReadOnlyAdmin):
    list_display = ("kpmi", "last")
    search_fields = ("kpmi__name",)
    list_select_related = ("kpmi",)
