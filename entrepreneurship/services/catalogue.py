"""Writing a KPMI's catalogue and KOMTIK's templates: services, their prices, their free-service rules,
and the adoption of a template by a KPMI. Every change is audited (a price change with old → new)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log, diff_fields
from kpmi_si.concurrency import field_differences, version_check
from kpmi_si.money import to_rupiah
from members.models import Kecamatan, Kpmi

from .. import permissions
from ..models import EligibilityRule, Service, ServiceTemplate

SERVICE_FIELDS = ("name", "description", "unit", "work_kind", "price", "is_active")
TEMPLATE_FIELDS = ("name", "description", "unit", "work_kind", "suggested_price", "is_active")


PRICE_FIELDS = ("price", "suggested_price")


def _text(value: Any, name: str = "") -> Any:
    """A form's value as stored: text trimmed, a price with its two places (so that the audit reads
    "150000.00" → "175000.00" whatever was typed)."""
    if name in PRICE_FIELDS and value is not None:
        return to_rupiah(value)
    return value.strip() if isinstance(value, str) else value


def _check_keeper(actor: Any, kpmi: Kpmi) -> None:
    if not permissions.can_keep_money(actor, kpmi):
        raise PermissionDenied


def _check_templates(actor: Any) -> None:
    if not permissions.can_manage_templates(actor):
        raise PermissionDenied


def _save(record: Service | ServiceTemplate, *, name_taken: str) -> None:
    """full_clean, then save; a name taken by a concurrent save (the unique index) is the same field
    message as one taken before."""
    try:
        # The author is stamped by the service, not typed (it may be empty: a deleted account).
        record.full_clean(exclude=["created_by"] if isinstance(record, Service) else None)
    except ValidationError as exc:
        errors = exc.message_dict
        if any("kpmi" in key or "__all__" in key for key in errors) and "name" not in errors:
            raise ValidationError({"name": name_taken}) from None
        raise
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ValidationError({"name": name_taken}) from None


# --- a KPMI's services ---------------------------------------------------------------------------------


@transaction.atomic
def service_create(*, actor: Any, kpmi: Kpmi, data: dict[str, Any], template: ServiceTemplate | None = None) -> Service:
    _check_keeper(actor, kpmi)
    service = Service(kpmi=kpmi, template=template, created_by=actor if actor.is_authenticated else None)
    for name in SERVICE_FIELDS:
        if name in data:
            setattr(service, name, _text(data[name], name))
    _save(service, name_taken=_("This KPMI already has a service with this name."))
    audit_log(
        actor=actor,
        action="service_create",
        target=service,
        changes={name: [None, str(getattr(service, name))] for name in SERVICE_FIELDS},
    )
    return service


@transaction.atomic
def service_update(*, actor: Any, service: Service, data: dict[str, Any], version: str | None = None) -> Service:
    """Change a service. A new price counts for orders recorded from now on; orders keep the price
    and the reason they were given."""
    stored = Service.objects.select_for_update().get(pk=service.pk)
    _check_keeper(actor, stored.kpmi)
    clean = {name: _text(data[name], name) for name in SERVICE_FIELDS if name in data}
    version_check(stored=stored, version=version, differences=field_differences(stored, SERVICE_FIELDS, clean))
    before = {name: getattr(stored, name) for name in SERVICE_FIELDS}
    for name, value in clean.items():
        setattr(stored, name, value)
    _save(stored, name_taken=_("This KPMI already has a service with this name."))
    changes = diff_fields(before, {name: getattr(stored, name) for name in SERVICE_FIELDS})
    if changes:
        audit_log(actor=actor, action="service_update", target=stored, changes=changes)
    return stored


@transaction.atomic
def service_adopt(*, actor: Any, kpmi: Kpmi, template: ServiceTemplate, data: dict[str, Any]) -> Service:
    """A KPMI takes a KOMTIK template into its catalogue at its own price, with the template's rules.
    A template is adopted once per KPMI (a second copy would split the orders of one service)."""
    _check_keeper(actor, kpmi)
    # Lock the KPMI's services of this template: two keepers adopting at once queue here.
    if Service.objects.select_for_update().filter(kpmi=kpmi, template=template).exists():
        raise ValidationError(_("This KPMI has already adopted this template; edit that service instead."))
    service = service_create(actor=actor, kpmi=kpmi, data={"work_kind": template.work_kind, **data}, template=template)
    for rule in template.rules.all():
        copy = EligibilityRule(
            service=service,
            client_level=rule.client_level,
            client_category=rule.client_category,
            kecamatan_id=rule.kecamatan_id,
        )
        copy.full_clean()
        copy.save()
    audit_log(
        actor=actor,
        action="service_adopt",
        target=service,
        changes={"template": [None, {"id": template.pk, "text": template.name}]},
    )
    return service


# --- KOMTIK's templates --------------------------------------------------------------------------------


@transaction.atomic
def template_create(*, actor: Any, data: dict[str, Any]) -> ServiceTemplate:
    _check_templates(actor)
    template = ServiceTemplate(**{name: _text(data[name], name) for name in TEMPLATE_FIELDS if name in data})
    _save(template, name_taken=_("A template with this name exists already."))
    audit_log(
        actor=actor,
        action="template_create",
        target=template,
        changes={name: [None, str(getattr(template, name))] for name in TEMPLATE_FIELDS},
    )
    return template


@transaction.atomic
def template_update(
    *, actor: Any, template: ServiceTemplate, data: dict[str, Any], version: str | None = None
) -> ServiceTemplate:
    """Change a template. The KPMI that adopted it keep their own copy and price."""
    _check_templates(actor)
    stored = ServiceTemplate.objects.select_for_update().get(pk=template.pk)
    clean = {name: _text(data[name], name) for name in TEMPLATE_FIELDS if name in data}
    version_check(stored=stored, version=version, differences=field_differences(stored, TEMPLATE_FIELDS, clean))
    before = {name: getattr(stored, name) for name in TEMPLATE_FIELDS}
    for name, value in clean.items():
        setattr(stored, name, value)
    _save(stored, name_taken=_("A template with this name exists already."))
    changes = diff_fields(before, {name: getattr(stored, name) for name in TEMPLATE_FIELDS})
    if changes:
        audit_log(actor=actor, action="template_update", target=stored, changes=changes)
    return stored


# --- free-service rules --------------------------------------------------------------------------------


def rule_conflicts(*, client_level: int | None, client_category: str, kecamatan: Kecamatan | None) -> None:
    """Refuse a rule that can never hold, or holds for nobody in particular. A member client has a
    level and no category; an outside client a category and no level: asking for both is a mistake."""
    if client_level is None and not client_category and kecamatan is None:
        raise ValidationError(
            {"client_level": _("Give at least one condition: the client's level, category or district.")}
        )
    if client_level is not None and client_category:
        raise ValidationError(
            {
                "client_category": _(
                    "A rule cannot ask for both a level and a category: a member has a level and no category, "
                    "an outside client a category and no level. Make two rules."
                )
            }
        )


@transaction.atomic
def rule_add(
    *,
    actor: Any,
    service: Service | None = None,
    template: ServiceTemplate | None = None,
    client_level: int | None = None,
    client_category: str = "",
    kecamatan: Kecamatan | None = None,
) -> EligibilityRule:
    """Add a free-service rule to a KPMI's service (its keepers) or to a template (KOMTIK)."""
    if (service is None) == (template is None):
        raise ValueError("a rule belongs to a service or to a template")
    if service is not None:
        owner: Service | ServiceTemplate = Service.objects.select_for_update().get(pk=service.pk)
        _check_keeper(actor, owner.kpmi)
    else:
        _check_templates(actor)
        owner = ServiceTemplate.objects.select_for_update().get(pk=template.pk)
    client_category = client_category or ""
    rule_conflicts(client_level=client_level, client_category=client_category, kecamatan=kecamatan)
    siblings = owner.rules.filter(
        client_level=client_level, client_category=client_category, kecamatan=kecamatan
    )  # client_level=None filters IS NULL in Django
    if siblings.exists():
        raise ValidationError({"client_level": _("This rule exists already.")})
    rule = EligibilityRule(
        service=service and owner,
        template=template and owner,
        client_level=client_level,
        client_category=client_category,
        kecamatan=kecamatan,
    )
    rule.full_clean()
    rule.save()
    audit_log(
        actor=actor, action="rule_add", target=owner, changes={"rule": [None, {"id": rule.pk, "text": rule.describe()}]}
    )
    return rule


@transaction.atomic
def rule_remove(*, actor: Any, rule: EligibilityRule) -> None:
    """Remove a rule. Orders made free by it keep their reason (the order stores it as text)."""
    rule = EligibilityRule.objects.select_for_update().get(pk=rule.pk)
    owner: Service | ServiceTemplate
    if rule.service_id is not None:
        owner = rule.service
        _check_keeper(actor, owner.kpmi)
    else:
        owner = rule.template
        _check_templates(actor)
    text = rule.describe()
    pk = rule.pk
    rule.delete()
    audit_log(actor=actor, action="rule_remove", target=owner, changes={"rule": [{"id": pk, "text": text}, None]})
