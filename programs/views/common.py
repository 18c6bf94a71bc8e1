"""Pieces every programs view uses: a page of a list, refusals shown as messages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def _page(request: HttpRequest, queryset: QuerySet):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)
