"""One function computes a price and says why (the pattern of pretix's base/services/pricing.py).

The order form shows its answer before saving, the order service stores it, the receipt prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from kpmi_si.money import ZERO, format_rupiah, to_rupiah
from members.models import Member

from ..models import Client, EligibilityRule, Service


@dataclass(frozen=True)
class Price:
    unit_price: Decimal
    total: Decimal
    is_free: bool
    rule: EligibilityRule | None
    reason: str


def rule_matches(rule: EligibilityRule, *, member: Member | None, client: Client | None) -> bool:
    if member is not None:
        level, category, kecamatan_id = member.level, "", member.kpmi.kecamatan_id
    elif client is not None:
        level, category, kecamatan_id = None, client.category, client.kecamatan_id
    else:
        return False
    if rule.client_level is not None and rule.client_level != level:
        return False
    if rule.client_category and rule.client_category != category:
        return False
    return rule.kecamatan_id is None or rule.kecamatan_id == kecamatan_id


def price_compute(
    *,
    service: Service,
    quantity: int,
    member: Member | None = None,
    client: Client | None = None,
    rules: list[EligibilityRule] | None = None,
) -> Price:
    """The price of `quantity` units of `service` for this client: free when one of the service's
    rules holds ("Gratis — calon pelatih"), otherwise price × quantity ("Rp 150.000 × 2").
    `rules` may be passed when the caller has them already (a form that shows many prices)."""
    for rule in service.rules.all() if rules is None else rules:
        if rule_matches(rule, member=member, client=client):
            return Price(
                unit_price=ZERO,
                total=ZERO,
                is_free=True,
                rule=rule,
                reason=_("Free — %(who)s") % {"who": rule.describe()},
            )
    unit_price = to_rupiah(service.price)
    total = to_rupiah(unit_price * quantity)
    # Priced at zero by the KPMI itself (not by a rule): still free, and the page says so.
    reason = _("Free — offered at no charge") if unit_price == 0 else f"{format_rupiah(unit_price)} × {quantity}"
    return Price(unit_price=unit_price, total=total, is_free=False, rule=None, reason=reason)
