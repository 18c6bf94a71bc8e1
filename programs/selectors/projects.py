"""Reads for volunteer projects: the list a user sees first, sign-ups, who a user may sign up."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from members.models import Kpmi, Level, Member
from members.permissions import managed_kpmi_ids

from ..models import (
    ProjectSignup,
    VolunteerProject,
)


def projects_for_user(user: Any) -> QuerySet[VolunteerProject]:
    """Volunteer projects, those in the districts of the user's groups first (for a manager: the
    projects near their KPMI), then by start date."""
    kecamatan_ids: set[str] = set(
        Kpmi.objects.filter(pk__in=managed_kpmi_ids(user)).values_list("kecamatan_id", flat=True)
    )
    member = getattr(user, "member", None) if user.is_authenticated else None
    if member is not None:
        kecamatan_ids.add(member.kpmi.kecamatan_id)
    return (
        VolunteerProject.objects.select_related("kecamatan", "desa")
        .annotate(
            taken=Count("signups", filter=Q(signups__status__in=ProjectSignup.TAKES_A_PLACE)),
            near=Case(
                When(kecamatan_id__in=kecamatan_ids, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("near", "start_date", "pk")
    )


def project_detail(*, pk: int) -> VolunteerProject:
    return VolunteerProject.objects.select_related("kecamatan", "desa", "activity").get(pk=pk)


def project_signups(project: VolunteerProject) -> list[ProjectSignup]:
    return list(project.signups.select_related("member__kpmi", "kpmi").order_by("created_at", "pk"))


def managers_user_may_sign_up(user: Any, project: VolunteerProject) -> list[Member]:
    """Managers the user may put forward: themselves, and the managers of the groups they keep."""
    if not user.is_authenticated:
        return []
    mine = Q(user=user) | Q(kpmi_id__in=managed_kpmi_ids(user))
    return list(
        Member.objects.filter(mine, level__gte=Level.MANAGER)
        # Whoever withdrew may sign up again.
        .exclude(pk__in=project.signups.exclude(status=ProjectSignup.Status.WITHDRAWN).values("member_id"))
        .select_related("kpmi")
        .order_by("kpmi__name", "full_name")
    )
