"""The newsroom's demo data: an editor and an article in every state, made once however often it runs."""

from __future__ import annotations

import io

import pytest

from citizen_journalism.demo import EDITOR_USERNAME, seed_citizen_journalism
from citizen_journalism.models import Article, Buyer, EditorRole, Payout, Sale, State
from kpmi_si.audit.models import AuditEntry
from programs.models import Activity, Kind

pytestmark = pytest.mark.django_db


def test_seed_makes_an_editor_and_every_state_once(pioneer, admin_user):
    out = io.StringIO()
    seed_citizen_journalism(out, password="demo-sandi-1")
    assert EditorRole.objects.filter(user__username=EDITOR_USERNAME).exists()
    assert set(Article.objects.values_list("state", flat=True)) == set(State.values)
    assert AuditEntry.objects.filter(action="editor.set").count() == 1
    assert f"{EDITOR_USERNAME} / demo-sandi-1" in out.getvalue()
    published = Article.objects.filter(state__in=State.PUBLIC)
    assert all(article.activity.kind == Kind.PUBLICATION for article in published)

    # The content market: two buyers, a licence, an exclusive sale and a payout.
    assert Buyer.objects.count() == 2
    assert sorted(Sale.objects.values_list("kind", flat=True)) == ["exclusive", "licence"]
    assert Payout.objects.count() == 1

    before = (
        Article.objects.count(),
        Activity.objects.count(),
        AuditEntry.objects.count(),
        Sale.objects.count(),
        Payout.objects.count(),
    )
    seed_citizen_journalism(io.StringIO(), password="demo-sandi-1")
    after = (
        Article.objects.count(),
        Activity.objects.count(),
        AuditEntry.objects.count(),
        Sale.objects.count(),
        Payout.objects.count(),
    )
    assert after == before


def test_seed_without_members_says_so_and_makes_nothing(db):
    out = io.StringIO()
    seed_citizen_journalism(out, password="x")
    assert not Article.objects.exists()
    assert "no member with a login" in out.getvalue()
