"""A published article is a publication of its author in the work counts: once, however it gets there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from associations.metrics import METRICS
from citizen_journalism import services
from citizen_journalism.models import State
from members.models import Member
from programs import metrics
from programs.models import Activity, Kind, Status
from tests.programs.factories import make_activity

from .conftest import article_data

pytestmark = pytest.mark.django_db


def _kpmi_publications(kpmi) -> int:
    return metrics.work_total(kinds=[Kind.PUBLICATION], kpmi=kpmi)


def _users_association_count(member: Member) -> int:
    year = timezone.localdate().year
    rows = dict(METRICS["publications"].per_subject(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return rows.get(member.pk, 0)


def test_publishing_counts_once_for_the_author_and_their_kpmi(submitted, editor, pioneer, kpmi_a, category):
    author = pioneer.member
    before_kpmi, before_member = _kpmi_publications(kpmi_a), _users_association_count(author)
    article = services.article_approve(actor=editor, article=submitted)
    assert _kpmi_publications(kpmi_a) == before_kpmi + 1
    assert _users_association_count(author) == before_member + 1
    activity = article.activity
    assert (activity.kind, activity.status, activity.kpmi_id) == (Kind.PUBLICATION, Status.APPROVED, kpmi_a.pk)
    assert list(activity.credits.values_list("member_id", flat=True)) == [author.pk]
    assert activity.evidence_url.endswith(article.get_absolute_url())
    assert activity.publication.link == activity.evidence_url

    # A correction is the same publication: nothing more is counted.
    services.article_write(
        actor=pioneer,
        article=article,
        data=article_data(kpmi_a, category, body="Diperbaiki.", note="Angka diperbaiki."),
        submit=True,
    )
    services.correction_approve(actor=editor, article=article, note="Jumlah petani diperbaiki.")
    assert _kpmi_publications(kpmi_a) == before_kpmi + 1
    assert _users_association_count(author) == before_member + 1
    assert Activity.objects.filter(kind=Kind.PUBLICATION, credits__member=author).count() == 1


def test_an_editor_of_the_same_kpmi_publishing_need_not_credit_themselves(pioneer, kpmi_a, category, writing_editor):
    article = services.article_write(actor=pioneer, data=article_data(kpmi_a, category), submit=True)
    article = services.article_approve(actor=writing_editor, article=article)
    assert list(article.activity.credits.values_list("member__user", flat=True)) == [pioneer.pk]


def test_a_publication_logged_by_hand_is_linked_not_counted_twice(submitted, editor, pioneer, kpmi_a):
    author = pioneer.member
    logged = make_activity(kpmi=kpmi_a, kind=Kind.PUBLICATION, credited=[author], status=Status.APPROVED)
    before = _kpmi_publications(kpmi_a)
    services.article_link_activity(actor=pioneer, article=submitted, activity=logged)
    article = services.article_approve(actor=editor, article=submitted)
    assert article.activity == logged
    assert _kpmi_publications(kpmi_a) == before


def test_only_the_authors_own_publication_can_be_linked(submitted, pioneer, kpmi_a, member_user_a):
    someone_elses = make_activity(kpmi=kpmi_a, kind=Kind.PUBLICATION, credited=[member_user_a.member])
    with pytest.raises(ValidationError):
        services.article_link_activity(actor=pioneer, article=submitted, activity=someone_elses)
    submitted.refresh_from_db()
    assert submitted.activity is None


def test_no_link_once_published(published, pioneer, kpmi_a):
    logged = make_activity(kpmi=kpmi_a, kind=Kind.PUBLICATION, credited=[pioneer.member])
    with pytest.raises(ValidationError):
        services.article_link_activity(actor=pioneer, article=published, activity=logged)
    assert published.state == State.PUBLISHED
