"""Small pieces every programs workflow uses: today in Garut, the site's address for links in
notifications, and telling a member and the keepers of their group."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone

from kpmi_si.notifications.services import notification_send
from members.models import KpmiRole, Member


def _today() -> dt.date:
    return timezone.localdate()


def _site_url() -> str:
    return settings.SITE_URL


def _notify_member(member: Member, message: Callable[[], str], link: str, *, skip: Any = None) -> None:
    """The member and the keepers of their group; `skip` (the one who acted) needs no telling."""
    users = {role.user for role in KpmiRole.objects.current().filter(kpmi=member.kpmi_id).select_related("user")}
    if member.user is not None:
        users.add(member.user)
    for user in users:
        if skip is None or user.pk != skip.pk:
            notification_send(recipient=user, message=message, link=link)
