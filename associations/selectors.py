from __future__ import annotations

from django.db.models import QuerySet

from members.models import Kpmi
from members.selectors import kpmi_directory

from .models import Association


def association_by_code(*, code: str) -> Association:
    return Association.objects.prefetch_related("officers__user").get(code=code)


def association_overview(*, filters: dict | None = None) -> QuerySet[Kpmi]:
    """Every KPMI with its members per level: what an officer scans first, before targets exist."""
    return kpmi_directory(filters=filters)
