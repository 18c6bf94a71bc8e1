"""The notification list, the bell's unread count, and marking as read: a user's own rows only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .models import Notification


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = Paginator(selectors.notifications_for(request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"notifications": rows})


@require_GET
def notification_count(request: HttpRequest) -> JsonResponse:
    """The bell's count, fetched by a page's script. An ended session gets 401 and no redirect: a
    redirect would be followed to the login page, whose answer mints a CSRF cookie that can land
    between another tab's login page and its POST (that login then fails with 403)."""
    if not request.user.is_authenticated:
        return JsonResponse({"unread": None}, status=401)
    return JsonResponse({"unread": selectors.unread_notification_count(request.user)})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notification: mark it read and follow its link (only the recipient's own rows)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, pk=notification.pk)
    return redirect(notification.link or reverse("notifications:notification_list"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)
    return redirect("notifications:notification_list")
