"""`seed_demo`: realistic, deterministic, safe to run twice, refuses a production database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from associations.metrics import metrics_of
from associations.models import TargetResult
from awards.models import Award, AwardRound, Finalist, JuryMember, Vote
from entrepreneurship.models import BusinessSettlement, Order, Posting
from kpmi_si.audit.models import AuditEntry
from members.models import Kpmi, Level, LevelChange, Member, User

pytestmark = pytest.mark.django_db


def _fingerprint():
    return (
        list(Kpmi.objects.order_by("name").values_list("name", "kecamatan__name", "founded_on", "founded_from__name")),
        list(Member.objects.order_by("pk").values_list("full_name", "level", "joined_on", "trained_by__full_name")),
        LevelChange.objects.count(),
        # The awards layer: the round, its shortlist, votes, and the certificate codes (issued once).
        list(AwardRound.objects.values_list("year", "status", "published_at")),
        list(Finalist.objects.order_by("pk").values_list("category__achievement", "rank", "score", "is_winner")),
        Vote.objects.count(),
        list(Award.objects.order_by("pk").values_list("finalist_id", "place", "code")),
        # The money layer: orders, the ledger, businesses' settled months.
        list(Order.objects.order_by("pk").values_list("kpmi_id", "receipt_number", "total", "payment_status")),
        list(Posting.objects.order_by("pk").values_list("kpmi_id", "date", "category", "amount")),
        BusinessSettlement.objects.count(),
        # Nothing at all is written a second time.
        AuditEntry.objects.count(),
        User.objects.count(),
    )


def test_seed_builds_garut_with_every_role_and_explained_levels(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    for username in (
        "admin",
        "petugas_komunitas",
        "petugas_pengguna",
        "petugas_platform",
        "pengelola",
        "pembina",
        "anggota",
        "perintis",
        "juri",
    ):
        assert username in text
        assert User.objects.filter(username=username).exists()
    assert "kpmi-demo-2026" in text

    assert 25 <= Kpmi.objects.count() <= 40
    assert 450 <= Member.objects.count() <= 800
    per_level = dict(Member.objects.values_list("level").annotate(n=Count("pk")))
    assert all(per_level.get(level, 0) > 0 for level in Level.values)
    assert Kpmi.objects.filter(founded_from__isnull=False, founded_by__level=Level.PIONEER).count() >= 10
    assert Member.objects.filter(trained_by__isnull=False).count() > Member.objects.count() // 2
    assert Kpmi.objects.values("kecamatan").distinct().count() >= 25

    # Last year's awards, published: a public winners page and certificates that verify.
    round = AwardRound.objects.get()
    assert round.year == timezone.localdate().year - 1 and round.status == AwardRound.Status.PUBLISHED
    assert round.categories.count() == 13 and Award.objects.filter(round=round).count() >= 10
    assert JuryMember.objects.filter(round=round, user__username="juri").exists()
    client = Client()
    assert client.get(reverse("awards:year", args=[round.year])).status_code == 200
    award = Award.objects.first()
    assert client.get(reverse("awards:verify_code", args=[award.code_display])).status_code == 200

    # The Entrepreneurs dashboard is alive: this year's results, some of them met.
    entrepreneurs = TargetResult.objects.filter(association__code="entrepreneurs", period__name=str(round.year + 1))
    # Its content figures too (#13): the news demo's articles and sales are counted by a second
    # evaluation. The demo's writer is the pioneer with a login, so their sales are revenue to pioneers.
    assert User.objects.get(username="perintis").member.level == Level.PIONEER
    alive = set(entrepreneurs.filter(actual__gt=0).values_list("metric", flat=True))
    assert alive == {m.code for m in metrics_of("entrepreneurs")}
    assert entrepreneurs.filter(status="achieved").exists() and entrepreneurs.filter(status="behind").exists()

    # The invariant: every member's last history row is their current level.
    for member in Member.objects.prefetch_related("level_changes"):
        history = list(member.level_changes.all())
        assert history[0].kind == LevelChange.Kind.REGISTRATION
        assert history[-1].to_level == member.level


def test_running_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    before = _fingerprint()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert _fingerprint() == before


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())
    assert not Kpmi.objects.exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Kpmi.objects.exists()


def test_a_database_seeded_before_the_awards_layer_gets_just_that_layer(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    Award.objects.all().delete()
    AwardRound.objects.all().delete()
    members_before = _fingerprint()[:3]
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo data loaded: last year's award round." in out.getvalue()
    assert _fingerprint()[:3] == members_before
    assert AwardRound.objects.get().status == AwardRound.Status.PUBLISHED
