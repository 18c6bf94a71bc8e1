"""Sources of a member's data file for what the Entrepreneurs association oversees: articles written
for Garut Citizen Journalism and what they earned, services received from a KPMI, businesses run for
one. Listed in `selectors.MEMBER_DATA_SOURCES` with the others."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from citizen_journalism.models import Article, AuthorBalance, Earning, RevenueShare
from entrepreneurship.models import Business, Order
from members.models import Member

from .sections import Section
from .sections import section as _section


def _articles(member: Member) -> Section:
    """Garut Citizen Journalism: the member's articles, each with its latest version and its state."""
    columns = (
        ("article_id", _("ID")),
        ("state", _("status")),
        ("title", pgettext_lazy("heading", "title")),
        ("lead", _("lead")),
        ("body", _("body (Markdown)")),
        ("versions", _("version")),
        ("first_published_at", _("first published at")),
        ("created_at", _("created at")),
    )
    articles = Article.objects.filter(author=member).select_related("latest_revision").order_by("pk")
    rows = [
        {
            "article_id": article.pk,
            "state": article.get_state_display(),
            "title": article.latest_revision.title if article.latest_revision else "",
            "lead": article.latest_revision.lead if article.latest_revision else "",
            "body": article.latest_revision.body if article.latest_revision else "",
            "versions": article.latest_revision.number if article.latest_revision else 0,
            "first_published_at": article.first_published_at,
            "created_at": article.created_at,
        }
        for article in articles
    ]
    return _section("articles", _("articles"), columns, rows)


def _services_received(member: Member) -> Section:
    """Entrepreneurship: the services of any KPMI the member was the client of."""
    columns = (
        ("receipt", _("receipt number")),
        ("kpmi", _("KPMI")),
        ("service", _("service")),
        ("date", _("date")),
        ("quantity", _("quantity")),
        ("total", _("total")),
        ("price_reason", _("why this price")),
        ("payment", _("payment")),
    )
    orders = Order.objects.filter(member=member).select_related("kpmi", "service").order_by("date", "pk")
    rows = [
        {
            "receipt": order.receipt_label,
            "kpmi": order.kpmi.name,
            "service": order.service.name,
            "date": order.date,
            "quantity": order.quantity,
            "total": order.total,
            "price_reason": order.price_reason,
            "payment": order.get_payment_status_display(),
        }
        for order in orders
    ]
    return _section("services_received", _("service orders"), columns, rows)


def _businesses(member: Member) -> Section:
    """Entrepreneurship: the businesses the member (a pioneer) runs or ran for their KPMI."""
    columns = (
        ("name", _("name")),
        ("kpmi", _("KPMI")),
        ("kind", _("kind")),
        ("started_on", _("started on")),
        ("closed_on", _("closed on")),
        ("pledged_share", _("share of profit pledged to the KPMI (%)")),
    )
    businesses = Business.objects.filter(owner=member).select_related("kpmi").order_by("started_on", "pk")
    rows = [
        {
            "name": business.name,
            "kpmi": business.kpmi.name,
            "kind": business.get_kind_display(),
            "started_on": business.started_on,
            "closed_on": business.closed_on,
            "pledged_share": business.pledged_share,
        }
        for business in businesses
    ]
    return _section("businesses", _("businesses"), columns, rows)


def _earnings(member: Member) -> Section:
    """Garut Citizen Journalism: what the member earned from sales of their articles and was paid out,
    with their balance and any share set for them alone."""
    columns = (("date", _("date")), ("kind", _("kind")), ("amount", _("amount")), ("sale", _("sale")))
    rows: list[dict[str, Any]] = [
        {"date": e.date, "kind": e.get_kind_display(), "amount": e.amount, "sale": e.sale_id or ""}
        for e in Earning.objects.filter(author=member).order_by("date", "pk")
    ]
    # Sales and payouts appear as the earnings above; the balance and a personal share as two more rows.
    balance = AuthorBalance.objects.filter(author=member).values_list("balance", flat=True).first()
    if balance is not None:
        rows.append({"date": "", "kind": str(_("balance")), "amount": balance, "sale": ""})
    for share in RevenueShare.objects.filter(author=member):
        rows.append({"date": "", "kind": str(_("author's share (%)")), "amount": share.author_percent, "sale": ""})
    return _section("earnings", _("earnings"), columns, rows)
