"""What each association measures, in one registry.

A metric names its association, its subject (each KPMI, or each manager), a default yearly target,
and three database-side queries: the actual per subject over a date range (a queryset of
(subject id, count) rows, which the evaluation embeds in the SQL that writes the results), the
regency's actual per month, and the records behind one subject's number (the dashboard's drill-down). Work logged by
managers is counted by programs.metrics, the project's one definition of "how much work".

A new association's metrics are new entries here; nothing else changes. The Entrepreneurs
association's (services delivered, pioneers' businesses, money) read the entrepreneurship app's
tables, its money through entrepreneurship.metrics, the one definition of earned income, operating
costs and coverage; its content figures (articles published, content sales, revenue to pioneer
writers) read Garut Citizen Journalism's articles, sales and authors' earnings.

Every stored number is a whole number (TargetResult and MonthlyActual hold integers); a metric's
`unit` says how a page shows it: a count, whole thousands of Rupiah (a KPMI's yearly income in
Rupiah could pass the column's 2,147,483,647; in thousands it cannot before Rp 2 trillion, and the
regency's month stays far below that too), or a whole percent.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from entrepreneurship.models import Category
from members.models import Kpmi, Level, Member
from programs.models import Kind

from ..models import Association
from .base import (
    COUNT,
    INT_MAX,
    KPMI,
    MANAGER,
    PERCENT,
    THOUSAND_RUPIAH,
    CountsQuery,
    Metric,
    _grouped,
    _monthly,
    shared_scans,
)
from .communities import _new_kpmi, _new_members, _new_trainers
from .entrepreneurs import (
    EARNED_AND_COSTS,
    SUBJECT_SCANS,
    _active_businesses,
    _articles_published,
    _content_sales,
    _contributions_per_kpmi,
    _contributions_per_month,
    _coverage_per_kpmi,
    _coverage_per_month,
    _order_records,
    _pioneer_earnings,
    _pioneers_per_kpmi,
    _pioneers_per_month,
    _posting_records,
    _revenue_to_pioneers_per_kpmi,
    _revenue_to_pioneers_per_month,
    _services,
    _services_per_month,
)
from .work import WORK_KINDS, _work_per_member, _work_per_month, _work_records

# The names the rest of the project imports from here (the modules hold the definitions).
__all__ = [
    "COUNT", "INT_MAX", "KPMI", "MANAGER", "METRICS", "PERCENT", "SUBJECT_SCANS", "THOUSAND_RUPIAH", "WORK_KINDS",
    "CountsQuery", "Metric", "metric_choices", "metrics_of", "shared_scans", "subjects",
]  # fmt: skip


METRICS: dict[str, Metric] = {
    metric.code: metric
    for metric in [
        Metric(
            code="new_members",
            association=Association.Code.COMMUNITIES,
            subject=KPMI,
            label=_("New members"),
            default_target=10,
            per_subject=lambda s, e: _grouped(_new_members(s, e), "kpmi_id"),
            per_month=lambda s, e: _monthly(_new_members(s, e), "joined_on"),
            records=lambda kpmi, s, e: _new_members(s, e).filter(kpmi=kpmi).order_by("joined_on", "full_name"),
            records_template="associations/records/members.html",
        ),
        Metric(
            code="new_trainers",
            association=Association.Code.COMMUNITIES,
            subject=KPMI,
            label=_("New trainers"),
            default_target=3,
            per_subject=lambda s, e: _grouped(_new_trainers(s, e), "member__kpmi_id"),
            per_month=lambda s, e: _monthly(_new_trainers(s, e), "effective_on"),
            records=lambda kpmi, s, e: (
                _new_trainers(s, e)
                .filter(member__kpmi=kpmi)
                .select_related("member", "recorded_by")
                .order_by("effective_on")
            ),
            records_template="associations/records/level_changes.html",
        ),
        Metric(
            code="new_kpmi",
            association=Association.Code.COMMUNITIES,
            subject=KPMI,
            label=_("New KPMI founded"),
            default_target=1,
            per_subject=lambda s, e: _grouped(_new_kpmi(s, e), "founded_from_id"),
            per_month=lambda s, e: _monthly(_new_kpmi(s, e), "founded_on"),
            records=lambda kpmi, s, e: (
                _new_kpmi(s, e)
                .filter(founded_from=kpmi)
                .select_related("kecamatan", "founded_by")
                .order_by("founded_on")
            ),
            records_template="associations/records/kpmi.html",
        ),
        Metric(
            code="publications",
            association=Association.Code.USERS,
            subject=MANAGER,
            label=_("Publications"),
            default_target=12,
            per_subject=_work_per_member(Kind.PUBLICATION),
            per_month=_work_per_month(Kind.PUBLICATION),
            records=_work_records(Kind.PUBLICATION),
            records_template="associations/records/activities.html",
        ),
        Metric(
            code="education",
            association=Association.Code.USERS,
            subject=MANAGER,
            label=_("ICT education sessions"),
            default_target=6,
            per_subject=_work_per_member(Kind.EDUCATION),
            per_month=_work_per_month(Kind.EDUCATION),
            records=_work_records(Kind.EDUCATION),
            records_template="associations/records/activities.html",
        ),
        Metric(
            code="deployments",
            association=Association.Code.PLATFORM,
            subject=MANAGER,
            label=_("ICT deployments"),
            default_target=2,
            per_subject=_work_per_member(Kind.DEPLOYMENT),
            per_month=_work_per_month(Kind.DEPLOYMENT),
            records=_work_records(Kind.DEPLOYMENT),
            records_template="associations/records/activities.html",
        ),
        Metric(
            code="active_businesses",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Pioneers running a business"),
            default_target=2,
            per_subject=_pioneers_per_kpmi,
            per_month=_pioneers_per_month,
            records=lambda kpmi, s, e: (
                _active_businesses(s, e).filter(kpmi=kpmi).select_related("owner").order_by("started_on", "name")
            ),
            records_template="associations/records/businesses.html",
        ),
        Metric(
            code="paid_services",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Paid services delivered"),
            default_target=12,
            per_subject=lambda s, e: _grouped(_services(s, e, free=False), "kpmi_id"),
            per_month=_services_per_month(free=False),
            records=_order_records(free=False),
            records_template="associations/records/orders.html",
            scan=("orders", 1),
        ),
        Metric(
            code="free_services",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Free services to eligible clients"),
            default_target=12,
            per_subject=lambda s, e: _grouped(_services(s, e, free=True), "kpmi_id"),
            per_month=_services_per_month(free=True),
            records=_order_records(free=True),
            records_template="associations/records/orders.html",
            scan=("orders", 2),
        ),
        Metric(
            code="business_income",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Business contributions"),
            default_target=1200,  # Rp 1.200.000 a year: Rp 100.000 a month
            per_subject=_contributions_per_kpmi,
            per_month=_contributions_per_month,
            records=_posting_records([Category.BUSINESS_CONTRIBUTION]),
            records_template="associations/records/postings.html",
            scan=("money", 1),
            unit=THOUSAND_RUPIAH,
        ),
        Metric(
            code="operations_coverage",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Operations coverage"),
            default_target=50,
            per_subject=_coverage_per_kpmi,
            per_month=_coverage_per_month,
            records=_posting_records(EARNED_AND_COSTS),
            records_template="associations/records/postings.html",
            scan=("money", 2),
            unit=PERCENT,
        ),
        Metric(
            code="articles_published",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Articles published"),
            default_target=6,
            per_subject=lambda s, e: _grouped(_articles_published(s, e), "author__kpmi_id"),
            per_month=lambda s, e: _monthly(_articles_published(s, e), "first_published_at"),
            records=lambda kpmi, s, e: (
                _articles_published(s, e)
                .filter(author__kpmi=kpmi)
                .select_related("author", "category")
                .order_by("first_published_at", "pk")
            ),
            records_template="associations/records/articles.html",
        ),
        Metric(
            code="content_sales",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Content sales"),
            default_target=2,
            per_subject=lambda s, e: _grouped(_content_sales(s, e), "kpmi_id"),
            per_month=lambda s, e: _monthly(_content_sales(s, e), "date"),
            records=lambda kpmi, s, e: (
                _content_sales(s, e)
                .filter(kpmi=kpmi)
                .select_related("article", "buyer", "author")
                .order_by("date", "pk")
            ),
            records_template="associations/records/sales.html",
        ),
        Metric(
            code="content_revenue_to_pioneers",
            association=Association.Code.ENTREPRENEURS,
            subject=KPMI,
            label=pgettext_lazy("association metric", "Content revenue to pioneers"),
            default_target=300,  # Rp 300.000 a year to the group's pioneer writers
            per_subject=_revenue_to_pioneers_per_kpmi,
            per_month=_revenue_to_pioneers_per_month,
            records=lambda kpmi, s, e: (
                _pioneer_earnings(s, e)
                .filter(sale__kpmi=kpmi)
                .select_related("author", "sale__article", "sale__buyer")
                .order_by("date", "pk")
            ),
            records_template="associations/records/earnings.html",
            unit=THOUSAND_RUPIAH,
        ),
    ]
}


def metrics_of(association_code: str) -> list[Metric]:
    return [m for m in METRICS.values() if m.association == association_code]


def metric_choices(association_code: str | None = None) -> list[tuple[str, Promise]]:
    return [(m.code, m.label) for m in METRICS.values() if association_code in (None, m.association)]


def subjects(metric: Metric) -> QuerySet:
    """Who a metric is evaluated for: every group that is not dissolved, or every manager
    (pengelola) of such a group. Rows of (subject id, KPMI id, kecamatan id)."""
    if metric.subject == KPMI:
        return Kpmi.objects.exclude(status=Kpmi.Status.DISSOLVED).order_by("pk").values_list("pk", "pk", "kecamatan_id")
    return (
        Member.objects.filter(level=Level.MANAGER)
        .exclude(kpmi__status=Kpmi.Status.DISSOLVED)
        .order_by("pk")
        .values_list("pk", "kpmi_id", "kpmi__kecamatan_id")
    )
