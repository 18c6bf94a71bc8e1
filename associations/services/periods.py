"""Periods: a year (with its quarters as parts) or any span, opened and closed by the KOMTIK admin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log

from .. import permissions
from ..models import Evaluation, Period

QUARTERS = ((1, 1, 3, 31), (2, 4, 6, 30), (3, 7, 9, 30), (4, 10, 12, 31))


def _overlapping(start: dt.date, end: dt.date, parent: Period | None) -> Period | None:
    return Period.objects.filter(parent=parent, start__lte=end, end__gte=start).order_by("start").first()


@transaction.atomic
def period_open_year(*, actor: Any, year: int, quarters: bool = False) -> Period:
    """Open a calendar year as a period, optionally with its four quarters as parts."""
    if not permissions.can_open_period(actor):
        raise PermissionDenied
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("Choose a year between 2000 and next year.")})
    return _period_create(
        actor=actor, name=str(year), start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), quarters=quarters
    )


@transaction.atomic
def period_open(
    *, actor: Any, name: str, start: dt.date, end: dt.date, parent: Period | None = None, quarters: bool = False
) -> Period:
    """Open a period of any span (e.g. a programme year from July to June)."""
    if not permissions.can_open_period(actor):
        raise PermissionDenied
    return _period_create(actor=actor, name=name, start=start, end=end, parent=parent, quarters=quarters)


def _period_create(
    *, actor: Any, name: str, start: dt.date, end: dt.date, parent: Period | None = None, quarters: bool = False
) -> Period:
    name = name.strip()
    if end < start:
        raise ValidationError({"end": _("The end must not be before the start.")})
    if parent is not None and not (parent.start <= start and end <= parent.end):
        raise ValidationError({"start": _("A part of a period must lie inside it.")})
    # Lock existing periods of this level so two officers cannot open overlapping ones at once.
    list(Period.objects.select_for_update().filter(parent=parent).values_list("pk", flat=True))
    clash = _overlapping(start, end, parent)
    if clash is not None:
        raise ValidationError({"start": _("This period overlaps the period %(name)s.") % {"name": clash.name}})
    if Period.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A period with this name exists already.")})
    period = Period(name=name, start=start, end=end, parent=parent)
    period.full_clean()
    period.save()
    audit_log(
        actor=actor,
        action="period.open",
        target=period,
        changes={"start": [None, start.isoformat()], "end": [None, end.isoformat()]},
    )
    if quarters:
        if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or start.year != end.year:
            raise ValidationError({"quarters": _("Only a calendar year can be split into quarters.")})
        for number, m1, m2, d2 in QUARTERS:
            _period_create(
                actor=actor,
                name=f"{name} Q{number}",
                start=dt.date(start.year, m1, 1),
                end=dt.date(start.year, m2, d2),
                parent=period,
            )
    return period


@transaction.atomic
def period_close(*, actor: Any, period: Period) -> Period:
    """Freeze a period: its results no longer change and it is not evaluated again."""
    if not permissions.can_close_period(actor):
        raise PermissionDenied
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        return period
    if Evaluation.objects.filter(
        period=period, status__in=[Evaluation.Status.QUEUED, Evaluation.Status.RUNNING]
    ).exists():
        raise ValidationError(_("An evaluation of this period is still running; close it when it has finished."))
    period.status = Period.Status.CLOSED
    period.closed_at = timezone.now()
    period.save(update_fields=["status", "closed_at"])
    audit_log(actor=actor, action="period.close", target=period, changes={"status": ["open", "closed"]})
    for part in period.parts.filter(status=Period.Status.OPEN):
        period_close(actor=actor, period=part)
    return period
