"""A group's page shows its own targets and progress to its keepers and to officers."""

from __future__ import annotations

import pytest

from associations import services
from members.models import Level
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress(period, officer_communities, communities, kpmi_a, kpmi_b):
    services.target_set(
        actor=officer_communities, period=period, association=communities, metric="new_members", value=5
    )
    factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE, joined_on=period.start)
    evaluation, _ = services.evaluation_create(actor=None, period=period)
    services.period_evaluate(evaluation_id=evaluation.pk)


def test_keepers_see_where_the_group_is_behind(client_for, manager_a, kpmi_a, progress):
    body = client_for(manager_a).get(kpmi_a.get_absolute_url()).content.decode()
    assert "Anggota baru" in body and "Tertinggal" in body


def test_the_public_does_not_see_targets(client, kpmi_a, progress):
    body = client.get(kpmi_a.get_absolute_url()).content.decode()
    assert "Tertinggal" not in body


def test_the_stored_targets_say_when_they_were_computed(client_for, manager_a, kpmi_a, period, progress):
    from associations.models import Evaluation

    finished = Evaluation.objects.get(period=period).finished_at
    body = client_for(manager_a).get(kpmi_a.get_absolute_url()).content.decode()
    assert 'id="progress-computed-at"' in body
    assert finished.astimezone().strftime("%H:%M") in body or "Dihitung oleh evaluasi pada" in body
