"""The demo award round: last year's awards taken the whole way through the services, deterministic,
audited, and visible on the public pages and to the demo jury login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from awards.models import Award, AwardRound, Finalist, JuryMember, Vote
from kpmi_si.audit.models import AuditEntry
from kpmi_si.demo import awards as demo
from kpmi_si.demo.members import DEMO_PASSWORD
from kpmi_si.demo.work import WorkDemoBuilder
from members.models import KpmiRole, Level
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
LAST_YEAR = TODAY.year - 1


@pytest.fixture
def demo_garut(admin_user, kpmi_a, kpmi_b, supervisor_a):
    """Two groups with members at every level and a few years of demo work (as seed_demo's earlier
    layers leave them, smaller)."""
    for kpmi in (kpmi_a, kpmi_b):
        for level in (Level.TRAINER_CANDIDATE, Level.TRAINER, Level.MANAGER, Level.MANAGER, Level.PIONEER):
            factories.MemberFactory(kpmi=kpmi, level=level, joined_on=dt.date(2018, 1, 1))
    KpmiRole.objects.filter(user=supervisor_a).update(since=dt.date(2018, 1, 1))
    WorkDemoBuilder(today=TODAY).build()
    return kpmi_a, kpmi_b


def _fingerprint():
    """What the demo decides: who is where on which shortlist, the votes and the winners (not the
    certificate codes, which are random by design)."""
    return (
        list(AwardRound.objects.values_list("year", "status")),
        list(
            Finalist.objects.order_by("category__position", "rank").values_list(
                "category__subject", "category__achievement", "rank", "member_id", "supervisor_id", "score", "previous"
            )
        ),
        list(Vote.objects.order_by("finalist__category__position", "finalist__rank").values_list("score", "comment")),
        list(
            Award.objects.order_by("category__position", "place").values_list(
                "category__subject", "category__achievement", "finalist__member_id", "finalist__supervisor_id", "place"
            )
        ),
    )


def test_last_years_round_is_published_with_winners_and_certificates(demo_garut):
    assert not demo.awards_present()
    round = demo.build(today=TODAY)
    assert demo.awards_present()
    assert (round.year, round.status) == (LAST_YEAR, AwardRound.Status.PUBLISHED)
    categories = list(round.categories.all())
    assert len(categories) == 13 and all(c.is_decided for c in categories)  # the default categories
    assert Finalist.objects.filter(category__round=round).exists()
    # One jury member, the demo login, voted once on every finalist of their categories.
    seat = JuryMember.objects.get(round=round)
    assert seat.user.username == demo.JURY_USERNAME and seat.user.check_password(DEMO_PASSWORD)
    assert Vote.objects.filter(jury_member=seat).count() == Finalist.objects.filter(category__round=round).count()
    # The winners are the tally's, each with a certificate code; categories without finalists say why.
    awards = list(Award.objects.filter(round=round).select_related("finalist"))
    assert awards and all(a.finalist.is_winner and a.code for a in awards)
    for category in categories:
        if not category.finalists.exists():
            assert category.decision_note == demo.NO_FINALIST_REASON


def test_every_step_went_through_the_services_and_is_audited(demo_garut, admin_user):
    round = demo.build(today=TODAY)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "award_round.open",
        "award_round.shortlisting",
        "award_round.shortlisted",
        "award_jury.set",
        "award_round.in_review",
        "award.vote",
        "award.decide",
        "award_round.finalised",
        "award_round.published",
    } <= actions
    assert "award.override" not in actions  # decided as the tally says: no reason needed
    assert AuditEntry.objects.filter(action="award_round.published", actor=admin_user).count() == 1
    assert (
        AuditEntry.objects.filter(action="award.vote").count() == Vote.objects.filter(jury_member__round=round).count()
    )


def test_deterministic(demo_garut):
    demo.build(today=TODAY)
    first = _fingerprint()
    assert first[1] and first[3]
    # Remove the round (awards first: they protect their finalists) and build it again.
    Award.objects.all().delete()
    AwardRound.objects.all().delete()
    demo.build(today=TODAY)
    assert _fingerprint() == first


def test_the_public_sees_the_winners_and_verifies_a_certificate(client, demo_garut):
    demo.build(today=TODAY)
    award = Award.objects.select_related("finalist").first()
    winners = client.get(reverse("awards:year", args=[LAST_YEAR]))
    assert winners.status_code == 200 and award.finalist.name in winners.content.decode()
    verified = client.get(reverse("awards:verify_code", args=[award.code_display]))
    assert verified.status_code == 200 and award.finalist.name in verified.content.decode()
    pdf = client.get(reverse("awards:certificate", args=[award.code_display]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_jury_login_lands_on_the_jury_pages(client, demo_garut):
    round = demo.build(today=TODAY)
    response = client.post(reverse("login"), {"username": demo.JURY_USERNAME, "password": DEMO_PASSWORD}, follow=True)
    # The juror's home (#14) says what waits for them and leads to the jury's pages.
    assert response.redirect_chain[-1][0] == reverse("home")
    assert reverse("awards:jury_home") in response.content.decode()
    response = client.get(reverse("awards:jury_home"))
    assert reverse("awards:jury_round", args=[round.pk]) in response.content.decode()
    assert client.get(reverse("awards:jury_round", args=[round.pk])).status_code == 200
    # Reviewing is over: the jury reads the round but votes no more.
    finalist = Finalist.objects.filter(category__round=round).first()
    assert client.get(reverse("awards:jury_finalist", args=[finalist.pk])).context["can_vote"] is False


def test_an_existing_round_leaves_the_layer_alone(demo_garut, admin_user):
    from awards import services

    services.award_round_open(actor=admin_user, year=LAST_YEAR)
    assert demo.awards_present()
