"""Targets: an association's default for a metric in a period, and overrides for one KPMI or manager."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log
from members.models import Kpmi, Level, Member

from .. import permissions, refresh
from ..metrics import KPMI, METRICS, Metric
from ..models import Association, Period, Target


def _metric_for(association: Association, code: str) -> Metric:
    metric = METRICS.get(code)
    if metric is None or metric.association != association.code:
        raise ValidationError(
            {"metric": _("This metric does not belong to %(association)s.") % {"association": association.name}}
        )
    return metric


@transaction.atomic
def target_set(
    *,
    actor: Any,
    period: Period,
    association: Association,
    metric: str,
    value: int,
    kpmi: Kpmi | None = None,
    member: Member | None = None,
) -> Target:
    """Set the default target of a metric (no KPMI, no member) or an override for one subject."""
    if not permissions.can_manage_targets(actor, association.code):
        raise PermissionDenied
    definition = _metric_for(association, metric)
    errors: dict[str, str] = {}
    if value is None or value < 0:
        errors["value"] = _("A target cannot be negative.")
    if period.is_closed:
        errors["period"] = _("The period %(name)s is closed; its targets are frozen.") % {"name": period.name}
    if kpmi is not None and member is not None:
        errors["kpmi"] = _("Choose a KPMI or a manager, not both.")
    if member is not None and definition.subject == KPMI:
        errors["member"] = _("This metric is counted per KPMI; set the override for a KPMI.")
    if kpmi is not None and definition.subject != KPMI:
        errors["kpmi"] = _("This metric is counted per manager; set the override for a manager.")
    if member is not None and member.level != Level.MANAGER:
        errors["member"] = _("%(name)s is not a manager.") % {"name": member.full_name}
    if errors:
        raise ValidationError(errors)
    target = Target.objects.select_for_update().filter(period=period, metric=metric, kpmi=kpmi, member=member).first()
    old = target.value if target else None
    if target is None:
        target = Target(period=period, association=association, metric=metric, kpmi=kpmi, member=member, value=value)
    target.value = value
    target.full_clean(validate_constraints=False)
    target.save()
    if old != value:
        if kpmi is not None or member is not None:
            # An override moves one subject's status: the refresh job recomputes just that one.
            refresh.results_mark_stale(
                period=period,
                metric=metric,
                kpmi_ids=[getattr(kpmi, "pk", None)],
                member_ids=[getattr(member, "pk", None)],
            )
        audit_log(
            actor=actor,
            action="target.set",
            target=target,
            changes={"value": [old, value]},
            note=f"{metric} {kpmi or member or 'default'}",
        )
    return target


@transaction.atomic
def target_delete(*, actor: Any, target: Target) -> None:
    if not permissions.can_manage_targets(actor, target.association.code):
        raise PermissionDenied
    if target.period.is_closed:
        raise ValidationError(
            _("The period %(name)s is closed; its targets are frozen.") % {"name": target.period.name}
        )
    audit_log(actor=actor, action="target.delete", target=target, changes={"value": [target.value, None]})
    if target.kpmi_id or target.member_id:
        refresh.results_mark_stale(
            period=target.period, metric=target.metric, kpmi_ids=[target.kpmi_id], member_ids=[target.member_id]
        )
    target.delete()


@transaction.atomic
def targets_apply_defaults(*, actor: Any, period: Period, association: Association) -> list[Target]:
    """Fill in the default target of every metric of an association that has none yet."""
    made = []
    for metric in METRICS.values():
        if metric.association != association.code:
            continue
        if not Target.objects.filter(period=period, metric=metric.code, kpmi=None, member=None).exists():
            made.append(
                target_set(
                    actor=actor, period=period, association=association, metric=metric.code, value=metric.default_target
                )
            )
    return made
