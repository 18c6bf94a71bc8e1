"""A member's own page shows their trainer and trainees (name, KPMI, level) and links only to pages
the viewer may open: the same check as the member page itself."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Level
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_and_trainee(kpmi_a, member_user_a):
    me = member_user_a.member
    trainer = factories.MemberFactory(kpmi=kpmi_a, full_name="Pak Pelatih", level=Level.MANAGER)
    trainee = factories.MemberFactory(kpmi=kpmi_a, full_name="Neng Murid", trained_by=me)
    me.trained_by = trainer
    me.save()
    return trainer, trainee


def test_member_sees_trainer_and_trainees_without_dead_links(client_for, member_user_a, trainer_and_trainee):
    trainer, trainee = trainer_and_trainee
    client = client_for(member_user_a)
    body = client.get(member_user_a.member.get_absolute_url()).content.decode()
    assert "Pak Pelatih" in body and "Neng Murid" in body and "KPMI Alfa" in body
    assert "Pengelola" in body  # the trainer's level, in Indonesian
    for other in (trainer, trainee):
        assert reverse("members:member_detail", args=[other.pk]) not in body
        assert client.get(reverse("members:member_detail", args=[other.pk])).status_code == 404


def test_keeper_gets_links_to_both(client_for, manager_a, member_user_a, trainer_and_trainee):
    trainer, trainee = trainer_and_trainee
    body = client_for(manager_a).get(member_user_a.member.get_absolute_url()).content.decode()
    for other in (trainer, trainee):
        assert reverse("members:member_detail", args=[other.pk]) in body
    assert reverse("accounts:member_account", args=[member_user_a.member.pk]) in body


def test_member_page_queries_do_not_grow_with_trainees(client_for, manager_a, member_user_a, trainer_and_trainee):
    client = client_for(manager_a)
    url = member_user_a.member.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        factories.MemberFactory(kpmi=member_user_a.member.kpmi, full_name=f"Murid {n}", trained_by=member_user_a.member)
    with CaptureQueriesContext(connection) as six:
        assert client.get(url).status_code == 200
    assert len(six) == len(one)
