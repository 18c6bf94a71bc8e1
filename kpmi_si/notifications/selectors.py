"""Reads of a user's notifications (the bell's count and the list page)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Notification


def unread_notification_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
