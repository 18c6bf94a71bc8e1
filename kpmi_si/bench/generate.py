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
