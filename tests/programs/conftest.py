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
