"""Association awards: an officer honours a manager for their association; the member page shows it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from associations.models import Association
from kpmi_si.audit.models import AuditEntry
from programs import services
from programs.models import AssociationAward

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The assertions below read the services' messages in English, whatever the catalogue says."""
    with translation.override("en"):
        yield


URL = reverse("interventions:association_awards")


@pytest.fixture
def platform(db) -> Association:
    return Association.objects.get(code="platform")


def grant(actor, association, member, **extra):
    data = {"name": "Relawan Penerapan TIK", "reason": "5 penerapan TIK", "awarded_on": timezone.localdate()}
    data.update(extra)
    return services.association_award_grant(actor=actor, association=association, member=member, **data)


def test_officer_grants_and_the_member_page_shows_it(client_for, officer_platform, platform, manager_a):
    award = grant(officer_platform, platform, manager_a.member)
    assert AuditEntry.objects.filter(action="association_award.grant", target_id=str(award.pk)).exists()
    page = client_for(manager_a).get(manager_a.member.get_absolute_url()).content.decode()
    assert 'id="awards-received"' in page and "Relawan Penerapan TIK" in page


def test_an_officer_grants_for_their_own_association_only(officer_users, platform, manager_a):
    with pytest.raises(PermissionDenied):
        grant(officer_users, platform, manager_a.member)
    assert not AssociationAward.objects.exists()


def test_bad_input(officer_platform, platform, manager_a, member_user_a):
    with pytest.raises(ValidationError):
        grant(officer_platform, platform, member_user_a.member)  # a trainer, not a manager
    with pytest.raises(ValidationError):
        grant(officer_platform, platform, manager_a.member, awarded_on=timezone.localdate() + dt.timedelta(1))
    grant(officer_platform, platform, manager_a.member)
    with pytest.raises(ValidationError, match="already"):
        grant(officer_platform, platform, manager_a.member)
    assert AssociationAward.objects.count() == 1


def test_the_page_from_the_url(client_for, officer_platform, platform, manager_a):
    client = client_for(officer_platform)
    response = client.post(
        URL,
        {
            "association": platform.pk,
            "member": manager_a.member.pk,
            "name": "Penghargaan",
            "reason": "Alasan",
            "awarded_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert AssociationAward.objects.get().granted_by == officer_platform


def test_an_officer_cannot_post_for_another_association(client_for, officer_users, platform, manager_a):
    response = client_for(officer_users).post(
        URL,
        {
            "association": platform.pk,
            "member": manager_a.member.pk,
            "name": "x",
            "reason": "y",
            "awarded_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200  # the choice is not offered: a form error
    assert not AssociationAward.objects.exists()


@pytest.mark.parametrize("who", ["manager_a", "member_user_a", "outsider"])
def test_wrong_role(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}).status_code == 403


def test_wrong_method(client_for, officer_platform):
    assert client_for(officer_platform).put(URL).status_code == 405
