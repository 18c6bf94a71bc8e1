"""Django admin writes into the audit trail too. The site's pages change data through services that
audit; the few models the KOMTIK admin may still edit in Django admin (accounts, groups and their roles,
associations and officers, periods, news categories) would otherwise change without a who/when/old → new
row — Django's own LogEntry names the fields, not their values. Admin views run each save in one
transaction, so a change and its audit row are saved together or not at all."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db import models

from .services import audit_log, diff_fields


def _values(model: type[models.Model], pks: list[Any], names: list[str]) -> dict[Any, dict[str, Any]]:
    """The stored values of `names` for the rows `pks`, read from the database (the admin's instances
    already hold the form's new values by the time save is called)."""
    if not pks:
        return {}
    return {row["pk"]: row for row in model._default_manager.filter(pk__in=pks).values("pk", *names)}


class AuditedAdmin(admin.ModelAdmin):
    """Audit every add, change and delete made through this admin page, its inlines included, as
    `admin.add` / `admin.change` / `admin.delete` with the changed fields' old and new values."""

    # Never copied into the trail: secrets, and bookkeeping that changes on its own.
    audit_exclude: ClassVar[tuple[str, ...]] = ("password", "last_login")

    @staticmethod
    def _field_names(model: type[models.Model], exclude: tuple[str, ...]) -> list[str]:
        # Timestamps that move on every save (auto_now) are not a change anyone made.
        return [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in exclude and not f.primary_key and not getattr(f, "auto_now", False)
        ]

    def _audit(self, request: Any, obj: models.Model, before: dict, after: dict, *, action: str) -> None:
        changes = diff_fields({n: v for n, v in before.items() if n != "pk"}, after)
        if changes or action != "admin.change":
            audit_log(actor=request.user, action=action, target=obj, changes=changes)

    def save_model(self, request: Any, obj: models.Model, form: Any, change: bool) -> None:
        names = self._field_names(type(obj), self.audit_exclude)
        before = _values(type(obj), [obj.pk], names).get(obj.pk, {}) if change else {}
        super().save_model(request, obj, form, change)
        after = {name: getattr(obj, name) for name in names}
        self._audit(request, obj, before, after, action="admin.change" if change else "admin.add")

    def delete_model(self, request: Any, obj: models.Model) -> None:
        names = self._field_names(type(obj), self.audit_exclude)
        self._audit(request, obj, {n: getattr(obj, n) for n in names}, dict.fromkeys(names), action="admin.delete")
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        # The changelist's bulk delete: one row per deleted object, like a delete from its page.
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        model = formset.model
        names = self._field_names(model, self.audit_exclude)
        before = _values(model, [f.instance.pk for f in formset.initial_forms if f.instance.pk], names)
        # Deletions are written before the rows go (a deleted instance loses its primary key).
        for deleted in formset.deleted_forms:
            old = before.get(deleted.instance.pk)
            if old is not None:
                self._audit(request, deleted.instance, old, dict.fromkeys(names), action="admin.delete")
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._audit(request, obj, {}, {n: getattr(obj, n) for n in names}, action="admin.add")
        for obj, _fields in formset.changed_objects:
            self._audit(
                request, obj, before.get(obj.pk, {}), {n: getattr(obj, n) for n in names}, action="admin.change"
            )
