"""Bulk data for the benchmark, generated inside PostgreSQL (generate_series, setseed): a million
activities take seconds this way, where Python-side inserts would take many minutes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Scale:
    name: str
    kpmi: int
    members: int
    activities: int
    years: int = 10
    last_year: int = 2025


SCALES = {
    "garut": Scale("garut", kpmi=300, members=15_000, activities=1_000_000),
    "province": Scale("province", kpmi=3_000, members=150_000, activities=10_000_000),
}

SQL = """
-- Bulk load: the rows are consistent by construction, so skip the per-row foreign-key triggers
-- (deferred until commit, they would cost more than the inserts themselves).
SET session_replication_role = replica;
SELECT setseed(0.2014);

CREATE TEMP TABLE kec AS SELECT array_agg(code ORDER BY code) AS codes FROM members_kecamatan;

INSERT INTO members_kpmi (name, address, founded_on, status, description, created_at, updated_at,
                          kecamatan_id, founded_from_id)
SELECT 'KPMI Bench ' || g, '', DATE '2005-01-01' + (random() * 5800)::int,
       CASE WHEN random() < 0.93 THEN 'active' WHEN random() < 0.7 THEN 'dormant' ELSE 'dissolved' END,
       '', now(), now(), kec.codes[1 + g %% array_length(kec.codes, 1)], NULL
FROM generate_series(1, %(kpmi)s) AS g CROSS JOIN kec;

-- A third of the groups were founded from an older one.
UPDATE members_kpmi SET founded_from_id = id - 7
WHERE id %% 3 = 0 AND id - 7 >= (SELECT min(id) FROM members_kpmi);

CREATE TEMP TABLE kp AS SELECT array_agg(id ORDER BY id) AS ids FROM members_kpmi;

INSERT INTO members_member (full_name, phone, email, gender, birth_year, joined_on, level,
                            created_at, updated_at, kpmi_id)
SELECT 'Anggota ' || g, '', '', CASE WHEN g %% 2 = 0 THEN 'male' ELSE 'female' END,
       1970 + (random() * 38)::int,
       DATE '%(last_year)s-12-31' - (random() * 365 * 12)::int,
       CASE WHEN r < 0.50 THEN 1 WHEN r < 0.78 THEN 2 WHEN r < 0.95 THEN 3 ELSE 4 END,
       now(), now(), kp.ids[1 + (g * 7919) %% %(kpmi)s]
FROM (SELECT g, random() AS r FROM generate_series(1, %(members)s) AS g) s CROSS JOIN kp;

INSERT INTO members_levelchange (kind, from_level, to_level, effective_on, reason, evidence, recorded_at, member_id)
SELECT 'registration', NULL, 1, joined_on, 'bench', '', now(), id FROM members_member;
INSERT INTO members_levelchange (kind, from_level, to_level, effective_on, reason, evidence, recorded_at, member_id)
SELECT 'promotion', l - 1, l, LEAST(joined_on + (l - 1) * (60 + (random() * 300)::int), DATE '%(last_year)s-12-31'),
       'bench', '', now(), m.id
FROM members_member m CROSS JOIN generate_series(2, 4) AS l WHERE l <= m.level;

-- The people who log work: managers and pioneers, and some trainers.
CREATE TEMP TABLE worker AS
SELECT id, kpmi_id, row_number() OVER (ORDER BY id) - 1 AS i
FROM members_member WHERE level >= 3 OR (level = 2 AND id %% 4 = 0);
CREATE UNIQUE INDEX ON worker (i);
ANALYZE worker;

CREATE TEMP TABLE act AS
SELECT g AS n,
       (floor(random() * (SELECT count(*) FROM worker)))::int AS w,
       CASE WHEN r < 0.40 THEN 'publication' WHEN r < 0.70 THEN 'education'
            WHEN r < 0.85 THEN 'deployment' ELSE 'training' END AS kind,
       CASE WHEN s < 0.95 THEN 'approved' WHEN s < 0.98 THEN 'pending' ELSE 'rejected' END AS status,
       DATE '%(first_year)s-01-01' + (random() * (DATE '%(last_year)s-12-31' - DATE '%(first_year)s-01-01'))::int AS day,
       random() < 0.2 AS joint
FROM (SELECT g, random() AS r, random() AS s FROM generate_series(1, %(activities)s) AS g) x;

INSERT INTO programs_activity (id, kind, status, title, date, summary, evidence_url, created_at, updated_at,
                               rejection_reason, kecamatan_id, kpmi_id)
OVERRIDING SYSTEM VALUE
SELECT a.n, a.kind, a.status, a.kind || ' ' || a.n, a.day, '', '', now(), now(),
       CASE WHEN a.status = 'rejected' THEN 'bench' ELSE '' END, k.kecamatan_id, w.kpmi_id
FROM act a JOIN worker w ON w.i = a.w JOIN members_kpmi k ON k.id = w.kpmi_id;
SELECT setval(pg_get_serial_sequence('programs_activity', 'id'), (SELECT max(id) FROM programs_activity));

INSERT INTO programs_activitycredit (position, kind, date, status, activity_id, kpmi_id, member_id)
SELECT 0, a.kind, a.day, a.status, a.n, w.kpmi_id, w.id FROM act a JOIN worker w ON w.i = a.w;
-- A fifth of the work is joint: a second worker, often from another KPMI.
INSERT INTO programs_activitycredit (position, kind, date, status, activity_id, kpmi_id, member_id)
SELECT 1, a.kind, a.day, a.status, a.n, w2.kpmi_id, w2.id
FROM act a JOIN worker w2 ON w2.i = (a.w + 1 + a.n %% 97) %% (SELECT count(*) FROM worker)
WHERE a.joint;

INSERT INTO programs_publication (activity_id, channel, link)
SELECT n, 'website', 'https://example.org/' || n FROM act WHERE kind = 'publication';
INSERT INTO programs_educationsession (activity_id, venue, participants, audience)
SELECT n, 'Balai desa', 5 + n %% 40, 'general' FROM act WHERE kind = 'education';
INSERT INTO programs_deployment (activity_id, deployment_kind, site_type, site_name, beneficiaries, operational_status)
SELECT n, 'network', 'school', 'Sekolah ' || n, 20 + n %% 300, 'in_use' FROM act WHERE kind = 'deployment';
INSERT INTO programs_training (activity_id, venue, trainee_group)
SELECT n, 'Lab', 'new_members' FROM act WHERE kind = 'training';

SET session_replication_role = DEFAULT;
ANALYZE;
"""

# The groups taking part in each activity (programs.ActivityKpmi): the logging group and every
# credited member's group, with the activity's kind, date and status, as programs.services writes them.
GROUPS_SQL = """
INSERT INTO programs_activitykpmi (activity_id, kpmi_id, kind, date, status)
SELECT activity_id, kpmi_id, kind, date, status FROM programs_activitycredit
UNION
SELECT id, kpmi_id, kind, date, status FROM programs_activity;
ANALYZE programs_activitykpmi;
"""


BIG_TABLES = (
    "members_member",
    "members_levelchange",
    "programs_activity",
    "programs_activitycredit",
    "programs_activitykpmi",
)


def _drop_secondary_indexes(cursor) -> list[str]:
    """Plain (non-unique) indexes of the big tables, dropped for the load and rebuilt after: building
    an index once over sorted data is far cheaper than millions of random inserts into it."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
        "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = ANY(%s) AND NOT x.indisunique",
        [list(BIG_TABLES)],
    )
    rows = cursor.fetchall()
    for name, _definition in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def generate(scale: Scale) -> None:
    params = {
        "kpmi": scale.kpmi,
        "members": scale.members,
        "activities": scale.activities,
        "last_year": scale.last_year,
        "first_year": scale.last_year - scale.years + 1,
    }
    with connection.cursor() as cursor:
        definitions = _drop_secondary_indexes(cursor)
        cursor.execute(SQL % params)
        cursor.execute(GROUPS_SQL)
        for definition in definitions:
            cursor.execute(definition)
        cursor.execute("ANALYZE")


def ensure_groups() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM programs_activitykpmi)")
        if not cursor.fetchone()[0]:
            cursor.execute(GROUPS_SQL)


# --- the entrepreneurship part (issue #12): services, orders, businesses, settlements, the ledger ----
# Per KPMI and year about 35 orders (half paid: service income), the operating costs of every month
# (rent, internet, electricity), and one or two pioneers' businesses settled every month (the pledged
# share posted): ~75 postings per KPMI-year, ~225,000 at Garut scale and ~2.2 million at Province.
MONEY_SQL = """
SET session_replication_role = replica;
SELECT setseed(0.1212);

INSERT INTO entrepreneurship_service (kpmi_id, template_id, name, description, unit, work_kind, price, is_active,
                                      created_by_id, created_at, updated_at)
SELECT k.id, t.id, t.name, '', t.unit, t.work_kind, t.suggested_price, true, NULL, now(), now()
FROM members_kpmi k CROSS JOIN entrepreneurship_servicetemplate t;
INSERT INTO entrepreneurship_eligibilityrule (service_id, template_id, client_level, client_category, kecamatan_id,
                                              created_at)
SELECT s.id, NULL, r.client_level, r.client_category, r.kecamatan_id, now()
FROM entrepreneurship_service s JOIN entrepreneurship_eligibilityrule r ON r.template_id = s.template_id;
INSERT INTO entrepreneurship_client (kpmi_id, name, category, kecamatan_id, desa_id, contact, created_at)
SELECT k.id, c.category || ' ' || k.id, c.category, k.kecamatan_id, NULL, '', now()
FROM members_kpmi k CROSS JOIN (VALUES ('school'), ('target_community'), ('government')) AS c(category);

CREATE TEMP TABLE kpx AS
SELECT row_number() OVER (ORDER BY k.id) - 1 AS i, k.id AS kpmi_id,
       (SELECT s.id FROM entrepreneurship_service s WHERE s.kpmi_id = k.id AND s.work_kind = 'training') AS training,
       (SELECT s.id FROM entrepreneurship_service s WHERE s.kpmi_id = k.id AND s.work_kind = 'deployment') AS deployment,
       (SELECT c.id FROM entrepreneurship_client c WHERE c.kpmi_id = k.id AND c.category = 'school') AS school,
       (SELECT c.id FROM entrepreneurship_client c WHERE c.kpmi_id = k.id AND c.category = 'target_community') AS community,
       (SELECT array_agg(m.id) FROM members_member m WHERE m.kpmi_id = k.id AND m.level = 1) AS candidates,
       (SELECT array_agg(m.id) FROM members_member m WHERE m.kpmi_id = k.id AND m.level >= 3) AS pioneers
FROM members_kpmi k;
CREATE UNIQUE INDEX ON kpx (i);
ANALYZE kpx;

-- Orders: 40 in 100 paid trainings for schools, 15 paid deployments, 25 free trainings for trainer
-- candidates, 15 free deployments for the target community, 5 cancelled.
CREATE TEMP TABLE ord AS
SELECT g AS id, x.kpmi_id, r,
       DATE '%(first_year)s-01-01' + (random() * (DATE '%(last_year)s-12-31' - DATE '%(first_year)s-01-01'))::int AS day,
       1 + (random() * 9)::int AS quantity, x.training, x.deployment, x.school, x.community, x.candidates
FROM (SELECT g, random() AS r, (g::bigint * 7919) %% %(kpmi)s AS i FROM generate_series(1, %(orders)s) AS g) s
JOIN kpx x ON x.i = s.i;

INSERT INTO entrepreneurship_order (id, kpmi_id, service_id, member_id, client_id, quantity, date, unit_price, total,
    is_free, free_rule_id, price_reason, override_reason, payment_status, payment_method, paid_on, receipt_number,
    delivered_on, activity_id, note, created_by_id, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT o.id, o.kpmi_id,
       CASE WHEN o.r < 0.40 OR (o.r >= 0.55 AND o.r < 0.80) THEN o.training ELSE o.deployment END,
       CASE WHEN o.r >= 0.55 AND o.r < 0.80 AND o.candidates IS NOT NULL
            THEN o.candidates[1 + o.id %% array_length(o.candidates, 1)] END,
       CASE WHEN o.r >= 0.55 AND o.r < 0.80 AND o.candidates IS NOT NULL THEN NULL
            WHEN o.r >= 0.80 AND o.r < 0.95 THEN o.community ELSE o.school END,
       CASE WHEN o.r < 0.55 OR o.r >= 0.95 THEN o.quantity ELSE 1 END, o.day,
       p.unit_price, p.unit_price * CASE WHEN o.r < 0.55 OR o.r >= 0.95 THEN o.quantity ELSE 1 END,
       p.unit_price = 0, NULL, 'bench', '',
       CASE WHEN o.r >= 0.95 THEN 'cancelled' WHEN p.unit_price = 0 THEN 'waived' ELSE 'paid' END,
       CASE WHEN p.unit_price = 0 OR o.r >= 0.95 THEN '' ELSE 'cash' END,
       CASE WHEN p.unit_price > 0 AND o.r < 0.95 THEN o.day END,
       row_number() OVER (PARTITION BY o.kpmi_id ORDER BY o.day, o.id), o.day, NULL, '', NULL, now(), now()
FROM ord o
CROSS JOIN LATERAL (SELECT CASE WHEN (o.r >= 0.55 AND o.r < 0.80 AND o.candidates IS NOT NULL)
                                  OR (o.r >= 0.80 AND o.r < 0.95) THEN 0
                                WHEN o.r < 0.40 OR o.r >= 0.95 THEN 150000 ELSE 500000 END::numeric(14, 2)
                           AS unit_price) p;
SELECT setval(pg_get_serial_sequence('entrepreneurship_order', 'id'), (SELECT max(id) FROM entrepreneurship_order));
INSERT INTO entrepreneurship_receiptsequence (kpmi_id, last)
SELECT kpmi_id, max(receipt_number) FROM entrepreneurship_order GROUP BY 1;

-- Pioneers' businesses: one or two per group, started in the first years, a fifth closed later.
INSERT INTO entrepreneurship_business (kpmi_id, owner_id, name, kind, started_on, closed_on, pledged_share,
                                       created_by_id, created_at, updated_at)
SELECT x.kpmi_id, x.pioneers[1 + (n - 1) %% array_length(x.pioneers, 1)], 'Usaha ' || x.kpmi_id || '-' || n,
       'repair', s.started, CASE WHEN random() < 0.2 THEN s.started + 365 + (random() * 2500)::int END,
       (5 + (random() * 20)::int)::numeric(5, 2), NULL, now(), now()
FROM kpx x CROSS JOIN generate_series(1, 2) AS n
CROSS JOIN LATERAL (SELECT DATE '%(first_year)s-01-01' + (random() * 1100)::int + n AS started) s
WHERE x.pioneers IS NOT NULL AND (n = 1 OR random() < 0.5);

INSERT INTO entrepreneurship_businesssettlement (business_id, month, income, costs, contribution, settled_by_id,
                                                 settled_at)
SELECT b.id, m::date, s.income, s.costs,
       floor(GREATEST(s.income - s.costs, 0) * b.pledged_share / 100), NULL, now()
FROM entrepreneurship_business b
CROSS JOIN LATERAL generate_series(date_trunc('month', b.started_on),
                                   LEAST(COALESCE(b.closed_on, DATE '%(last_year)s-12-31'), DATE '%(last_year)s-12-31'),
                                   interval '1 month') AS m
CROSS JOIN LATERAL (SELECT (1000000 + (random() * 3000000)::int)::numeric(14, 2) AS income,
                           (800000 + (random() * 2200000)::int)::numeric(14, 2) AS costs) s
WHERE b.id > 0;

-- The ledger: payments of paid orders, contributions of settled months, every month's operating costs.
INSERT INTO entrepreneurship_posting (kpmi_id, date, category, amount, description, order_id, settlement_id,
                                      reverses_id, created_by_id, created_at)
SELECT kpmi_id, paid_on, 'service_income'::varchar, total, 'bench'::varchar, id, NULL::bigint, NULL::bigint,
       NULL::integer, now()
FROM entrepreneurship_order WHERE payment_status = 'paid'
UNION ALL
SELECT b.kpmi_id, (s.month + interval '1 month')::date, 'business_contribution', s.contribution, 'bench', NULL, s.id,
       NULL, NULL, now()
FROM entrepreneurship_businesssettlement s JOIN entrepreneurship_business b ON b.id = s.business_id
WHERE s.contribution > 0
UNION ALL
SELECT x.kpmi_id, (m + interval '1 month' - interval '1 day')::date, c.category,
       -(c.low + (random() * c.low)::int)::numeric(14, 2), 'bench', NULL, NULL, NULL, NULL, now()
FROM kpx x
CROSS JOIN generate_series(DATE '%(first_year)s-01-01', DATE '%(last_year)s-12-01', interval '1 month') AS m
CROSS JOIN (VALUES ('rent', 500000), ('internet', 250000), ('electricity', 100000)) AS c(category, low);
-- A mistake now and then, corrected by a reversal (same category, opposite amount).
INSERT INTO entrepreneurship_posting (kpmi_id, date, category, amount, description, order_id, settlement_id,
                                      reverses_id, created_by_id, created_at)
SELECT kpmi_id, date + 3, category, -amount, 'bench reversal', order_id, settlement_id, id, NULL, now()
FROM entrepreneurship_posting WHERE id %% 97 = 0;

SET session_replication_role = DEFAULT;
"""

MONEY_TABLES = ("entrepreneurship_order", "entrepreneurship_posting", "entrepreneurship_businesssettlement")


def generate_money(scale: Scale) -> None:
    """The entrepreneurship part, once per database (a database generated before it gets it now)."""
    params = {
        "kpmi": scale.kpmi,
        "orders": scale.kpmi * 35 * scale.years,
        "last_year": scale.last_year,
        "first_year": scale.last_year - scale.years + 1,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM entrepreneurship_posting)")
        if cursor.fetchone()[0]:
            return
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = ANY(%s) AND NOT x.indisunique",
            [list(MONEY_TABLES)],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        try:
            cursor.execute(MONEY_SQL % params)
        finally:
            for _name, definition in indexes:
                cursor.execute(definition)
        cursor.execute(
            "VACUUM ANALYZE entrepreneurship_order, entrepreneurship_posting, entrepreneurship_business, "
            "entrepreneurship_businesssettlement"
        )
