"""The raw-SQL floors the benchmark compares with: the smallest hand-written SQL that returns the
numbers the evaluation stores and the dashboard shows, computed from the logged data."""

from __future__ import annotations

from django.db import connection

from associations.metrics import KPMI, METRICS, Metric
from associations.models import MonthlyActual, Period, Target, TargetResult

# Per metric: the subject's actual over [start, end], as (subject id, n), and the month series.
ACTUALS = {
    "new_members": "SELECT kpmi_id, count(*) FROM members_member WHERE joined_on BETWEEN %s AND %s GROUP BY 1",
    "new_trainers": (
        "SELECT m.kpmi_id, count(*) FROM members_levelchange c JOIN members_member m ON m.id = c.member_id "
        "WHERE c.kind = 'promotion' AND c.to_level = 2 AND c.effective_on BETWEEN %s AND %s GROUP BY 1"
    ),
    "new_kpmi": (
        "SELECT founded_from_id, count(*) FROM members_kpmi "
        "WHERE founded_from_id IS NOT NULL AND founded_on BETWEEN %s AND %s GROUP BY 1"
    ),
}
MONTHLY = {
    "new_members": "SELECT date_trunc('month', joined_on)::date, count(*) FROM members_member WHERE joined_on BETWEEN %s AND %s GROUP BY 1",
    "new_trainers": (
        "SELECT date_trunc('month', effective_on)::date, count(*) FROM members_levelchange "
        "WHERE kind = 'promotion' AND to_level = 2 AND effective_on BETWEEN %s AND %s GROUP BY 1"
    ),
    "new_kpmi": (
        "SELECT date_trunc('month', founded_on)::date, count(*) FROM members_kpmi "
        "WHERE founded_from_id IS NOT NULL AND founded_on BETWEEN %s AND %s GROUP BY 1"
    ),
}
# The Entrepreneurs association's, from the entrepreneurship tables (money as whole thousands of
# Rupiah and coverage as a whole percent, as associations.metrics stores them).
EARNED = "('service_income', 'business_contribution')"
COSTS = "('rent', 'internet', 'electricity', 'equipment', 'transport', 'other_cost')"
ACTUALS |= {
    "active_businesses": (
        "SELECT kpmi_id, count(DISTINCT owner_id) FROM entrepreneurship_business "
        "WHERE (closed_on IS NULL OR closed_on >= %s) AND started_on <= %s GROUP BY 1"
    ),
    "paid_services": (
        "SELECT kpmi_id, count(*) FROM entrepreneurship_order "
        "WHERE date BETWEEN %s AND %s AND payment_status <> 'cancelled' AND total > 0 GROUP BY 1"
    ),
    "free_services": (
        "SELECT kpmi_id, count(*) FROM entrepreneurship_order "
        "WHERE date BETWEEN %s AND %s AND payment_status <> 'cancelled' AND is_free GROUP BY 1"
    ),
    "business_income": (
        "SELECT kpmi_id, GREATEST(floor(sum(amount) / 1000), 0)::int FROM entrepreneurship_posting "
        "WHERE category = 'business_contribution' AND date BETWEEN %s AND %s GROUP BY 1"
    ),
    "operations_coverage": (
        "SELECT kpmi_id, GREATEST(LEAST(floor(earned * 100 / costs), 999), 0)::int FROM ("  # nosec B608 - constants
        f"  SELECT kpmi_id, coalesce(sum(amount) FILTER (WHERE category IN {EARNED}), 0) AS earned,"
        f"         -coalesce(sum(amount) FILTER (WHERE category IN {COSTS}), 0) AS costs"
        "   FROM entrepreneurship_posting WHERE date BETWEEN %s AND %s GROUP BY 1) x WHERE costs > 0"
    ),
}
MONTHLY |= {
    "active_businesses": (
        "SELECT m::date, count(DISTINCT b.owner_id) FROM generate_series(%s::date, %s::date, interval '1 month') m "
        "JOIN entrepreneurship_business b ON b.started_on < m + interval '1 month' "
        "AND (b.closed_on IS NULL OR b.closed_on >= m) GROUP BY 1"
    ),
    "paid_services": (
        "SELECT date_trunc('month', date)::date, count(*) FROM entrepreneurship_order "
        "WHERE date BETWEEN %s AND %s AND payment_status <> 'cancelled' AND total > 0 GROUP BY 1"
    ),
    "free_services": (
        "SELECT date_trunc('month', date)::date, count(*) FROM entrepreneurship_order "
        "WHERE date BETWEEN %s AND %s AND payment_status <> 'cancelled' AND is_free GROUP BY 1"
    ),
    "business_income": (
        "SELECT date_trunc('month', date)::date, GREATEST(floor(sum(amount) / 1000), 0)::int "
        "FROM entrepreneurship_posting WHERE category = 'business_contribution' AND date BETWEEN %s AND %s GROUP BY 1"
    ),
    "operations_coverage": (
        "SELECT m, GREATEST(LEAST(floor(earned * 100 / costs), 999), 0)::int FROM ("  # nosec B608 - constants
        f"  SELECT date_trunc('month', date)::date AS m,"
        f"         coalesce(sum(amount) FILTER (WHERE category IN {EARNED}), 0) AS earned,"
        f"         -coalesce(sum(amount) FILTER (WHERE category IN {COSTS}), 0) AS costs"
        "   FROM entrepreneurship_posting WHERE date BETWEEN %s AND %s GROUP BY 1) x WHERE costs > 0"
    ),
}
# Its content figures (#13), from Garut Citizen Journalism's tables: an article counts on the day of
# Garut (Asia/Jakarta) it was first published; revenue is pioneer authors' earnings from sales, net of
# cancellations, in whole thousands of Rupiah.
PUBLISHED_ON = "(first_published_at AT TIME ZONE 'Asia/Jakarta')::date"
PIONEER_EARNINGS = (
    "FROM citizen_journalism_earning e JOIN citizen_journalism_sale s ON s.id = e.sale_id "
    "JOIN members_member m ON m.id = e.author_id "
    "WHERE e.kind IN ('sale', 'cancelled') AND m.level = 4 AND e.date BETWEEN %s AND %s GROUP BY 1"
)
THOUSANDS = "LEAST(GREATEST(floor(sum(e.amount) / 1000), 0), 2147483647)::int"
ACTUALS |= {
    "articles_published": (
        "SELECT m.kpmi_id, count(*) FROM citizen_journalism_article a JOIN members_member m ON m.id = a.author_id "
        f"WHERE {PUBLISHED_ON} BETWEEN %s AND %s GROUP BY 1"  # nosec B608 - constants
    ),
    "content_sales": (
        "SELECT kpmi_id, count(*) FROM citizen_journalism_sale "
        "WHERE date BETWEEN %s AND %s AND cancelled_at IS NULL GROUP BY 1"
    ),
    "content_revenue_to_pioneers": f"SELECT s.kpmi_id, {THOUSANDS} {PIONEER_EARNINGS}",  # nosec B608 - constants
}
MONTHLY |= {
    "articles_published": (
        f"SELECT date_trunc('month', {PUBLISHED_ON})::date, count(*) FROM citizen_journalism_article "  # nosec B608
        f"WHERE {PUBLISHED_ON} BETWEEN %s AND %s GROUP BY 1"
    ),
    "content_sales": (
        "SELECT date_trunc('month', date)::date, count(*) FROM citizen_journalism_sale "
        "WHERE date BETWEEN %s AND %s AND cancelled_at IS NULL GROUP BY 1"
    ),
    "content_revenue_to_pioneers": (
        f"SELECT date_trunc('month', e.date)::date, {THOUSANDS} {PIONEER_EARNINGS}"  # nosec B608 - constants
    ),
}
WORK_KIND = {"publications": "publication", "education": "education", "deployments": "deployment"}
WORK_ACTUALS = (
    "SELECT member_id, count(*) FROM programs_activitycredit "
    "WHERE status = 'approved' AND kind = %s AND date BETWEEN %s AND %s GROUP BY 1"
)
WORK_MONTHLY = (
    "SELECT date_trunc('month', date)::date, count(*) FROM programs_activity "
    "WHERE status = 'approved' AND kind = %s AND date BETWEEN %s AND %s GROUP BY 1"
)


def _actual_sql(metric: Metric, period: Period) -> tuple[str, list]:
    if metric.code in WORK_KIND:
        return WORK_ACTUALS, [WORK_KIND[metric.code], period.start, period.end]
    return ACTUALS[metric.code], [period.start, period.end]


def _monthly_sql(metric: Metric, period: Period) -> tuple[str, list]:
    if metric.code in WORK_KIND:
        return WORK_MONTHLY, [WORK_KIND[metric.code], period.start, period.end]
    return MONTHLY[metric.code], [period.start, period.end]


def evaluation(period: Period) -> dict[str, tuple[dict, dict]]:
    """Every metric's actual per subject and per month: what the evaluation has to find out."""
    out = {}
    with connection.cursor() as cursor:
        for code in Target.objects.filter(period=period).values_list("metric", flat=True).distinct():
            metric = METRICS[code]
            cursor.execute(*_actual_sql(metric, period))
            per_subject = dict(cursor.fetchall())
            cursor.execute(*_monthly_sql(metric, period))
            out[code] = (per_subject, dict(cursor.fetchall()))
    return out


def check_evaluation(period: Period) -> None:
    """The stored results hold the same numbers as the floor (else the comparison means nothing)."""
    for code, (per_subject, _monthly) in evaluation(period).items():
        metric = METRICS[code]
        key = "kpmi_id" if metric.subject == KPMI else "member_id"
        for subject, actual in TargetResult.objects.filter(period=period, metric=code).values_list(key, "actual"):
            assert per_subject.get(subject, 0) == actual, (code, subject, actual, per_subject.get(subject))
        stored = MonthlyActual.objects.filter(period=period, metric=code).values_list("month", "actual")
        assert {m: n for m, n in stored if n} == {m: n for m, n in _monthly.items() if n}, code


def dashboard(period: Period, metric: Metric) -> tuple:
    """The dashboard's numbers straight from the logged data: the first page of subjects sorted by
    ratio, the totals, the sums per district, and the month series (two statements)."""
    default = Target.objects.get(period=period, metric=metric.code, kpmi=None, member=None).value
    actual_sql, params = _actual_sql(metric, period)
    if metric.subject == KPMI:
        subjects = "SELECT k.id, k.id AS kpmi_id, k.kecamatan_id FROM members_kpmi k WHERE k.status <> 'dissolved'"
    else:
        subjects = (
            "SELECT m.id, m.kpmi_id, k.kecamatan_id FROM members_member m JOIN members_kpmi k ON k.id = m.kpmi_id "
            "WHERE m.level = 3 AND k.status <> 'dissolved'"
        )
    sql = f"""
        WITH actual(id, n) AS ({actual_sql}),
        subj AS (
            SELECT s.id, s.kpmi_id, s.kecamatan_id, COALESCE(a.n, 0) AS n
            FROM ({subjects}) s LEFT JOIN actual a ON a.id = s.id
        )
        SELECT
          (SELECT json_agg(p) FROM (
              SELECT id, kpmi_id, kecamatan_id, n FROM subj ORDER BY n, id LIMIT 25) p),
          (SELECT json_build_object('actual', sum(n), 'subjects', count(*),
                                    'achieved', count(*) FILTER (WHERE n >= %s)) FROM subj),
          (SELECT json_agg(k) FROM (SELECT kecamatan_id, sum(n) AS n FROM subj GROUP BY 1 ORDER BY 1) k)
    """  # nosec B608  # this module's SQL and a compiled queryset; the values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, default])
        numbers = cursor.fetchone()
        cursor.execute(*_monthly_sql(metric, period))
        return numbers, cursor.fetchall()


def dashboard_stored(period: Period, metric: Metric) -> tuple:
    """The same numbers read from the stored results, in hand-written SQL: what the page itself
    reads, without Django (ORM, template, middleware)."""
    with connection.cursor() as cursor:
        args = [period.pk, metric.code]
        cursor.execute(
            "SELECT r.id, r.target, r.actual, r.ratio, r.status, k.name, m.full_name, c.name "
            "FROM associations_targetresult r JOIN members_kpmi k ON k.id = r.kpmi_id "
            "LEFT JOIN members_member m ON m.id = r.member_id JOIN members_kecamatan c ON c.code = r.kecamatan_id "
            "WHERE r.period_id = %s AND r.metric = %s ORDER BY r.ratio, k.name, m.full_name, r.id LIMIT 25",
            args,
        )
        page = cursor.fetchall()
        cursor.execute(
            "SELECT sum(target), sum(actual), count(*), count(*) FILTER (WHERE status = 'achieved') "
            "FROM associations_targetresult WHERE period_id = %s AND metric = %s",
            args,
        )
        totals = cursor.fetchone()
        cursor.execute(
            "SELECT c.name, sum(r.actual), sum(r.target) FROM associations_targetresult r "
            "JOIN members_kecamatan c ON c.code = r.kecamatan_id WHERE r.period_id = %s AND r.metric = %s "
            "GROUP BY 1 ORDER BY 1",
            args,
        )
        by_kecamatan = cursor.fetchall()
        cursor.execute(
            "SELECT month, actual FROM associations_monthlyactual WHERE period_id = %s AND metric = %s ORDER BY month",
            args,
        )
        return page, totals, by_kecamatan, cursor.fetchall()


# --- the award shortlist ------------------------------------------------------------------------------
# Per achievement, what is counted for a member and for a KPMI: (FROM and WHERE, subject, date).
SHORTLIST_COUNTED = {
    ("trainers", False): (
        "members_levelchange x JOIN members_member t ON t.id = x.member_id WHERE x.kind = 'promotion' AND x.to_level = 2",
        "t.trained_by_id",
        "x.effective_on",
    ),
    ("trainers", True): (
        "members_levelchange x JOIN members_member t ON t.id = x.member_id WHERE x.kind = 'promotion' AND x.to_level = 2",
        "t.kpmi_id",
        "x.effective_on",
    ),
    ("kpmi_founded", False): ("members_kpmi x WHERE x.founded_by_id IS NOT NULL", "x.founded_by_id", "x.founded_on"),
    ("kpmi_founded", True): ("members_kpmi x WHERE x.founded_from_id IS NOT NULL", "x.founded_from_id", "x.founded_on"),
}
for _achievement, _kind in (("publications", "publication"), ("education", "education"), ("deployments", "deployment")):
    SHORTLIST_COUNTED[(_achievement, False)] = (
        f"programs_activitycredit x WHERE x.status = 'approved' AND x.kind = '{_kind}'",
        "x.member_id",
        "x.date",
    )
    SHORTLIST_COUNTED[(_achievement, True)] = (
        f"programs_activitykpmi x WHERE x.status = 'approved' AND x.kind = '{_kind}'",
        "x.kpmi_id",
        "x.date",
    )

SHORTLIST_MEMBERS = """
WITH c AS (
    SELECT {subject} AS subject, count(*) FILTER (WHERE {date} >= %(start)s) AS score,
           count(*) FILTER (WHERE {date} < %(start)s) AS previous
    FROM {counted} AND {date} BETWEEN %(previous_start)s AND %(end)s GROUP BY 1
)
SELECT c.subject, m.kpmi_id, c.score, c.previous FROM c JOIN members_member m ON m.id = c.subject
WHERE c.score >= %(min_count)s AND c.score - c.previous >= %(min_increase)s
  AND (SELECT lc.to_level FROM members_levelchange lc WHERE lc.member_id = m.id AND lc.effective_on <= %(end)s
       ORDER BY lc.effective_on DESC, lc.recorded_at DESC, lc.id DESC LIMIT 1) = %(level)s
ORDER BY c.score DESC, c.score - c.previous DESC, m.joined_on, m.id LIMIT %(n)s
"""
SHORTLIST_SUPERVISORS = """
WITH c AS (
    SELECT {subject} AS subject, count(*) FILTER (WHERE {date} >= %(start)s) AS score,
           count(*) FILTER (WHERE {date} < %(start)s) AS previous
    FROM {counted} AND {date} BETWEEN %(previous_start)s AND %(end)s GROUP BY 1
)
SELECT DISTINCT ON (r.user_id) r.user_id, r.kpmi_id, c.score, c.previous, r.since
FROM c JOIN members_kpmirole r ON r.kpmi_id = c.subject JOIN members_user u ON u.id = r.user_id
WHERE r.role = 'supervisor' AND u.is_active AND (r.since IS NULL OR r.since <= %(end)s)
  AND c.score >= %(min_count)s AND c.score - c.previous >= %(min_increase)s
ORDER BY r.user_id, c.score DESC, c.score - c.previous DESC, r.since IS NULL, r.since, r.kpmi_id
"""


def shortlist(award_round) -> dict[int, list[tuple[int, int, int, int]]]:
    """Every category's finalists, best first, as (member or supervisor id, KPMI id, score, previous):
    per category one statement over the round's year and the year before."""
    import datetime as dt

    out = {}
    year = award_round.year
    with connection.cursor() as cursor:
        for category in award_round.categories.order_by("position", "pk"):
            counted, subject, date = SHORTLIST_COUNTED[(category.achievement, category.is_supervisor)]
            params = {
                "start": dt.date(year, 1, 1),
                "end": dt.date(year, 12, 31),
                "previous_start": dt.date(year - 1, 1, 1),
                "min_count": category.min_count,
                "min_increase": category.min_increase if category.min_increase is not None else -(2**31),
                "level": category.level,
                "n": category.finalists_count,
            }
            template = SHORTLIST_SUPERVISORS if category.is_supervisor else SHORTLIST_MEMBERS
            cursor.execute(template.format(counted=counted, subject=subject, date=date), params)
            rows = cursor.fetchall()
            if category.is_supervisor:
                # Each supervisor once, with their best KPMI; then the best supervisors.
                rows.sort(key=lambda r: (-r[2], -(r[2] - r[3]), r[4] is None, r[4] or dt.date.min, r[0]))
                rows = [r[:4] for r in rows[: category.finalists_count]]
            out[category.pk] = [tuple(r) for r in rows]
    return out


def check_shortlist(award_round) -> None:
    """The stored finalists are the floor's (else the comparison means nothing)."""
    from awards.models import Finalist

    floor = shortlist(award_round)
    for category_id, rows in floor.items():
        stored = [
            (f.member_id or f.supervisor_id, f.kpmi_id, f.score, f.previous)
            for f in Finalist.objects.filter(category_id=category_id).order_by("rank")
        ]
        assert stored == rows, (category_id, stored, rows)
