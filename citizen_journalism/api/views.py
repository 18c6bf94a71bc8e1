"""The buyers' API views: GET only (anything else is 405 once authenticated), JSON errors in
Indonesian for `Accept-Language: id` and in English otherwise, throttled per token."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from .. import selectors
from ..models import Article
from .serializers import ArticleSerializer, ArticleSummarySerializer

API_LANGUAGES = ("id", "en")


def api_language(request: Any) -> str:
    """The first of Indonesian and English the client accepts, English when it names neither. Only
    the header counts: the site's language cookie belongs to a browser session, not to a buyer."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in API_LANGUAGES:
            return base
    return "en"


class ArticlePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class BuyerAPIView(generics.GenericAPIView):
    throttle_scope = "buyers_api"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication, so that its 401 is already in the client's language.
        translation.activate(api_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Article]:
        return selectors.buyer_articles(buyer=self.request.user.buyer)

    def throttled(self, request: Request, wait: float | None) -> None:
        # DRF's own message builds its msgid from the number of seconds, so it cannot be translated.
        exc = exceptions.Throttled(
            detail=_("Too many requests: try again in %(seconds)d seconds.") % {"seconds": math.ceil(wait or 1)}
        )
        exc.wait = wait  # the Retry-After header
        raise exc


@extend_schema(summary="The articles this buyer licensed or bought", tags=["articles"])
class ArticleList(BuyerAPIView, generics.ListAPIView):
    serializer_class = ArticleSummarySerializer
    pagination_class = ArticlePagination


@extend_schema(
    summary="One article this buyer licensed or bought",
    description=(
        "Another buyer's article, an unpublished one or a cancelled sale is 404, like an id that does not exist."
    ),
    tags=["articles"],
)
class ArticleDetail(BuyerAPIView, generics.RetrieveAPIView):
    serializer_class = ArticleSerializer

    def get_object(self) -> Article:
        # The same plain "not found" for an id that does not exist, another buyer's article, an
        # unpublished one and a cancelled sale (Django's message would name the model, in English).
        try:
            return super().get_object()
        except Http404:
            raise exceptions.NotFound() from None
