"""Reads of the public news site: only published articles. The list pages read a page of cards and
their count in one statement (`Cards`: the columns a card shows, with the first photo readers may
see) as plain rows whose links and dates are made in Python, the rubric and kecamatan names from
lookups kept in the cache; the feeds read models (`public_articles`). A search ranks its matches
alone, then loads the cards of the page it shows. README "The content part" has the measurements."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple, TypedDict

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connection, connections, transaction
from django.db.models import F, Func, IntegerField, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import get_script_prefix, reverse
from django.utils.dates import MONTHS_3
from django.utils.timezone import localtime

from kpmi_si.kept import Kept
from members.models import Kecamatan, Level

from ..models import RENDITIONS, Article, ArticlePhoto, ArticleRevision, Category, Sale, State

SEARCH_MAX = 100


def visible_photos() -> QuerySet[ArticlePhoto]:
    """Photos that came with the published version or an earlier one (a photo sent with a correction
    waits for the correction's approval)."""
    return ArticlePhoto.objects.filter(added_in__number__lte=F("article__published_revision__number")).order_by(
        "position", "pk"
    )


# What the feeds read (the list pages read `cards()`). Thirty items need not carry thirty bodies,
# their HTML and search documents, nor the authors' contact details.
CARD_FIELDS = (
    "slug", "title", "lead", "published_at", "first_published_at", "author__full_name", "author__level",
    "author__kpmi__name", "category__name", "category__slug", "kecamatan__name",
)  # fmt: skip


def public_articles() -> QuerySet[Article]:
    return (
        Article.objects.filter(state__in=State.PUBLIC)
        .select_related("author__kpmi", "category", "kecamatan")
        .only(*CARD_FIELDS)
        .order_by("-published_at", "-pk")
    )


class Photo(TypedDict):
    url_s: str
    srcset: str
    caption: str
    width_s: int


class Card(TypedDict):
    """What a list card shows (citizen_journalism/public_list.html). A dict, not a model: building
    twelve deferred models and reversing six URLs per card cost more than the page's SQL."""

    pk: int
    url: str
    title: str
    lead: str
    published_iso: str
    published_day: str
    category_name: str | None
    category_url: str
    kecamatan_name: str | None
    kecamatan_url: str
    author_name: str
    pioneer: bool
    kpmi_name: str | None
    photo: Photo | None


class MenuItem(TypedDict):
    name: str
    url: str


@functools.cache
def _url_parts(name: str, script_prefix: str, arity: int) -> tuple[str, ...]:
    """The literal pieces of a URL around its `arity` arguments, from one reverse() per URL name
    (and script prefix): reverse() costs tens of microseconds, and a page of cards needs about 80."""
    markers = [str(987654321 + i) for i in range(arity)]  # digits, so that <int:...> converters accept them
    url = reverse(name, args=markers)
    parts = []
    for marker in markers:
        before, found, url = url.partition(marker)
        if not found:
            raise ImproperlyConfigured(f"{name} does not put its arguments in its URL as they are")
        parts.append(before)
    return (*parts, url)


def url_filler(name: str, arity: int) -> Callable[..., str]:
    """A function that makes the URL `name` from its arguments as reverse() would, for arguments that
    need no quoting (ids, ASCII slugs, rendition names, kecamatan codes)."""
    parts = _url_parts(name, get_script_prefix(), arity)

    def fill(*args: object) -> str:
        out = [parts[0]]
        for arg, part in zip(args, parts[1:], strict=True):
            out += [str(arg), part]
        return "".join(out)

    return fill


# The card's columns, read as one row per article; the first photo readers may see comes with it
# as one JSON array (a correlated subquery limited to one row, like the floor's lateral join). The
# rubric's and the kecamatan's names come from `_lookups()`, not from joins: two tables fewer in the
# statement cut PostgreSQL's planning of it from 0.9 to 0.4 ms (more than its execution).
CARD_VALUES = (
    "pk", "slug", "title", "lead", "published_at", "kecamatan_id", "category_id", "author__full_name",
    "author__level", "author__kpmi__name",
)  # fmt: skip


class _Array(Func):
    """A row's columns as one JSON array (jsonb_build_array; json_array on SQLite): JSONObject's casts
    of its keys took a third of the CPU Django spends compiling the cards' statement."""

    function = "JSONB_BUILD_ARRAY"
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return super().as_sql(compiler, connection, function="JSON_ARRAY", **extra)


PHOTO_COLUMNS = ("pk", "caption", "width_s", "width_m", "width_l")


def _first_photo() -> Subquery:
    # The published version's number is looked up inside the subquery (as the floor does), not
    # joined in the outer query: one table fewer there makes PostgreSQL's planning shorter.
    published = ArticleRevision.objects.filter(pk=OuterRef(OuterRef("published_revision_id"))).order_by()
    photos = ArticlePhoto.objects.filter(
        article=OuterRef("pk"), added_in__number__lte=Subquery(published.values("number"))
    ).order_by("position", "pk")
    return Subquery(photos.values(columns=_Array(*PHOTO_COLUMNS))[:1])


@functools.cache
def _card_rows() -> QuerySet[Article]:
    """The public articles as card rows. Built once per process and cloned per page: resolving the
    photo subquery and the joins of the values cost more CPU than PostgreSQL spends on the page."""
    return Article.objects.filter(state__in=State.PUBLIC).values(*CARD_VALUES, photo=_first_photo())


# The rubrics by id (name, slug, active) and the kecamatan names by code (`_lookups`).
Lookups = tuple[dict[int, tuple[str, str, bool]], dict[str, str]]


def cards(rows: QuerySet[Article] | list[dict[str, Any]], lookups: Lookups | None = None) -> list[Card]:
    """The cards of `rows` (card rows of `_card_rows()`, filtered, ordered and sliced to a page), with
    the page's `lookups` if it has read them already."""
    return _cards(rows, lookups)[0]


def _cards(rows: QuerySet[Article] | list[dict[str, Any]], lookups: Lookups | None) -> tuple[list[Card], Lookups]:
    """The cards, and the lookups they were written with (read again when a row names a rubric or
    kecamatan they did not know)."""
    article_url = url_filler("citizen_journalism:article", 2)
    category_url = url_filler("citizen_journalism:category", 1)
    kecamatan_url = url_filler("citizen_journalism:kecamatan", 1)
    photo_url = url_filler("citizen_journalism:photo", 2)
    rows = list(rows)
    # The date filter's "j M Y" (day, MONTHS_3 titled, year), with the twelve month names translated
    # once per page: the filter set up a formatter per card.
    months = {number: str(name).title() for number, name in MONTHS_3.items()}
    rubrics, districts = lookups if lookups is not None else _lookups()
    if any(
        (r["category_id"] is not None and r["category_id"] not in rubrics)
        or (r["kecamatan_id"] is not None and r["kecamatan_id"] not in districts)
        for r in rows
    ):
        forget_lookups()  # one added since they were kept, in a way the signals missed
        rubrics, districts = _lookups()
    out: list[Card] = []
    for row in rows:
        published = localtime(row["published_at"])  # as the template's date filter shows it
        photo = row["photo"]
        if photo is not None:
            pk, caption, *widths = photo  # PHOTO_COLUMNS
            width = dict(zip(("s", "m", "l"), widths, strict=True))
            urls = {size: photo_url(pk, size) for size in RENDITIONS}
            photo = Photo(
                url_s=urls["s"],
                srcset=", ".join(f"{urls[size]} {width[size]}w" for size in RENDITIONS),
                caption=caption,
                width_s=width["s"],
            )
        rubric = rubrics.get(row["category_id"])
        district = districts.get(row["kecamatan_id"])
        out.append(
            Card(
                pk=row["pk"],
                url=article_url(row["pk"], row["slug"] or "berita"),
                title=row["title"],
                lead=row["lead"],
                published_iso=published.isoformat(),  # what the date filter's "c" writes
                published_day=f"{published.day} {months[published.month]} {published.year:04d}",
                category_name=rubric[0] if rubric else None,
                category_url=category_url(rubric[1]) if rubric else "",
                kecamatan_name=district,
                kecamatan_url=kecamatan_url(row["kecamatan_id"]) if district is not None else "",
                author_name=row["author__full_name"],
                pioneer=row["author__level"] == Level.PIONEER,
                kpmi_name=row["author__kpmi__name"],
                photo=photo,
            )
        )
    return out, (rubrics, districts)


class _Statement(NamedTuple):
    """A compiled page of card rows: Django's SQL and parameters, the row's names and the converters
    of its columns, as a values() queryset would have read them."""

    sql: str
    params: tuple[Any, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]

    @classmethod
    def of(cls, queryset: QuerySet[Article]) -> _Statement:
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()  # EmptyResultSet for a filter that can match nothing
        # The row's names as ValuesIterable reads them.
        names = tuple(query.selected or (*query.extra_select, *query.values_select, *query.annotation_select))
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        found = compiler.get_converters(columns).items()
        converters = tuple((pos, tuple(convs), column) for pos, (convs, column) in found)
        return cls(sql, tuple(params), names, converters)

    def rows(self, using: str) -> list[dict[str, Any]]:
        db = connections[using]
        with db.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            found = cursor.fetchall()
        out = []
        for row in found:
            values = list(row)
            for pos, convs, column in self.converters:
                for convert in convs:
                    values[pos] = convert(values[pos], column, db)
            out.append(dict(zip(self.names, values, strict=True)))
        return out


# Compiled pages by filters, window and database. Compiling the page's statement (its photo and count
# subqueries, the joins of its values) took Django more CPU than PostgreSQL took to run it; the
# statement depends only on the key, so it is compiled once per key and process. Its parameters are
# the filters' values, never an article: what the page shows is read on every request. Renewed when
# full (keys are rubrics, kecamatan and authors times pages), forgotten at a settings change
# (kpmi_si.kept).
_STATEMENTS: Kept[_Statement] = Kept(2048, renew_when_full=True)


class Cards:
    """A list page's articles for the Paginator: the count of the public articles matching `filters`
    (a rubric, a kecamatan, an author, a plain text match), newest first, and a page as its cards.
    `page_and_count` reads both in one statement. `lookups`: the page's, if it has read them (the
    cards leave in `self.lookups` the ones they were written with, for the page's menu)."""

    def __init__(self, *conditions: Q, lookups: Lookups | None = None, **filters: object) -> None:
        self.conditions, self.filters, self.lookups = conditions, filters, lookups

    def _matching(self) -> QuerySet[Article]:
        return Article.objects.filter(*self.conditions, state__in=State.PUBLIC, **self.filters)

    def _rows(self) -> QuerySet[Article]:
        return _card_rows().filter(*self.conditions, **self.filters).order_by("-published_at", "-pk")

    def _cards(self, rows: QuerySet[Article] | list[dict[str, Any]]) -> list[Card]:
        written, self.lookups = _cards(rows, self.lookups)
        return written

    def count(self) -> int:
        return self._matching().count()

    def __getitem__(self, window: slice) -> list[Card]:
        return self._cards(self._rows()[window])

    def _page_with_count(self, bottom: int, top: int) -> QuerySet[Article]:
        # count(*), not count(id): PostgreSQL then counts from the partial index of public articles
        # alone (an index-only scan); counting ids it read the rubric's 5,000 rows, 2 ms against 0.4.
        counted = self._matching().order_by().annotate(n=Func(template="COUNT(*)", output_field=IntegerField()))
        counted = counted.values("n")
        return self._rows().annotate(total=Subquery(counted))[bottom:top]

    def _statement_key(self, bottom: int, top: int) -> tuple[Any, ...] | None:
        """What the page's statement depends on, or None where it is not kept (a text match: its
        conditions are built per request)."""
        if self.conditions:
            return None
        # A model instance filters by its primary key (its only parameter in the statement).
        filters = tuple(sorted((name, getattr(value, "pk", value)) for name, value in self.filters.items()))
        try:
            hash(filters)
        except TypeError:
            return None
        return (filters, bottom, top, connection.alias)

    def page_and_count(self, bottom: int, top: int) -> tuple[list[Card], int]:
        """The cards from `bottom` to `top` and the count of all, the count as a scalar subquery of
        the same statement (PostgreSQL runs it once): a round trip and a compilation less than the
        Paginator's count, then page. No cards (a page past the end): count 0, ask `count()`."""
        key = self._statement_key(bottom, top)
        if key is None:
            rows = list(self._page_with_count(bottom, top))
        else:
            try:
                statement = _STATEMENTS.get(key, lambda: _Statement.of(self._page_with_count(bottom, top)))
            except EmptyResultSet:  # nothing can match: nothing is kept, and nothing to read
                return [], 0
            rows = statement.rows(connection.alias)
        return self._cards(rows), (rows[0]["total"] if rows else 0)


class NoCards:
    """An empty search."""

    lookups: Lookups | None = None

    def count(self) -> int:
        return 0

    def __getitem__(self, window: slice) -> list[Card]:
        return []


def listed(*, lookups: Lookups | None = None, **filters: object) -> Cards:
    """The public articles matching `filters` (a rubric, a kecamatan, an author), newest first;
    `lookups`: the page's, if it has read them (`lookups()`)."""
    return Cards(lookups=lookups, **filters)


# The rubrics (for the menu and the cards) and the kecamatan names change when KOMTIK edits them in
# the admin, not when news is published: they are kept in the cache (no query, no join for them on a
# public page) and forgotten when one is saved or deleted (`forget_lookups`, connected in apps.py);
# the timeout covers changes that bypass the signals (a bulk update, a data migration).
LOOKUPS_KEY = "citizen_journalism:lookups"
LOOKUPS_TIMEOUT = 600


def _lookups() -> Lookups:
    """Every rubric by id (name, slug, active), in the menu's order (position, then name as the
    database sorts it), and every kecamatan's name by code."""
    kept = cache.get(LOOKUPS_KEY)
    if kept is None:
        rubrics = Category.objects.order_by("position", "name").values_list("pk", "name", "slug", "active")
        districts = dict(Kecamatan.objects.values_list("code", "name"))
        kept = ({pk: (name, slug, active) for pk, name, slug, active in rubrics}, districts)
        cache.set(LOOKUPS_KEY, kept, LOOKUPS_TIMEOUT)
    return kept


def forget_lookups(**_signal: object) -> None:
    # Now, and again once the change is committed: a page read in between may have kept the old ones.
    cache.delete(LOOKUPS_KEY)
    transaction.on_commit(lambda: cache.delete(LOOKUPS_KEY))


def lookups() -> Lookups:
    """The kept lookups, for a page to read once and hand to `active_rubric`, `listed` and `menu`: each
    read of them is a cache round trip (Redis in production)."""
    return _lookups()


def active_rubric(slug: str, lookups: Lookups | None = None) -> tuple[int, str] | None:
    """The id and name of the active rubric `slug`, from the kept lookups (a rubric page needs no
    query for its rubric); one the lookups do not know is looked for in the database."""
    for pk, (name, rubric_slug, active) in (lookups or _lookups())[0].items():
        if rubric_slug == slug:
            return (pk, name) if active else None
    found = Category.objects.filter(slug=slug, active=True).values_list("pk", "name").first()
    if found is not None:
        forget_lookups()  # added in a way the signals missed
    return found


def menu(lookups: Lookups | None = None) -> list[MenuItem]:
    """The rubric menu of the public pages: the active rubrics."""
    category_url = url_filler("citizen_journalism:category", 1)
    rubrics = (lookups or _lookups())[0]
    return [MenuItem(name=name, url=category_url(slug)) for name, slug, active in rubrics.values() if active]


class RankedArticles:
    """Search results for the Paginator. A page is ranked over the matching articles alone (id, rank,
    date), then only its cards are loaded, joined and with their photos. Ranked in one statement with
    the joins, PostgreSQL joined every match to its author, KPMI, rubric and district before sorting
    (a hash of all members at every search), where a page shows twelve."""

    def __init__(self, ranked: QuerySet[Article]) -> None:
        self.ranked = ranked
        self.lookups: Lookups | None = None  # the ones the cards were written with, for the menu

    def count(self) -> int:
        return self.ranked.count()

    def __getitem__(self, window: slice) -> list[Card]:
        ids = list(self.ranked.values_list("pk", flat=True)[window])
        written, self.lookups = _cards(_card_rows().filter(pk__in=ids), self.lookups)
        found = {card["pk"]: card for card in written}
        return [found[pk] for pk in ids if pk in found]


def public_article(*, pk: int) -> Article:
    return (
        Article.objects.filter(state__in=State.PUBLIC)
        .select_related("author__kpmi", "category", "kecamatan", "desa", "published_revision")
        .prefetch_related(Prefetch("photos", queryset=visible_photos(), to_attr="public_photos"), "tags")
        # The buyer's credit on an article bought outright, in the same query.
        .annotate(
            exclusive_buyer=Subquery(
                Sale.objects.filter(article=OuterRef("pk"), kind=Sale.Kind.EXCLUSIVE, cancelled_at__isnull=True).values(
                    "buyer__name"
                )[:1]
            )
        )
        .get(pk=pk)
    )


# What a list page shows: a count and a window of cards, for the Paginator.
Listing = Cards | NoCards | RankedArticles


def search(query: str) -> Listing:
    """Published articles matching `query`: PostgreSQL full-text search (Indonesian stemming, ranked,
    from the GIN-indexed search document); on SQLite a plain match on title, lead and body."""
    query = " ".join((query or "").split())[:SEARCH_MAX]
    if not query:
        return NoCards()
    if connection.vendor == "postgresql":
        terms = SearchQuery(query, config="indonesian", search_type="websearch")
        return RankedArticles(
            Article.objects.filter(state__in=State.PUBLIC, search_document=terms)
            .annotate(rank=SearchRank(F("search_document"), terms))
            .order_by("-rank", "-published_at", "-pk")
        )
    return Cards(Q(title__icontains=query) | Q(lead__icontains=query) | Q(body__icontains=query))
