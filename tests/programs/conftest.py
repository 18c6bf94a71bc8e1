"""Members that logged-work tests credit, on top of the project's fixed cast."""

from __future__ import annotations

import pytest

from members.models import Level, Member
from tests import factories


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded evidence goes to a throw-away folder, never to the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def member_a(member_user_a) -> Member:
    """Euis, the plain member of KPMI A who logs in (a trainer without a keeper role)."""
    return member_user_a.member


@pytest.fixture
def manager_member_a(manager_a) -> Member:
    return manager_a.member


@pytest.fixture
def trainer_a(kpmi_a) -> Member:
    return factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER, full_name="Asep Pelatih")


@pytest.fixture
def candidate_a(kpmi_a) -> Member:
    return factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE, full_name="Dede Calon")


@pytest.fixture
def member_b(kpmi_b) -> Member:
    return factories.MemberFactory(kpmi=kpmi_b, level=Level.MANAGER, full_name="Neng Beta")


# --- Interventions: a ToT, candidates of two groups, an evaluation that finds them behind -----------


@pytest.fixture
def tot_event(officer_communities):
    import datetime as dt

    from django.utils import timezone

    from programs import services as program_services

    return program_services.tot_event_create(
        actor=officer_communities,
        name="ToT Pusat 1",
        date=timezone.localdate() + dt.timedelta(days=30),
        capacity=10,
    )


@pytest.fixture
def candidates_a(kpmi_a) -> list[Member]:
    return [
        factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE, full_name=f"Calon A{i}") for i in range(3)
    ]


@pytest.fixture
def candidates_b(kpmi_b) -> list[Member]:
    return [
        factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER_CANDIDATE, full_name=f"Calon B{i}") for i in range(2)
    ]


@pytest.fixture
def trainer_evaluation(admin_user, officer_communities, kpmi_a, kpmi_b):
    """Year 2025 with a target of 2 new trainers per KPMI, evaluated: both groups are behind."""
    from associations import services as association_services
    from associations.models import Association

    period = association_services.period_open_year(actor=admin_user, year=2025)
    association_services.target_set(
        actor=officer_communities,
        period=period,
        association=Association.objects.get(code="communities"),
        metric="new_trainers",
        value=2,
    )
    evaluation, _ = association_services.evaluation_create(actor=None, period=period)
    return association_services.period_evaluate(evaluation_id=evaluation.pk)
