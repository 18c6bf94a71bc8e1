"""Awards an association gives a manager (the existing mechanism every association uses)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log, diff_fields
from members.models import Level, Member
from members.permissions import is_komtik_admin

from .. import permissions
from ..models import (
    AssociationAward,
)
from .common import _notify_member, _today

# --- Association awards -----------------------------------------------------------------------------


@transaction.atomic
def association_award_grant(
    *, actor: Any, association: Any, member: Member, name: str, reason: str, awarded_on: dt.date
) -> AssociationAward:
    """An association honours a manager. Officers grant for their own association only."""
    if not (is_komtik_admin(actor) or permissions.award_association_code(actor) == association.code):
        raise PermissionDenied
    if member.level < Level.MANAGER:
        raise ValidationError({"member": _("Association awards go to managers and pioneers.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the award.")})
    if awarded_on > _today():
        raise ValidationError({"awarded_on": _("The date cannot be in the future.")})
    award = AssociationAward(
        association=association,
        member=member,
        name=name.strip(),
        reason=reason.strip(),
        awarded_on=awarded_on,
        granted_by=actor,
    )
    award.full_clean(exclude=["granted_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError:
        raise ValidationError(
            _("This award was already given to %(name)s on that date.") % {"name": member.full_name}
        ) from None
    audit_log(
        actor=actor,
        action="association_award.grant",
        target=award,
        changes=diff_fields({}, {"association": association, "member": member, "name": award.name}),
        note=award.reason,
    )
    _notify_member(
        member,
        lambda: (
            _("%(member)s received the award “%(award)s” from %(association)s.")
            % {"member": member.full_name, "award": award.name, "association": association.name}
        ),
        member.get_absolute_url(),
    )
    return award
