"""The public news site: what readers see, the feeds, the sitemap, search, share metadata, weight."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from citizen_journalism import services

from .conftest import article_data, with_photo

pytestmark = pytest.mark.django_db


def test_a_published_article_is_on_every_public_page(client, published, pioneer):
    title = published.title
    pages = [
        reverse("citizen_journalism:front"),
        published.category.get_absolute_url(),
        reverse("citizen_journalism:kecamatan", args=[published.kecamatan_id]),
        reverse("citizen_journalism:author", args=[published.author_id]),
        published.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert title in response.content.decode(), url
    article_page = client.get(published.get_absolute_url()).content.decode()
    assert "Perintis" in article_page  # a pioneer's byline says so
    assert "Asep Perintis" in article_page


def test_articles_not_yet_published_are_nowhere_public(client, submitted, pioneer, kpmi_a, category):
    draft = services.article_write(
        actor=pioneer, data=article_data(kpmi_a, category, title="Draf rahasia"), submit=False
    )
    assert client.get(reverse("citizen_journalism:article", args=[submitted.pk, "x"])).status_code == 404
    assert client.get(reverse("citizen_journalism:article", args=[draft.pk, "x"])).status_code == 404
    assert client.get(reverse("citizen_journalism:author", args=[submitted.author_id])).status_code == 404
    for url in (reverse("citizen_journalism:front"), reverse("citizen_journalism:feed_rss")):
        body = client.get(url).content.decode()
        assert "Internet masuk" not in body and "Draf rahasia" not in body
    photo = submitted.photos.get()
    assert client.get(photo.url("s")).status_code == 404


def test_share_metadata_names_title_lead_and_an_absolute_photo(client, published):
    html = client.get(published.get_absolute_url()).content.decode()
    photo = published.photos.get()
    assert f'<meta property="og:title" content="{published.title}">' in html
    assert f'<meta property="og:description" content="{published.lead}">' in html
    assert f'<meta property="og:image" content="http://testserver{photo.url("m")}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'srcset="{photo.srcset}"' in html
    assert client.get(photo.url("m")).status_code == 200
    assert client.get(photo.url("m"))["Content-Type"] == "image/jpeg"


def test_feeds_and_sitemap_list_the_published_article(client, published):
    rss = client.get(reverse("citizen_journalism:feed_rss"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert published.title in rss.content.decode() and published.get_absolute_url() in rss.content.decode()
    atom = client.get(reverse("citizen_journalism:feed_atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert published.title in atom.content.decode()
    sitemap = client.get(reverse("citizen_journalism:sitemap")).content.decode()
    assert published.get_absolute_url() in sitemap


def test_search_finds_published_articles_only(client, published, pioneer, kpmi_a, category):
    services.article_write(
        actor=pioneer, data=article_data(kpmi_a, category, title="Petani kopi di Cikajang"), submit=True
    )
    found = client.get(reverse("citizen_journalism:search"), {"q": "saung"}).content.decode()
    assert published.title in found
    nothing = client.get(reverse("citizen_journalism:search"), {"q": "kopi"}).content.decode()
    assert "Petani kopi" not in nothing
    # Odd input is just a search that finds nothing.
    for q in ("", "'; DROP TABLE", "a" * 5000, "!!! & | :*"):
        assert client.get(reverse("citizen_journalism:search"), {"q": q}).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search and its index are PostgreSQL's")
def test_postgresql_search_stems_indonesian_and_uses_the_gin_index(client, published):
    # "memantau" (monitor) is in the body; the Indonesian stemmer finds it from "pantau".
    found = client.get(reverse("citizen_journalism:search"), {"q": "pantau"}).content.decode()
    assert published.title in found
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_gin'")
        assert "gin (search_document)" in cursor.fetchone()[0]


def test_a_correction_shows_the_old_version_until_approved_then_the_note(
    client, published, pioneer, editor, kpmi_a, category
):
    services.article_write(
        actor=pioneer,
        article=published,
        data=article_data(kpmi_a, category, title="Judul baru", note="Judul diperbaiki."),
        submit=True,
        photos=with_photo(),
    )
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Judul baru" not in page and published.title in page
    new_photo = published.photos.order_by("-pk").first()
    assert client.get(new_photo.url("s")).status_code == 404  # it came with the correction
    services.correction_approve(actor=editor, article=published, note="Judul diperbaiki.")
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Judul baru" in page and "Judul diperbaiki." in page
    assert client.get(new_photo.url("s")).status_code == 200


def test_public_pages_have_no_inline_script_or_style_and_no_outside_requests(client, published):
    for url in (reverse("citizen_journalism:front"), published.get_absolute_url()):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "<style" not in html and " style=" not in html and not re.search(r"\son[a-z]+=", html)
        for src in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not src.startswith(("http://", "https://", "//")) or src.startswith("http://testserver"), src


def test_article_page_weighs_at_most_100_kb_compressed_without_its_photos(client, published):
    """The first load of an article page, gzip-compressed as the server sends it: the HTML and every
    stylesheet and script it references (photos aside: they come in the size the phone needs)."""
    html = client.get(published.get_absolute_url()).content
    assets = re.findall(rb'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html)
    assert assets, "the page references its stylesheets and scripts"
    total = len(gzip.compress(html, 9))
    static_dirs = [Path(d) for d in settings.STATICFILES_DIRS]
    for asset in assets:
        relative = asset.decode().removeprefix(
            settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        )
        path = next(d / relative for d in static_dirs if (d / relative).exists())
        total += len(gzip.compress(path.read_bytes(), 9))
    assert total <= 100 * 1024, f"{total / 1024:.1f} KB"


def test_public_list_pages_query_a_fixed_number_of_times(
    client, pioneer, editor, kpmi_a, category, django_assert_max_num_queries
):
    for i in range(6):
        article = services.article_write(
            actor=pioneer, data=article_data(kpmi_a, category, title=f"Berita {i}"), submit=True, photos=with_photo()
        )
        services.article_approve(actor=editor, article=article)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("citizen_journalism:front"))
    assert response.content.decode().count('class="card mb-3"') == 6


def test_a_list_card_shows_the_article_as_its_own_page_links_it(client, published, pioneer):
    """The list pages build their cards from plain rows (links and dates made in Python, not per card
    in the template): the card still links what reverse() links and dates what the date filter dates."""
    from django.template.defaultfilters import date as date_filter
    from django.utils.timezone import localtime

    photo = published.photos.get()
    when = localtime(published.published_at)
    card = (
        f'<img class="card-img-top" src="{photo.url("s")}" srcset="{photo.srcset}" '
        f'sizes="(min-width: 768px) 50vw, 100vw" alt="Saung tani" width="{photo.width_s}" loading="lazy">\n'
        '  <div class="card-body">\n'
        '    <p class="small text-muted mb-1">'
        f'<a href="{published.category.get_absolute_url()}">Teknologi &amp; TIK</a>'
        f' · <a href="{reverse("citizen_journalism:kecamatan", args=[published.kecamatan_id])}">'
        f"{published.kecamatan.name}</a> · "
        f'<time datetime="{date_filter(when, "c")}">{date_filter(when, "j M Y")}</time></p>\n'
        f'    <h2 class="h5 card-title"><a href="{published.get_absolute_url()}" '
        f'class="stretched-link text-decoration-none">{published.title}</a></h2>\n'
        f'    <p class="card-text mb-1">{published.lead}</p>\n'
        '    <p class="small text-muted mb-0"><span class="byline">Oleh Asep Perintis '
        f'<span class="badge text-bg-warning">Perintis</span> · {published.author.kpmi.name}</span>'
    )
    for url in (
        reverse("citizen_journalism:front"),
        published.category.get_absolute_url(),
        reverse("citizen_journalism:kecamatan", args=[published.kecamatan_id]),
        reverse("citizen_journalism:author", args=[published.author_id]),
        reverse("citizen_journalism:search") + "?q=saung",
    ):
        assert card in client.get(url).content.decode(), url
    nav = client.get(reverse("citizen_journalism:front")).content.decode()
    rubric = published.category.get_absolute_url()
    assert f'<a class="nav-link py-1 px-2" href="{rubric}">Teknologi &amp; TIK</a>' in nav


def test_card_links_follow_the_script_prefix_as_reverse_does():
    from django.urls import get_script_prefix, set_script_prefix

    from citizen_journalism.selectors.public import url_filler

    before = get_script_prefix()
    try:
        for prefix in ("/", "/kpmi/"):
            set_script_prefix(prefix)
            for name, args in (
                ("citizen_journalism:article", [12345, "internet-masuk-desa"]),
                ("citizen_journalism:category", ["berita-desa"]),
                ("citizen_journalism:kecamatan", ["3205030"]),
                ("citizen_journalism:photo", [7, "m"]),
            ):
                assert url_filler(name, len(args))(*args) == reverse(name, args=args)
    finally:
        set_script_prefix(before)


def test_the_rubric_menu_follows_rubric_changes_and_costs_no_query_once_kept(
    client, published, django_assert_num_queries
):
    from citizen_journalism.models import Category

    front = reverse("citizen_journalism:front")
    client.get(front)
    with django_assert_num_queries(1):  # the cards with their count; rubrics and kecamatan names are kept
        client.get(front)
    shown = 'href="/berita/kategori/{}/">{}</a>'
    added = Category.objects.create(name="Wisata Garut", slug="wisata-garut", position=99)
    assert shown.format("wisata-garut", "Wisata Garut") in client.get(front).content.decode()
    added.delete()
    assert "wisata-garut" not in client.get(front).content.decode()
    other = Category.objects.create(name="Kuliner", slug="kuliner", position=98)
    assert shown.format("kuliner", "Kuliner") in client.get(front).content.decode()
    other.active = False
    other.save()
    assert "kuliner" not in client.get(front).content.decode()


def test_cards_name_the_rubric_and_kecamatan_as_they_are_now(client, published):
    """The rubrics and kecamatan names the cards show are kept in the cache: a rename in the admin is
    seen at once, and a rubric given to an article behind the signals' back is read when first met."""
    from citizen_journalism.models import Article, Category

    front = reverse("citizen_journalism:front")
    client.get(front)
    kecamatan = published.kecamatan
    kecamatan.name = "Garut Kota Baru"
    kecamatan.save()
    assert ">Garut Kota Baru</a> · <time" in client.get(front).content.decode()
    sneaked = Category.objects.bulk_create([Category(name="Seni Budaya", slug="seni-budaya", position=50)])[0]
    Article.objects.filter(pk=published.pk).update(category=sneaked)
    page = client.get(front).content.decode()
    assert '<a href="/berita/kategori/seni-budaya/">Seni Budaya</a> · ' in page


def test_a_card_escapes_what_writers_and_admins_typed(client, published):
    from citizen_journalism.models import Article, ArticlePhoto, Category

    hostile = "<script>alert(\"x\")</script> & 'co'"
    shown = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;"
    Article.objects.filter(pk=published.pk).update(title=hostile, lead=hostile)
    ArticlePhoto.objects.filter(article=published).update(caption=hostile)
    Category.objects.filter(pk=published.category_id).update(name=hostile)
    author = published.author
    author.full_name = hostile
    author.save()
    kpmi = author.kpmi
    kpmi.name = hostile
    kpmi.save()
    page = client.get(reverse("citizen_journalism:front")).content.decode()
    assert "<script>" not in page
    assert f'stretched-link text-decoration-none">{shown}</a>' in page  # title
    assert f'<p class="card-text mb-1">{shown}</p>' in page  # lead
    assert f'alt="{shown}"' in page  # photo caption
    assert f'">{shown}</a> · ' in page  # rubric
    badge = '<span class="badge text-bg-warning">Perintis</span>'
    assert f'<span class="byline">Oleh {shown} {badge} · {shown}</span>' in page  # writer, KPMI


def test_pages_of_a_list_say_where_they_are_whatever_page_is_asked(client, pioneer, editor, kpmi_a, category):
    """A page of cards comes with its count in one statement; a page past the end, a page that is not
    a number and an empty list go the Paginator's way, as before."""
    for i in range(14):
        article = services.article_write(
            actor=pioneer, data=article_data(kpmi_a, category, title=f"Kabar desa {i}"), submit=True
        )
        services.article_approve(actor=editor, article=article)
    front = reverse("citizen_journalism:front")
    for asked, shown, titles in (("1", 1, range(13, 1, -1)), ("2", 2, (1, 0)), ("99", 2, (1, 0)), ("x", 1, (13,))):
        page = client.get(front, {"page": asked}).content.decode()
        assert f"Halaman {shown} dari 2" in page, asked
        for i in titles:
            assert f">Kabar desa {i}</a>" in page, (asked, i)
    from members.models import Kecamatan

    quiet = Kecamatan.objects.exclude(code=kpmi_a.kecamatan_id).first()
    empty = client.get(reverse("citizen_journalism:kecamatan", args=[quiet.code]), {"page": "3"})
    assert empty.status_code == 200 and "Belum ada berita di sini." in empty.content.decode()


def test_a_rubric_page_knows_its_rubric_from_the_kept_rubrics(client, published, django_assert_num_queries):
    from citizen_journalism.models import Category

    rubric = published.category.get_absolute_url()
    client.get(rubric)
    with django_assert_num_queries(1):  # the cards with their count
        assert published.title in client.get(rubric).content.decode()
    assert client.get(reverse("citizen_journalism:category", args=["tidak-ada"])).status_code == 404
    closed = published.category
    closed.active = False
    closed.save()
    assert client.get(rubric).status_code == 404
    # One added behind the signals' back (a bulk create) is found all the same.
    sneaked = Category.objects.bulk_create([Category(name="Olahraga", slug="olahraga", position=40)])[0]
    page = client.get(sneaked.get_absolute_url())
    assert page.status_code == 200 and '<h1 class="h3">Olahraga</h1>' in page.content.decode()


def test_a_card_dates_its_article_as_the_date_filter_does_in_every_month_and_language(published):
    import datetime as dt

    from django.template.defaultfilters import date as date_filter
    from django.utils import translation
    from django.utils.timezone import localtime

    from citizen_journalism.models import Article
    from citizen_journalism.selectors.public import Cards

    for month in range(1, 13):
        # 20:30 UTC is the next day in Garut (UTC+7): the card dates in the site's time zone.
        when = dt.datetime(2025, month, 28 if month != 2 else 27, 20, 30, tzinfo=dt.UTC)
        Article.objects.filter(pk=published.pk).update(published_at=when)
        for language in ("id", "en"):
            with translation.override(language):
                (card,) = Cards(pk=published.pk)[0:1]
                assert card["published_day"] == date_filter(localtime(when), "j M Y"), (month, language)
                assert card["published_iso"] == date_filter(localtime(when), "c")


def test_a_list_page_shows_what_is_published_now_though_its_statement_is_kept(
    client, published, pioneer, editor, kpmi_a, category
):
    """Each list page's statement is compiled once per process; its articles and count are read on
    every request, and each rubric, kecamatan and writer gets its own articles."""
    from citizen_journalism.models import Category

    rubric = category.get_absolute_url()
    other = Category.objects.create(name="Kesehatan Warga", slug="kesehatan-warga", position=60)
    assert published.title in client.get(rubric).content.decode()
    assert published.title not in client.get(other.get_absolute_url()).content.decode()
    fresh = services.article_write(
        actor=pioneer, data=article_data(kpmi_a, category, title="Kabar paling baru"), submit=True
    )
    services.article_approve(actor=editor, article=fresh)
    page = client.get(rubric).content.decode()
    assert page.index("Kabar paling baru") < page.index(published.title)
    assert "Kabar paling baru" not in client.get(other.get_absolute_url()).content.decode()
    moved = services.article_write(
        actor=pioneer, data=article_data(kpmi_a, other, title="Kabar rubrik lain"), submit=True
    )
    services.article_approve(actor=editor, article=moved)
    page = client.get(other.get_absolute_url()).content.decode()
    assert "Kabar rubrik lain" in page and published.title not in page
    assert "Kabar paling baru" in client.get(reverse("citizen_journalism:front")).content.decode()
    district = reverse("citizen_journalism:kecamatan", args=[kpmi_a.kecamatan_id])
    assert "Kabar rubrik lain" in client.get(district).content.decode()
    writer = reverse("citizen_journalism:author", args=[published.author_id])
    assert "Kabar paling baru" in client.get(writer).content.decode()


def test_a_list_page_reads_the_kept_rubrics_once(client, published, monkeypatch):
    """The rubrics and kecamatan names are kept in the cache (Redis in production, a round trip per
    read): a list page reads them once for its rubric, its cards and its menu."""
    from citizen_journalism.selectors import public

    class Counting:
        def __init__(self, inner):
            self.inner, self.reads = inner, 0

        def get(self, key, *args, **kwargs):
            self.reads += key == public.LOOKUPS_KEY
            return self.inner.get(key, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    counting = Counting(public.cache)
    monkeypatch.setattr(public, "cache", counting)
    for url in (
        reverse("citizen_journalism:front"),
        published.category.get_absolute_url(),
        reverse("citizen_journalism:kecamatan", args=[published.kecamatan_id]),
        reverse("citizen_journalism:search") + "?q=" + published.title.split()[0],
    ):
        counting.reads = 0
        response = client.get(url)
        assert response.status_code == 200 and published.title in response.content.decode(), url
        assert counting.reads == 1, url


def test_the_search_box_keeps_the_words_searched_for_escaped(client, published):
    searched = "\"><script>alert('x')</script> & kopi"
    page = client.get(reverse("citizen_journalism:search"), {"q": searched}).content.decode()
    assert "<script>alert" not in page
    escaped = "&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; kopi"
    assert f'name="q" value="{escaped}" maxlength="100"' in page
    article = client.get(published.get_absolute_url()).content.decode()
    assert f'action="{reverse("citizen_journalism:search")}" role="search"' in article
    assert 'name="q" value="" maxlength="100"' in article
