"""The content part of the benchmark (issue #13): Garut Citizen Journalism's public site over a bench
database. `ensure_content` generates the articles once, in bulk SQL inside PostgreSQL like the rest of
the bench data; `measure` times the public front page, the busiest category's page and a search for
a common word as an anonymous reader sees them, against the raw-SQL floor of each page: the smallest
hand-written SQL that fetches the rows the page shows (the same columns the cards use, the same order
and limit, the same count for "page 1 of N")."""

from __future__ import annotations

import math
import re
import statistics
import time
from collections.abc import Callable

from django.db import connection

# Published articles per scale (the issue: 200,000 at Province scale); a tenth as many again in the
# newsroom's other states (drafts, in review, scheduled, rejected) that the public pages must leave out.
PUBLISHED = {"garut": 20_000, "province": 200_000}
SEARCH_WORD = "internet"
PAGE_SIZE = 12  # citizen_journalism.views.public.FRONT_PAGE_SIZE

# Eight rubrics (the migration's categories in position order), eight subjects each, and how often a
# writer picks each rubric: village news and the KPMI's own doings most, health least.
# fmt: off
TOPICS = [
    ["musyawarah desa", "jalan desa", "balai desa", "saluran irigasi", "kerja bakti", "bantuan sosial",
     "pemilihan kepala desa", "hari jadi desa"],
    ["jaringan internet", "wifi sekolah", "komputer bekas", "aplikasi desa", "website desa", "keamanan data",
     "servis laptop", "literasi digital"],
    ["perpustakaan sekolah", "kelas komputer", "beasiswa pelajar", "ujian sekolah", "pelatihan guru",
     "taman baca", "les bahasa Inggris", "sekolah alam"],
    ["pemasaran online", "koperasi desa", "kerajinan kulit", "dodol Garut", "pasar kaget", "toko daring",
     "pembukuan usaha", "produk lokal"],
    ["panen padi", "jeruk Garut", "kopi Papandayan", "pupuk organik", "sawah terasering", "kebun sayur",
     "irigasi tetes", "harga gabah"],
    ["pencak silat", "festival budaya", "wisata Papandayan", "batik Garutan", "kesenian sisingaan",
     "air panas Cipanas", "kampung adat Pulo", "domba Garut"],
    ["posyandu balita", "vaksinasi anak", "air bersih", "gizi keluarga", "puskesmas keliling", "senam lansia",
     "pencegahan stunting", "demam berdarah"],
    ["pelatihan relawan", "servis komputer gratis", "lomba desain", "rapat anggota", "kunjungan sekolah",
     "kelas internet sehat", "pelantikan pengurus", "pemasangan jaringan"],
]
TOPIC_SHARE = [0.25, 0.15, 0.12, 0.10, 0.08, 0.07, 0.05, 0.18]
SUBJECTS = ["Warga", "Pemuda", "Relawan KPMI", "Siswa SMK", "Petani", "Ibu-ibu PKK", "Karang Taruna",
            "Perangkat desa", "Guru", "Pelaku UMKM", "Mahasiswa", "Kelompok tani"]
VERBS = ["menggelar", "mengikuti", "membangun", "memperbaiki", "meresmikan", "membahas", "mengembangkan",
         "memasang", "merayakan", "mendukung", "memperkenalkan", "mengajarkan"]
TAILS = ["bersama warga", "pada akhir pekan", "dengan semangat gotong royong", "di balai desa", "sejak pagi hari",
         "dengan dukungan pemerintah desa", "untuk pertama kalinya", "secara sukarela", "meski hujan deras",
         "bersama relawan KPMI"]
FILLERS = [
    "Kegiatan ini diharapkan terus berlanjut setiap tahun.",
    "Menurut panitia, jumlah peserta melebihi perkiraan.",
    "Warga menyambut baik kegiatan tersebut.",
    "Acara ditutup dengan makan bersama dan doa.",
    "Kepala desa menyampaikan terima kasih kepada semua pihak.",
    "Beberapa peserta mengaku baru pertama kali ikut.",
    "Panitia berencana mengadakan kegiatan serupa di desa tetangga.",
    "Hasilnya akan dilaporkan dalam musyawarah berikutnya.",
    "Biaya kegiatan berasal dari swadaya masyarakat.",
    "Relawan KPMI mendampingi peserta hingga selesai.",
]
# fmt: on


def _array(words: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + w.replace("'", "''") + "'" for w in words) + "]"


def _topic_case() -> str:
    """A random rubric (1-8) by TOPIC_SHARE, from the row's random number r."""
    parts, total = [], 0.0
    for i, share in enumerate(TOPIC_SHARE[:-1], start=1):
        total += share
        parts.append(f"WHEN r < {total:.2f} THEN {i}")
    return f"CASE {' '.join(parts)} ELSE {len(TOPIC_SHARE)} END"


# One sentence of a story about rubric t.topic: a subject, a verb, a thing of the rubric (now and then
# of another rubric, as stories wander), a circumstance; or a stock sentence.
SENTENCE = (
    "CASE WHEN random() < 0.25 THEN v.filler[1 + floor(random() * 10)::int] "
    "ELSE v.subj[1 + floor(random() * 12)::int] || ' ' || v.verb[1 + floor(random() * 12)::int] || ' ' || "
    "CASE WHEN random() < 0.7 THEN v.topic[t.topic][1 + floor(random() * 8)::int] "
    "ELSE v.topic[1 + floor(random() * 8)::int][1 + floor(random() * 8)::int] END || ' ' || "
    "v.tail[1 + floor(random() * 10)::int] || '.' END"
)

CONTENT_SQL = f"""
SET session_replication_role = replica;
SELECT setseed(0.1313);

CREATE TEMP TABLE cj_vocab AS SELECT
    ARRAY[{", ".join(_array(t) for t in TOPICS)}] AS topic,
    {_array(SUBJECTS)} AS subj, {_array(VERBS)} AS verb, {_array(TAILS)} AS tail, {_array(FILLERS)} AS filler;
CREATE TEMP TABLE cj_cat AS
SELECT row_number() OVER (ORDER BY position, id) AS i, id FROM citizen_journalism_category WHERE active;
CREATE TEMP TABLE cj_desa AS SELECT kecamatan_id, array_agg(code ORDER BY code) AS codes FROM members_desa GROUP BY 1;

-- Published: a sample of the approved publications logged in the bench years, each written up as an
-- article by its first credited member (the article is linked to that work record, as publishing
-- links or makes it), published on the day of the work. Ids follow publication, as in a live site.
CREATE TEMP TABLE cj_pub AS
SELECT a.id AS activity_id, c.member_id AS author_id, a.kecamatan_id, a.date AS day
FROM programs_activity a JOIN programs_activitycredit c ON c.activity_id = a.id AND c.position = 0
WHERE a.kind = 'publication' AND a.status = 'approved' AND a.id %% %(step)s = 0
ORDER BY a.id LIMIT %(published)s;
-- The other states: recent work in the newsroom by the same kind of writers, not linked to work yet.
CREATE TEMP TABLE cj_writer AS SELECT array_agg(DISTINCT author_id) AS ids FROM cj_pub;

CREATE TEMP TABLE cj_art AS
SELECT x.*, {_topic_case()} AS topic, (random() * 15 * 3600)::int AS second_of_day,
       CASE WHEN x.public THEN (CASE WHEN s < 0.01 THEN 'correction_submitted' ELSE 'published' END)
            WHEN s < 0.40 THEN 'draft' WHEN s < 0.60 THEN 'submitted' WHEN s < 0.75 THEN 'changes_requested'
            WHEN s < 0.80 THEN 'scheduled' ELSE 'rejected' END AS state,
       x.public AND s >= 0.01 AND s < 0.04 AS corrected,
       CASE WHEN random() < 0.2 THEN 2 ELSE 1 END AS revisions,
       random() AS photo_r
FROM (
    SELECT %(article_base)s + row_number() OVER (ORDER BY day, activity_id) AS id, true AS public,
           activity_id, author_id, kecamatan_id, day, random() AS r, random() AS s
    FROM cj_pub
    UNION ALL
    SELECT %(article_base)s + %(published)s + g, false, NULL, w.ids[1 + floor(random() * array_length(w.ids, 1))::int],
           NULL, DATE '%(last_year)s-12-31' - (random() * 300)::int, random(), random()
    FROM generate_series(1, %(others)s) AS g CROSS JOIN cj_writer w
) x;
UPDATE cj_art t SET kecamatan_id = m.kecamatan_id
FROM members_member a JOIN members_kpmi m ON m.id = a.kpmi_id WHERE t.kecamatan_id IS NULL AND a.id = t.author_id;
CREATE UNIQUE INDEX ON cj_art (id);

-- The text of each story: a title, a lead and some twenty sentences in paragraphs of six.
CREATE TEMP TABLE cj_text AS
SELECT t.id, left(ttl.title, 150) AS title, lead.lead, body.body,
       d.codes[1 + floor(random() * array_length(d.codes, 1))::int] AS desa_id
FROM cj_art t CROSS JOIN cj_vocab v LEFT JOIN cj_desa d ON d.kecamatan_id = t.kecamatan_id
CROSS JOIN LATERAL (
    SELECT v.subj[1 + floor(random() * 12)::int] || ' ' || v.verb[1 + floor(random() * 12)::int] || ' '
           || v.topic[t.topic][1 + floor(random() * 8)::int] || ' di ' || k.name AS title
    FROM members_kecamatan k WHERE k.code = t.kecamatan_id) ttl
CROSS JOIN LATERAL (
    SELECT v.subj[1 + floor(random() * 12)::int] || ' di Kecamatan ' || k.name || ' '
           || v.verb[1 + floor(random() * 12)::int] || ' ' || v.topic[t.topic][1 + floor(random() * 8)::int]
           || ' ' || v.tail[1 + floor(random() * 10)::int] || '. ' || v.filler[1 + floor(random() * 10)::int] AS lead
    FROM members_kecamatan k WHERE k.code = t.kecamatan_id) lead
CROSS JOIN LATERAL (
    SELECT string_agg({SENTENCE}, CASE WHEN i %% 6 = 1 THEN E'\\n\\n' ELSE ' ' END ORDER BY i) AS body
    FROM generate_series(1, 18 + t.id %% 9) AS i) body;
CREATE UNIQUE INDEX ON cj_text (id);

-- Revisions: one or two before publication (a change asked for), one more for a correction waiting
-- for review; the public copy is the last approved one.
CREATE TEMP TABLE cj_rev AS
SELECT %(revision_base)s + row_number() OVER (ORDER BY t.id, n) AS id, t.id AS article_id, n AS number,
       n = t.revisions + (t.state = 'correction_submitted')::int AS latest,
       t.state IN ('published', 'correction_submitted') AND n = t.revisions AS published
FROM cj_art t CROSS JOIN LATERAL generate_series(1, t.revisions + (t.state = 'correction_submitted')::int) AS n;

INSERT INTO citizen_journalism_articlerevision (id, number, title, lead, body, body_html, tags, note, submitted,
                                                created_at, article_id, created_by_id, desa_id, kecamatan_id,
                                                category_id)
OVERRIDING SYSTEM VALUE
SELECT r.id, r.number, x.title, x.lead, x.body, '<p>' || replace(x.body, E'\\n\\n', E'</p>\\n<p>') || '</p>',
       v.topic[t.topic][1 + t.id %% 8], '', t.state <> 'draft',
       (t.day - (t.revisions - r.number) * 2 - 3 + time '08:00') AT TIME ZONE 'Asia/Jakarta',
       t.id, NULL, x.desa_id, t.kecamatan_id, c.id
FROM cj_rev r JOIN cj_art t ON t.id = r.article_id JOIN cj_text x ON x.id = t.id
JOIN cj_cat c ON c.i = t.topic CROSS JOIN cj_vocab v;

INSERT INTO citizen_journalism_article (id, state, created_at, updated_at, publish_at, rejection_reason, title, slug,
    lead, body, body_html, first_published_at, published_at, correction_note, corrected_at, search_document,
    activity_id, approved_by_id, author_id, desa_id, kecamatan_id, latest_revision_id, published_revision_id,
    category_id)
OVERRIDING SYSTEM VALUE
SELECT t.id, t.state, p.at - interval '3 days', p.at + CASE WHEN t.corrected THEN interval '2 days' ELSE interval '0' END,
       CASE WHEN t.public THEN p.at WHEN t.state = 'scheduled' THEN now() + interval '1 day' * (1 + t.id %% 30) END,
       CASE WHEN t.state = 'rejected' THEN 'Bukan berita: tulisan ini iklan.' ELSE '' END,
       CASE WHEN t.public THEN x.title ELSE '' END,
       CASE WHEN t.public THEN trim(both '-' from left(trim(both '-' from
           regexp_replace(lower(x.title), '[^a-z0-9]+', '-', 'g')), 80)) ELSE '' END,
       CASE WHEN t.public THEN x.lead ELSE '' END, CASE WHEN t.public THEN x.body ELSE '' END,
       CASE WHEN t.public THEN '<p>' || replace(x.body, E'\\n\\n', E'</p>\\n<p>') || '</p>' ELSE '' END,
       CASE WHEN t.public THEN p.at END,
       CASE WHEN t.public THEN p.at + CASE WHEN t.corrected THEN interval '2 days' ELSE interval '0' END END,
       CASE WHEN t.corrected THEN 'Koreksi: nama desa pada paragraf kedua telah diperbaiki.' ELSE '' END,
       CASE WHEN t.corrected THEN p.at + interval '2 days' END,
       -- As citizen_journalism.services.newsroom._index_for_search writes it.
       CASE WHEN t.public THEN setweight(to_tsvector('indonesian', x.title), 'A')
           || setweight(to_tsvector('indonesian', x.lead), 'B') || setweight(to_tsvector('indonesian', x.body), 'C') END,
       t.activity_id, NULL, t.author_id, CASE WHEN t.public THEN x.desa_id END,
       CASE WHEN t.public THEN t.kecamatan_id END, latest.id, pub.id, CASE WHEN t.public THEN c.id END
FROM cj_art t JOIN cj_text x ON x.id = t.id JOIN cj_cat c ON c.i = t.topic
JOIN cj_rev latest ON latest.article_id = t.id AND latest.latest
LEFT JOIN cj_rev pub ON pub.article_id = t.id AND pub.published
CROSS JOIN LATERAL (SELECT (t.day + time '06:00' + t.second_of_day * interval '1 second')
                           AT TIME ZONE 'Asia/Jakarta' AS at) p;

-- Photos: most stories have one, some two; a correction under review brings one readers do not see yet.
INSERT INTO citizen_journalism_articlephoto (caption, credit, position, image_s, image_m, image_l, width_s, width_m,
    width_l, height_l, original_name, uploaded_at, article_id, uploaded_by_id, added_in_id)
SELECT 'Suasana ' || v.topic[t.topic][1 + t.id %% 8], 'Relawan KPMI', n - 1,
       f.path || '-s.jpg', f.path || '-m.jpg', f.path || '-l.jpg', 480, 960, 1600, 1067, 'foto' || n || '.jpg',
       now(), t.id, NULL::bigint, r.id
FROM cj_art t CROSS JOIN cj_vocab v
CROSS JOIN LATERAL generate_series(1, CASE WHEN t.photo_r < 0.10 THEN 2 ELSE 1 END) AS n
JOIN cj_rev r ON r.article_id = t.id AND r.number = 1
CROSS JOIN LATERAL (SELECT 'berita/' || to_char(t.day, 'YYYY/MM') || '/' || md5(t.id || '-' || n) AS path) f
WHERE t.photo_r < 0.65
UNION ALL
SELECT 'Foto tambahan koreksi', 'Relawan KPMI', 5, 'berita/koreksi/' || t.id || '-s.jpg',
       'berita/koreksi/' || t.id || '-m.jpg', 'berita/koreksi/' || t.id || '-l.jpg', 480, 960, 1600, 1067,
       'koreksi.jpg', now(), t.id, NULL::bigint, r.id
FROM cj_art t JOIN cj_rev r ON r.article_id = t.id AND r.latest WHERE t.state = 'correction_submitted';

-- Tags: the rubrics' subjects; a public story carries its rubric's tag, and a fifth of them a second.
INSERT INTO citizen_journalism_tag (name) SELECT DISTINCT unnest(v.topic) FROM cj_vocab v ON CONFLICT (name) DO NOTHING;
INSERT INTO citizen_journalism_article_tags (article_id, tag_id)
SELECT DISTINCT t.id, g.id FROM cj_art t CROSS JOIN cj_vocab v
CROSS JOIN LATERAL (VALUES (v.topic[t.topic][1 + t.id %% 8]),
                           (CASE WHEN t.r < 0.2 THEN v.topic[t.topic][1 + (t.id + 3) %% 8] END)) AS n(name)
JOIN citizen_journalism_tag g ON g.name = n.name
WHERE t.public;

SELECT setval(pg_get_serial_sequence('citizen_journalism_article', 'id'), (SELECT max(id) FROM citizen_journalism_article));
SELECT setval(pg_get_serial_sequence('citizen_journalism_articlerevision', 'id'),
              (SELECT max(id) FROM citizen_journalism_articlerevision));
SET session_replication_role = DEFAULT;
"""  # nosec B608 - built from this module's constants; values go as parameters

CONTENT_TABLES = (
    "citizen_journalism_article",
    "citizen_journalism_articlerevision",
    "citizen_journalism_articlephoto",
    "citizen_journalism_article_tags",
)


def ensure_content(scale_name: str, log: Callable[[str], None]) -> None:
    """Generate the articles once per database (a database generated before this part gets it now)."""
    from citizen_journalism.models import Article

    if Article.objects.exists():
        return
    published = PUBLISHED[scale_name]
    log(f"generating the content part ({published:,} published articles) ...")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        # Plain indexes are built once after the load, as generate() does for the big tables.
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = ANY(%s) AND NOT x.indisunique",
            [list(CONTENT_TABLES)],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        try:
            generate_content(published=published, others=published // 10)
        finally:
            for _name, definition in indexes:
                cursor.execute(definition)
        cursor.execute(f"VACUUM ANALYZE {', '.join(CONTENT_TABLES)}, citizen_journalism_tag")
    check_search_document()
    log(f"generated in {time.perf_counter() - start:.0f} s")


def generate_content(*, published: int, others: int) -> None:
    """`published` articles written up from as many approved publications, and `others` in the
    newsroom's other states, in one statement batch (one transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM programs_activity WHERE kind = 'publication' AND status = 'approved'")
        publications = cursor.fetchone()[0]
        if publications < published or published < 1:
            raise RuntimeError(f"{publications} approved publications for {published} articles")
        cursor.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM citizen_journalism_article), "
            "(SELECT coalesce(max(id), 0) FROM citizen_journalism_articlerevision), "
            "(SELECT max(date) FROM programs_activity)"
        )
        article_base, revision_base, last_day = cursor.fetchone()
        params = {
            "step": publications // published,
            "published": published,
            "others": others,
            "article_base": article_base,
            "revision_base": revision_base,
            "last_year": last_day.year,
        }
        cursor.execute(CONTENT_SQL % params)


def check_search_document() -> None:
    """The generated search documents are the ones the newsroom's publishing writes (else the search
    measured would not be the app's)."""
    from django.contrib.postgres.search import SearchVector

    from citizen_journalism.models import Article, State

    written = (
        SearchVector("title", weight="A", config="indonesian")
        + SearchVector("lead", weight="B", config="indonesian")
        + SearchVector("body", weight="C", config="indonesian")
    )
    sample = Article.objects.filter(state__in=State.PUBLIC).order_by("pk")[:50]
    for stored, expected in sample.annotate(expected=written).values_list("search_document", "expected"):
        assert stored == expected, (stored, expected)


# --- the floors: per page, the statements a hand-written page would run ------------------------------
PUBLIC = "a.state IN ('published', 'correction_submitted')"
# The cards of one page: article, rubric, district, byline (name, level, KPMI) and the first photo
# readers may see (one that came with the published version or an earlier one).
CARDS = """
SELECT a.id, a.slug, a.title, a.lead, a.published_at, a.kecamatan_id, k.name, c.name, c.slug,
       m.full_name, m.level, g.name, p.id, p.caption, p.width_s, p.width_m, p.width_l
FROM page a
JOIN members_member m ON m.id = a.author_id
LEFT JOIN members_kpmi g ON g.id = m.kpmi_id
LEFT JOIN citizen_journalism_category c ON c.id = a.category_id
LEFT JOIN members_kecamatan k ON k.code = a.kecamatan_id
LEFT JOIN LATERAL (
    SELECT p.id, p.caption, p.width_s, p.width_m, p.width_l
    FROM citizen_journalism_articlephoto p JOIN citizen_journalism_articlerevision r ON r.id = p.added_in_id
    WHERE p.article_id = a.id
      AND r.number <= (SELECT number FROM citizen_journalism_articlerevision WHERE id = a.published_revision_id)
    ORDER BY p.position, p.id LIMIT 1) p ON true
ORDER BY a.row
"""
LISTING = f"""
WITH page AS (
    SELECT a.id, a.slug, a.title, a.lead, a.published_at, a.kecamatan_id, a.category_id, a.author_id,
           a.published_revision_id, row_number() OVER (ORDER BY a.published_at DESC, a.id DESC) AS row
    FROM citizen_journalism_article a WHERE {PUBLIC} AND %(filter)s
    ORDER BY a.published_at DESC, a.id DESC LIMIT {PAGE_SIZE})
{CARDS}"""  # nosec B608 - built from this module's constants; values go as parameters
SEARCHED = f"""
WITH q AS (SELECT websearch_to_tsquery('indonesian', %(query)s) AS q),
page AS (
    SELECT a.id, a.slug, a.title, a.lead, a.published_at, a.kecamatan_id, a.category_id, a.author_id,
           a.published_revision_id,
           row_number() OVER (ORDER BY ts_rank(a.search_document, q.q) DESC, a.published_at DESC, a.id DESC) AS row
    FROM citizen_journalism_article a, q WHERE {PUBLIC} AND a.search_document @@ q.q
    ORDER BY ts_rank(a.search_document, q.q) DESC, a.published_at DESC, a.id DESC LIMIT {PAGE_SIZE})
{CARDS}"""  # nosec B608 - built from this module's constants; values go as parameters
NAV = "SELECT name, slug FROM citizen_journalism_category WHERE active ORDER BY position, name"


def floor_front() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM citizen_journalism_article a WHERE {PUBLIC}")  # nosec B608
        total = cursor.fetchone()[0]
        cursor.execute(LISTING % {"filter": "true"})
        cards = cursor.fetchall()
        cursor.execute(NAV)
        return total, cards, cursor.fetchall()


def floor_category(slug: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM citizen_journalism_category WHERE slug = %s AND active", [slug])
        category_id, name = cursor.fetchone()
        cursor.execute(
            f"SELECT count(*) FROM citizen_journalism_article a WHERE {PUBLIC} AND a.category_id = %s",  # nosec B608
            [category_id],
        )
        total = cursor.fetchone()[0]
        cursor.execute(LISTING % {"filter": "a.category_id = %s"}, [category_id])
        cards = cursor.fetchall()
        cursor.execute(NAV)
        return total, cards, cursor.fetchall(), name


def floor_search(query: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM citizen_journalism_article a WHERE {PUBLIC} "  # nosec B608
            "AND a.search_document @@ websearch_to_tsquery('indonesian', %s)",
            [query],
        )
        total = cursor.fetchone()[0]
        cursor.execute(SEARCHED % {"query": "%s"}, [query])
        cards = cursor.fetchall()
        cursor.execute(NAV)
        return total, cards, cursor.fetchall()


def _check_same_rows(html: str, total: int, cards: list) -> None:
    """The page lists the floor's articles in the floor's order and says "page 1 of" the floor's count
    of pages (else the comparison means nothing)."""
    from django.urls import reverse

    prefix = reverse("citizen_journalism:front")
    shown = list(dict.fromkeys(int(pk) for pk in re.findall(re.escape(prefix) + r"(\d+)/[-\w]+/", html)))
    assert shown == [row[0] for row in cards], (shown, [row[0] for row in cards])
    pages = math.ceil(total / PAGE_SIZE)
    if pages > 1:
        said = re.search(r'<span class="page-link">[^<]*?\b1\b[^<]*?(\d[\d.,]*)</span>', html)
        assert said and int(re.sub(r"\D", "", said[1])) == pages, (said and said[0], pages)


def measure(repeat: int, log: Callable[[str], None]) -> dict:
    """Each public page as an anonymous reader gets it: server ms and its floor's ms timed in pairs
    (timing.paired: median of at least 5 rounds after a warm-up; the ratio is the median of the rounds'
    ratios, with its spread and the ≤ 2× goal), and its SQL queries. Returns the bench's JSON figures."""
    from .timing import goal, paired, ratios, spread

    bound = 2.0
    from urllib.parse import urlencode

    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import reverse

    from citizen_journalism.models import Article, Category, State

    busiest = (
        Category.objects.filter(active=True)
        .annotate(n=Count("articles", filter=Q(articles__state__in=State.PUBLIC)))
        .order_by("-n", "pk")
        .first()
    )
    pages = {
        "front": (reverse("citizen_journalism:front"), floor_front),
        "category": (busiest.get_absolute_url(), lambda: floor_category(busiest.slug)),
        "search": (
            reverse("citizen_journalism:search") + "?" + urlencode({"q": SEARCH_WORD}),
            lambda: floor_search(SEARCH_WORD),
        ),
    }
    client = Client()  # anonymous: no session, as most readers come from a shared link
    figures = {}
    for name, (url, floor) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        found = floor()
        _check_same_rows(response.content.decode(), found[0], found[1])
        queries = []  # as scale.py counts the dashboards' (CaptureQueriesContext misses them after a long run)
        with connection.execute_wrapper(
            lambda execute, sql, *rest, seen=queries: seen.append(sql) or execute(sql, *rest)
        ):
            client.get(url)
        timed = paired({"page": lambda url=url: client.get(url), "floor": floor}, repeat)
        page_vs_floor = ratios(timed["page"], timed["floor"])
        figures[name] = {
            "ms": statistics.median(timed["page"]) * 1000,
            "queries": len(queries),
            "floor_ms": statistics.median(timed["floor"]) * 1000,
            "rows": found[0],
            "vs_floor": page_vs_floor,
        }
        log(
            f"content {name} {figures[name]['ms']:.1f} ms, {len(queries)} queries, "
            f"floor {figures[name]['floor_ms']:.1f} ms ({found[0]:,} articles listed), "
            f"ratio {statistics.median(page_vs_floor):.2f} ({min(page_vs_floor):.2f}-{max(page_vs_floor):.2f})"
        )
    worst = max(figures, key=lambda name: statistics.median(figures[name]["vs_floor"]))
    return {
        "articles_published": Article.objects.filter(state__in=State.PUBLIC).count(),
        "content_category": busiest.slug,
        "content_search": SEARCH_WORD,
        **{f"{name}_ms": round(d["ms"], 1) for name, d in figures.items()},
        **{f"{name}_queries": d["queries"] for name, d in figures.items()},
        **{f"{name}_vs_sql_floor": round(statistics.median(d["vs_floor"]), 3) for name, d in figures.items()},
        "content_pages_vs_sql_floor": round(statistics.median(figures[worst]["vs_floor"]), 3),
        "content_pages": {
            name: {
                "ms": round(d["ms"], 2),
                "queries": d["queries"],
                "floor_ms": round(d["floor_ms"], 2),
                "rows": d["rows"],
                "vs_floor": spread(d["vs_floor"]),
                "goal": goal(d["vs_floor"], bound),
            }
            for name, d in figures.items()
        },
    }
