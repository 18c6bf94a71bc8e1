"""The round's one-way steps ask first (#14): locking the shortlist, finalising, publishing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import AwardRound

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


def test_the_round_page_links_to_the_confirmation(client_for, admin_user, shortlisted):
    body = client_for(admin_user).get(url("round_detail", shortlisted.pk)).content.decode()
    assert f'href="{url("review_start", shortlisted.pk)}"' in body


@pytest.mark.parametrize("name", ["review_start", "round_finalise", "round_publish"])
def test_get_asks_and_changes_nothing(client_for, admin_user, shortlisted, name):
    response = client_for(admin_user).get(url(name, shortlisted.pk))
    assert response.status_code == 200 and 'id="confirm-button"' in response.content.decode()
    assert AwardRound.objects.get(pk=shortlisted.pk).status == AwardRound.Status.SHORTLISTED


def test_locking_the_shortlist_needs_the_confirmation(client_for, admin_user, shortlisted):
    client = client_for(admin_user)
    response = client.post(url("review_start", shortlisted.pk))
    assert response.status_code == 200 and 'id="confirm-errors"' in response.content.decode()
    assert AwardRound.objects.get(pk=shortlisted.pk).status == AwardRound.Status.SHORTLISTED
    assert client.post(url("review_start", shortlisted.pk), {"confirm": "yes"}).status_code == 302
    assert AwardRound.objects.get(pk=shortlisted.pk).status == AwardRound.Status.IN_REVIEW


@pytest.mark.parametrize("name", ["review_start", "round_finalise", "round_publish"])
def test_only_the_admin_sees_the_page(client_for, officer_users, jury_user, shortlisted, name):
    for user in (officer_users, jury_user):
        assert client_for(user).get(url(name, shortlisted.pk)).status_code == 403
