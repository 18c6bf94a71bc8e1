"""The awards of 2025 in a small Garut: who did what in 2025 and 2024, so that every rule of the
shortlist (scores, raising, tie-breaks, minimums, levels at the year's end, supervisors) shows."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from awards import services
from awards.models import Achievement, AwardCategory, AwardRound, Subject
from awards.services import CategorySpec
from members.models import KpmiRole, Level, LevelChange, Member
from programs.models import Kind, Status
from tests import factories
from tests.programs.factories import make_activity

YEAR = 2025


def day(month: int, d: int = 15, year: int = YEAR) -> dt.date:
    return dt.date(year, month, d)


def promote(member: Member, to_level: int, on: dt.date) -> LevelChange:
    """A level change written as the ladder service writes it (without its date rules, for old dates)."""
    change = LevelChange.objects.create(
        member=member,
        kind=LevelChange.Kind.PROMOTION,
        from_level=member.level,
        to_level=to_level,
        effective_on=on,
        reason="Lulus ToT" if to_level == Level.TRAINER else "Naik jenjang",
    )
    member.level = to_level
    member.save(update_fields=["level"])
    return change


def publish(
    member: Member, *months: int, year: int = YEAR, status: str = Status.APPROVED, kind: str = Kind.PUBLICATION
):
    return [
        make_activity(kpmi=member.kpmi, credited=[member], kind=kind, date=day(m, year=year), status=status)
        for m in months
    ]


def category(round: AwardRound, subject: str, achievement: str) -> AwardCategory:
    return round.categories.get(subject=subject, achievement=achievement)


@pytest.fixture(autouse=True)
def english_messages():
    """Services speak the active language; tests that read a refusal's words read the English msgid,
    whatever the state of the Indonesian catalogue. (Pages still render in Indonesian per request.)"""
    with translation.override("en"):
        yield


@pytest.fixture
def garut(kpmi_a, kpmi_b, supervisor_a):
    """
    Managers' publications (approved; 2025 | 2024):
      Asep   (A, joined 2018): 3 | 1  -> +2
      Budi   (A, joined 2019): 3 | 1  -> +2   (ties Asep; Asep joined earlier)
      Cucu   (B, joined 2017): 3 | 3  ->  0
      Dedi   (B):              2 | 0  -> +2   (and one pending, one rejected: not counted)
      Euis   (A):              1 | 5  -> -4
    Fajar was a trainer on 31 Dec 2025 (promoted to manager in 2026): a trainer in the 2025 round.
    Trainers produced in 2025: Tini (trainer of A) trained Gita and Hadi, promoted in 2025; Iwan
    (promoted in 2024) counts for 2024.
    KPMI founded in 2025: pioneer Popon of A founded KPMI Gamma (from A).
    Supervisors: supervisor_a (of A); Pak Ujang supervises A and B (competes once, with A).
    """

    def manager(name, kpmi, joined):
        return factories.MemberFactory(kpmi=kpmi, level=Level.MANAGER, full_name=name, joined_on=joined)

    asep = manager("Asep", kpmi_a, dt.date(2018, 1, 1))
    budi = manager("Budi", kpmi_a, dt.date(2019, 1, 1))
    cucu = manager("Cucu", kpmi_b, dt.date(2017, 1, 1))
    dedi = manager("Dedi", kpmi_b, dt.date(2016, 1, 1))
    euis = manager("Euis", kpmi_a, dt.date(2016, 6, 1))
    publish(asep, 1, 2, 3)
    publish(asep, 5, year=2024)
    publish(budi, 4, 5, 6)
    publish(budi, 7, year=2024)
    publish(cucu, 1, 2, 3)
    publish(cucu, 1, 2, 3, year=2024)
    publish(dedi, 8, 9)
    publish(dedi, 10, status=Status.PENDING)
    publish(dedi, 11, status=Status.REJECTED)
    publish(euis, 12)
    publish(euis, 1, 2, 3, 4, 5, year=2024)
    # Next year's work does not count for 2025.
    publish(euis, 1, 2, 3, 4, 5, 6, year=2026)

    fajar = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER, full_name="Fajar", joined_on=dt.date(2020, 1, 1))
    publish(fajar, 1, 2, 3, 4, kind=Kind.EDUCATION)
    promote(fajar, Level.MANAGER, dt.date(2026, 1, 10))

    tini = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER, full_name="Tini", joined_on=dt.date(2019, 1, 1))
    gita = factories.MemberFactory(kpmi=kpmi_a, full_name="Gita", trained_by=tini, joined_on=dt.date(2024, 2, 1))
    hadi = factories.MemberFactory(kpmi=kpmi_a, full_name="Hadi", trained_by=tini, joined_on=dt.date(2024, 3, 1))
    iwan = factories.MemberFactory(kpmi=kpmi_a, full_name="Iwan", trained_by=tini, joined_on=dt.date(2023, 3, 1))
    promote(gita, Level.TRAINER, day(4))
    promote(hadi, Level.TRAINER, day(6))
    promote(iwan, Level.TRAINER, day(6, year=2024))

    popon = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Popon", joined_on=dt.date(2015, 5, 1))
    promote(popon, Level.PIONEER, day(9))
    gamma = factories.KpmiFactory(name="KPMI Gamma", founded_from=kpmi_a, founded_by=popon, founded_on=day(9))

    ujang = factories.UserFactory(username="pak_ujang", first_name="Ujang")
    KpmiRole.objects.create(kpmi=kpmi_a, user=ujang, role=KpmiRole.Role.SUPERVISOR, since=dt.date(2016, 1, 1))
    KpmiRole.objects.create(kpmi=kpmi_b, user=ujang, role=KpmiRole.Role.SUPERVISOR, since=dt.date(2016, 1, 1))
    KpmiRole.objects.filter(user=supervisor_a).update(since=dt.date(2020, 1, 1))
    return SimpleNamespace(
        kpmi_a=kpmi_a,
        kpmi_b=kpmi_b,
        gamma=gamma,
        asep=asep,
        budi=budi,
        cucu=cucu,
        dedi=dedi,
        euis=euis,
        fajar=fajar,
        tini=tini,
        gita=gita,
        hadi=hadi,
        popon=popon,
        ujang=ujang,
        supervisor_a=supervisor_a,
    )


@pytest.fixture
def round_2025(admin_user) -> AwardRound:
    return services.award_round_open(actor=admin_user, year=YEAR)


def build(round: AwardRound, actor=None):
    """Build the shortlist in this process, as the job does."""
    created, _ = services.shortlist_create(actor=actor, round=round)
    return services.shortlist_build(build_id=created.pk)


@pytest.fixture
def shortlisted(round_2025, garut):
    build(round_2025)
    round_2025.refresh_from_db()
    return round_2025


@pytest.fixture
def jury_user(db):
    return factories.UserFactory(username="juri_satu", first_name="Juri")


@pytest.fixture
def in_review(shortlisted, admin_user, jury_user):
    """The 2025 round in jury review, with one jury member for the managers' publications."""
    services.jury_member_set(
        actor=admin_user,
        round=shortlisted,
        user=jury_user,
        categories=[category(shortlisted, Subject.MANAGER, Achievement.PUBLICATIONS)],
    )
    return services.award_round_start_review(actor=admin_user, round=shortlisted)


def decide_all_by_tally(round: AwardRound, admin) -> None:
    """Decide every category as the tally suggests (categories without finalists: nobody, with a reason)."""
    from awards import selectors

    for c in round.categories.all():
        tally = selectors.category_tally(c)
        winners = [f for f in tally if f.pk in selectors.suggested_winner_ids(tally, c.winners_count)]
        services.category_decide(
            actor=admin, category=c, winners=winners, reason="" if winners else "Tidak ada finalis."
        )


@pytest.fixture
def published(in_review, admin_user):
    decide_all_by_tally(in_review, admin_user)
    services.award_round_finalise(actor=admin_user, round=in_review)
    return services.award_round_publish(actor=admin_user, round=in_review)


__all__ = ["CategorySpec"]
