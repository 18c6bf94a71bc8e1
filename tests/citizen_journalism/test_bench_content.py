"""The benchmark's content part (kpmi_si.bench.content): its raw-SQL floors fetch the very articles,
count and photos the public pages show (else the ratio it reports means nothing), and its generated
articles are what the newsroom writes: public ones searchable as publishing indexes them, linked to
their author's publication, the other states kept off the public pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from citizen_journalism import services
from citizen_journalism.models import Article, Category, State
from members.models import Level
from tests import factories
from tests.programs.factories import make_activity

from .conftest import article_data, with_photo

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark runs on PostgreSQL")


@pytest.fixture
def fourteen_published(pioneer, editor, kpmi_a, category):
    """Two pages of a category; every other one about the internet, two with a photo."""
    articles = []
    for i in range(14):
        title = f"Internet desa {i}" if i % 2 == 0 else f"Panen raya {i}"
        article = services.article_write(
            actor=pioneer,
            data=article_data(kpmi_a, category, title=title, lead="Warga berkumpul di balai desa."),
            submit=True,
            photos=with_photo() if i in (3, 12) else [],
        )
        articles.append(services.article_approve(actor=editor, article=article))
    services.article_write(actor=pioneer, data=article_data(kpmi_a, category, title="Internet draf"), submit=False)
    return articles


@pytest.mark.django_db
def test_the_floors_fetch_what_each_public_page_shows(client, fourteen_published, category):
    from kpmi_si.bench import content

    pages = {
        "front": (reverse("citizen_journalism:front"), content.floor_front()),
        "category": (category.get_absolute_url(), content.floor_category(category.slug)),
        "search": (reverse("citizen_journalism:search") + "?q=internet", content.floor_search("internet")),
    }
    for name, (url, (total, cards, nav, *_)) in pages.items():
        html = client.get(url).content.decode()
        content._check_same_rows(html, total, cards)  # the same articles in the same order, "page 1 of N"
        assert total == (7 if name == "search" else 14), name
        for row in cards:
            assert row[2] in html and row[3] in html  # title and lead
            if row[12] is not None:  # the first photo readers may see
                assert reverse("citizen_journalism:photo", args=[row[12], "s"]) in html
        assert [row[1] for row in nav] == list(
            Category.objects.filter(active=True).order_by("position", "name").values_list("slug", flat=True)
        )
    assert sum(row[12] is not None for row in content.floor_front()[1]) == 2


@pytest.mark.django_db
def test_generated_articles_are_what_the_newsroom_writes(client, kpmi_a, category):
    from kpmi_si.bench import content

    writer = factories.MemberFactory(kpmi=kpmi_a, level=Level.PIONEER, full_name="Euis Perintis")
    works = [make_activity(kpmi=kpmi_a, credited=[writer]) for _ in range(20)]

    content.generate_content(published=20, others=4)

    public = Article.objects.filter(state__in=State.PUBLIC)
    assert public.count() == 20
    assert Article.objects.exclude(state__in=State.PUBLIC).count() == 4
    assert set(public.values_list("activity_id", flat=True)) == {w.pk for w in works}
    assert set(public.values_list("author_id", flat=True)) == {writer.pk}
    content.check_search_document()  # indexed for search as publishing indexes it
    for article in public:
        assert article.published_revision.number <= article.latest_revision.number
        assert article.title == article.published_revision.title
    # The pages list only the public ones, and the floors agree with them.
    html = client.get(reverse("citizen_journalism:front")).content.decode()
    total, cards, _nav = content.floor_front()
    content._check_same_rows(html, total, cards)
    assert total == 20 and "Euis Perintis" in html
    hidden = Article.objects.exclude(state__in=State.PUBLIC).first()
    assert client.get(reverse("citizen_journalism:article", args=[hidden.pk, "x"])).status_code == 404
