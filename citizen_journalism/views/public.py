"""The public news site: no login, light pages (no request leaves the site), share metadata."""

from __future__ import annotations

import mimetypes

from django.contrib.syndication.views import Feed
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from members.models import Kecamatan, Member

from .. import permissions, selectors
from ..models import RENDITIONS, Article, ArticlePhoto, State

FRONT_PAGE_SIZE = 12
FEED_SIZE = 30


class _Paginator(Paginator):
    """Paginator.get_page reads the count, then the page; a page of `Cards` that has cards comes with
    its count in one statement. Anything else (a page past the end, no articles, a search) goes the
    Paginator's way."""

    def get_page(self, number: object) -> Page:
        listing = self.object_list
        if isinstance(listing, selectors.Cards):
            try:
                wanted = int(number)  # as validate_number reads it; not a number: Paginator's page 1
            except (TypeError, ValueError):
                wanted = 1
            if wanted >= 1:
                bottom = (wanted - 1) * self.per_page
                found, total = listing.page_and_count(bottom, bottom + self.per_page)
                if found:
                    self.count = total  # a cached_property of Paginator
                    return self._get_page(found, wanted, self)
        return super().get_page(number)


def _page(request: HttpRequest, articles: selectors.Listing, size: int = FRONT_PAGE_SIZE) -> Page:
    return _Paginator(articles, size).get_page(request.GET.get("page"))


def _listing(request: HttpRequest, articles: selectors.Listing, *, heading: str, **extra) -> HttpResponse:
    page = _page(request, articles)
    # The menu from the lookups the cards were written with, if they read them: one cache read a page.
    context = {"page_obj": page, "heading": heading, "categories": selectors.menu(articles.lookups), **extra}
    return render(request, "citizen_journalism/public_list.html", context)


@require_GET
def front(request: HttpRequest) -> HttpResponse:
    listing = selectors.listed(lookups=selectors.lookups())
    return _listing(request, listing, heading=_("Garut Citizen Journalism"), front=True)


@require_GET
def article(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    try:
        item = selectors.public_article(pk=pk)
    except Article.DoesNotExist:
        raise Http404 from None
    photos = item.public_photos
    share_photo = request.build_absolute_uri(photos[0].url("m")) if photos else ""
    context = {
        "article": item,
        "photos": photos,
        "share_photo": share_photo,
        "canonical": request.build_absolute_uri(item.get_absolute_url()),
    }
    return render(request, "citizen_journalism/public_article.html", context)


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    kept = selectors.lookups()  # read once for the rubric, the cards and the menu
    found = selectors.active_rubric(slug, kept)
    if found is None:
        raise Http404
    pk, name = found
    return _listing(request, selectors.listed(category_id=pk, lookups=kept), heading=name)


@require_GET
def kecamatan(request: HttpRequest, code: str) -> HttpResponse:
    found = get_object_or_404(Kecamatan, code=code)
    return _listing(
        request,
        selectors.listed(kecamatan=found),
        heading=_("News from %(name)s") % {"name": found.name},
    )


@require_GET
def author(request: HttpRequest, pk: int) -> HttpResponse:
    # Only writers with a public article have a public page: a member's name is not published otherwise.
    found = (
        Member.objects.select_related("kpmi")
        .filter(pk=pk, anonymised_at__isnull=True, articles__state__in=State.PUBLIC)
        .distinct()
        .first()
    )
    if found is None:
        raise Http404
    return _listing(request, selectors.listed(author=found), heading=found.full_name, author=found)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:100]
    return _listing(
        request,
        selectors.search(query),
        heading=_("Search") if not query else _("Search: %(q)s") % {"q": query},
        query=query,
        searching=True,
    )


@require_GET
def photo(request: HttpRequest, pk: int, size: str) -> HttpResponse:
    """A photo rendition. Public once its article shows it; before that only the writer and the
    editors who may see the article."""
    if size not in RENDITIONS:
        raise Http404
    item = get_object_or_404(ArticlePhoto.objects.select_related("article__latest_revision", "added_in"), pk=pk)
    art = item.article
    published = art.state in State.PUBLIC and art.published_revision_id is not None
    shown = published and selectors.visible_photos().filter(pk=item.pk).exists()
    if not shown and not permissions.can_view_newsroom_article(request.user, art):
        raise Http404
    field = item.file_for(size)
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400" if shown else "private, no-store"
    return response


class LatestArticlesFeed(Feed):
    title = gettext_lazy("Garut Citizen Journalism")
    description = gettext_lazy("The latest news written by the volunteers of Garut's KPMI.")

    def link(self) -> str:
        return reverse("citizen_journalism:front")

    def items(self):
        return selectors.public_articles()[:FEED_SIZE]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.lead

    def item_author_name(self, item) -> str:
        return item.author.full_name

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.category.name] if item.category else []


class LatestArticlesAtom(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
