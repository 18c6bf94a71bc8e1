"""Pioneers' businesses: registering one, recording its income and costs, closing it, and settling a
month's pledged share of the profit into the KPMI ledger.

Every write of a business locks the business row first (SELECT ... FOR UPDATE): an entry typed while
the same month is being settled queues behind the settlement and then sees the month closed, so a
contribution posted never disagrees with the entries it was computed from.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log
from kpmi_si.jobs import run_lock
from kpmi_si.money import CENT, ZERO, to_rupiah
from kpmi_si.months import month_end, month_start, previous_month
from members.models import Kpmi, Level, Member

from .. import permissions
from ..models import Business, BusinessEntry, BusinessSettlement, Category, EntryKind
from .ledger import posting_record

logger = logging.getLogger(__name__)


def contribution_of(*, profit: Decimal, share: Decimal) -> Decimal:
    """The pledged share of a month's profit, to the sen (half up); nothing when there was no profit."""
    if profit <= 0:
        return ZERO
    return (profit * share / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _locked(business: Business) -> Business:
    return Business.objects.select_for_update().select_related("kpmi").get(pk=business.pk)


@transaction.atomic
def business_register(
    *,
    actor: Any,
    kpmi: Kpmi,
    owner: Member,
    name: str,
    kind: str,
    started_on: dt.date,
    pledged_share: Decimal,
) -> Business:
    """A pioneer's business run for `kpmi`. A keeper registers it for one of the group's pioneers; a
    pioneer registers their own."""
    if not permissions.can_register_business(actor, kpmi):
        raise PermissionDenied
    if owner.kpmi_id != kpmi.pk or owner.level != Level.PIONEER:
        raise ValidationError({"owner": _("Only a pioneer of this KPMI can run a business for it.")})
    if not permissions.can_keep_money(actor, kpmi) and permissions.linked_member(actor).pk != owner.pk:
        raise ValidationError({"owner": _("A pioneer registers only their own business.")})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("The date cannot be in the future.")})
    name = " ".join(name.split())
    if Business.objects.filter(kpmi=kpmi, name__iexact=name).exists():
        raise ValidationError({"name": _("This KPMI already has a business with this name.")})
    business = Business(
        kpmi=kpmi,
        owner=owner,
        name=name,
        kind=kind,
        started_on=started_on,
        pledged_share=pledged_share,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    business.full_clean(exclude=["created_by"])  # None when a job or a shell registers it
    try:
        with transaction.atomic():
            business.save()
    except IntegrityError:  # the same name registered by another keeper a moment ago
        raise ValidationError({"name": _("This KPMI already has a business with this name.")}) from None
    audit_log(
        actor=actor,
        action="business_register",
        target=business,
        changes={"owner": [None, owner.pk], "pledged_share": [None, str(pledged_share)], "name": [None, name]},
    )
    return business


def settled_months(business: Business) -> set[dt.date]:
    return set(BusinessSettlement.objects.filter(business=business).values_list("month", flat=True))


@transaction.atomic
def business_entry_record(
    *, actor: Any, business: Business, date: dt.date, kind: str, amount: Decimal, description: str
) -> BusinessEntry:
    """Income or a cost of a business, dated within its life and in a month not yet settled."""
    if not permissions.can_run_business(actor, business):
        raise PermissionDenied
    business = _locked(business)
    amount = to_rupiah(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if date < business.started_on:
        raise ValidationError({"date": _("The business had not started on this date.")})
    if business.closed_on is not None and date > business.closed_on:
        raise ValidationError({"date": _("The business was closed before this date.")})
    if BusinessSettlement.objects.filter(business=business, month=month_start(date)).exists():
        raise ValidationError({"date": _("This month is already settled; its income and costs are closed.")})
    entry = BusinessEntry(
        business=business,
        date=date,
        kind=kind,
        amount=amount,
        description=description.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    entry.full_clean(exclude=["created_by"])
    entry.save()
    audit_log(
        actor=actor,
        action="business_entry_record",
        target=business,
        changes={
            "entry": [None, entry.pk],
            "kind": [None, kind],
            "amount": [None, str(amount)],
            "date": [None, date.isoformat()],
        },
    )
    return entry


@transaction.atomic
def business_close(*, actor: Any, business: Business, closed_on: dt.date) -> Business:
    if not permissions.can_run_business(actor, business):
        raise PermissionDenied
    business = _locked(business)
    if business.closed_on is not None:
        raise ValidationError(_("This business is already closed."))
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The date cannot be in the future.")})
    if closed_on < business.started_on:
        raise ValidationError({"closed_on": _("A business cannot close before it started.")})
    last_entry = business.entries.order_by("-date").values_list("date", flat=True).first()
    if last_entry is not None and closed_on < last_entry:
        message = _("The business has income or costs recorded on %(date)s, after this date.")
        raise ValidationError({"closed_on": message % {"date": f"{last_entry:%d-%m-%Y}"}})
    last_settled = business.settlements.order_by("-month").values_list("month", flat=True).first()
    if last_settled is not None and closed_on < last_settled:
        raise ValidationError({"closed_on": _("A month after this date is already settled.")})
    business.closed_on = closed_on
    business.full_clean(exclude=["created_by"])
    business.save(update_fields=["closed_on", "updated_at"])
    audit_log(
        actor=actor, action="business_close", target=business, changes={"closed_on": [None, closed_on.isoformat()]}
    )
    return business


@transaction.atomic
def business_settle_month(
    *, actor: Any, business: Business, month: dt.date, check_permission: bool = True
) -> BusinessSettlement:
    """Settle one past month of a business: its profit, and the pledged share posted to the KPMI ledger
    (in the same transaction, so a settlement never exists without its posting). A month is settled
    once; the current and future months cannot be (their entries are not all in yet)."""
    if check_permission and not permissions.can_run_business(actor, business):
        raise PermissionDenied
    month = month_start(month)
    if month >= month_start(timezone.localdate()):
        raise ValidationError({"month": _("Only a month that has ended can be settled.")})
    business = _locked(business)
    if month < month_start(business.started_on):
        raise ValidationError({"month": _("The business had not started in this month.")})
    if business.closed_on is not None and month > month_start(business.closed_on):
        raise ValidationError({"month": _("The business was closed before this month.")})
    if BusinessSettlement.objects.filter(business=business, month=month).exists():
        raise ValidationError({"month": _("This month is already settled.")})
    sums = business.entries.filter(date__gte=month, date__lte=month_end(month)).aggregate(
        income=Sum("amount", filter=Q(kind=EntryKind.INCOME), default=ZERO),
        costs=Sum("amount", filter=Q(kind=EntryKind.COST), default=ZERO),
    )
    income, costs = to_rupiah(sums["income"]), to_rupiah(sums["costs"])
    contribution = contribution_of(profit=income - costs, share=business.pledged_share)
    settlement = BusinessSettlement(
        business=business,
        month=month,
        income=income,
        costs=costs,
        contribution=contribution,
        settled_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    settlement.full_clean(exclude=["settled_by"])  # None when the monthly job settles
    settlement.save()
    if contribution > 0:
        posting_record(
            actor=actor,
            kpmi=business.kpmi,
            date=month_end(month),
            category=Category.BUSINESS_CONTRIBUTION,
            amount=contribution,
            description=(
                _("%(business)s: %(share)s%% of the profit of %(month)s")
                % {"business": business.name, "share": business.pledged_share.normalize(), "month": f"{month:%m/%Y}"}
            )[:200],
            settlement=settlement,
            check_permission=False,  # who may settle was checked above; the nightly job has no user
        )
    audit_log(
        actor=actor,
        action="business_settle_month",
        target=business,
        changes={
            "month": [None, month.isoformat()],
            "income": [None, str(income)],
            "costs": [None, str(costs)],
            "contribution": [None, str(contribution)],
        },
    )
    return settlement


def businesses_due(month: dt.date) -> list[int]:
    """Ids of the businesses alive in `month` that have not settled it."""
    return list(
        Business.objects.filter(started_on__lte=month_end(month))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=month))
        .exclude(settlements__month=month)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def businesses_settle_last_month(*, today: dt.date | None = None) -> int:
    """Settle last month for every business that has not settled it; the number settled now.

    Each business is settled in its own transaction, so a run killed half-way leaves whole
    settlements behind and the next run does the rest; a business already settled is skipped (and
    the unique settlement per month and posting per settlement refuse a racing duplicate)."""
    month = previous_month(today or timezone.localdate())
    settled = 0
    with run_lock("entrepreneurship.settlement", month.year * 100 + month.month) as held:
        if not held:
            return 0  # another process is settling this month right now
        for business in Business.objects.filter(pk__in=businesses_due(month)).select_related("kpmi").order_by("pk"):
            try:
                business_settle_month(actor=None, business=business, month=month, check_permission=False)
            except ValidationError as exc:
                # Settled by a keeper a moment ago, or closed meanwhile: nothing left to do for it.
                logger.info("business %s month %s not settled: %s", business.pk, month, exc.messages)
                continue
            settled += 1
    return settled


@shared_task
def settle_businesses_task() -> int:
    """The monthly job (CELERY_BEAT_SCHEDULE): settle last month of every business."""
    return businesses_settle_last_month()
