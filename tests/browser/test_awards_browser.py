"""The annual award round end to end in a phone browser: the KOMTIK admin opens last year's round
with the default categories -> builds the shortlist with the button (no broker: the job runs in the
request) -> follows a score to the very records behind it -> seats a juror and starts the review ->
the juror votes -> the admin decides as the tally suggests, finalises and publishes -> a visitor
reads the winners and checks a certificate's code, and a wrong code is a clear 404.

Selectors use ids, URLs and names rather than labels; where text is read, it is the Indonesian the
page shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import Achievement, Award, AwardCategory, AwardRound, Finalist, ShortlistBuild, Subject, Vote
from members.models import Level
from programs.models import Kind, Status
from tests import factories
from tests.factories import PASSWORD
from tests.programs.factories import make_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(new_context, live_server):
    """session(username) -> a page of a fresh browser context, logged in as that user;
    session(None) -> an anonymous visitor's page."""
    contexts = []

    def open_as(username: str | None):
        context = new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username is None:
            return page
        page.goto(f"{live_server.url}/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        context.close()


def publications(member, year: int, *months: int, status: str = Status.APPROVED):
    return [
        make_activity(
            kpmi=member.kpmi,
            credited=[member],
            kind=Kind.PUBLICATION,
            date=dt.date(year, m, 10),
            status=status,
            title=f"Artikel {member.full_name} {year}-{m:02d}",
        )
        for m in months
    ]


def test_award_round_journey(session, live_server, admin_user, kpmi_a, kpmi_b):
    year = timezone.localdate().year - 1  # awards honour a year that is over

    def manager(name, kpmi, joined):
        return factories.MemberFactory(kpmi=kpmi, level=Level.MANAGER, full_name=name, joined_on=joined)

    asep = manager("Asep Pengelola", kpmi_a, dt.date(2018, 1, 1))
    budi = manager("Budi Pengelola", kpmi_b, dt.date(2019, 1, 1))
    cucu = manager("Cucu Pengelola", kpmi_a, dt.date(2017, 1, 1))
    publications(asep, year, 1, 2, 3)
    publications(asep, year - 1, 5)
    publications(budi, year, 4, 5)
    publications(budi, year, 6, status=Status.PENDING)  # not approved: not counted
    publications(cucu, year, 7)
    factories.UserFactory(username="juri_satu", first_name="Juri")

    # The admin opens last year's round from the list; the form comes with the defaults.
    admin = session("admin")
    admin.goto(f"{live_server.url}/penghargaan/kelola/")
    admin.locator("main a[href='/penghargaan/kelola/baru/']").click()
    admin.wait_for_url("**/penghargaan/kelola/baru/")
    expect(admin.locator("input[name=year]")).to_have_value(str(year))
    prefix = f"c-{Subject.MANAGER}-{Achievement.PUBLICATIONS}-"
    expect(admin.locator(f"input[name='{prefix}on']")).to_be_checked()
    expect(admin.locator(f"input[name='{prefix}winners']")).to_have_value("3")
    admin.locator("main form[method=post] button[type=submit]").click()
    admin.wait_for_url("**/penghargaan/kelola/*/")
    round = AwardRound.objects.get(year=year)
    assert admin.url.endswith(round.get_absolute_url())
    assert round.categories.count() > 1  # all the default categories
    category = AwardCategory.objects.get(round=round, subject=Subject.MANAGER, achievement=Achievement.PUBLICATIONS)

    # The shortlist is built with the button; the progress bar goes away once the build is done
    # (here the job ran in the request; with a worker the page polls and reloads).
    admin.locator(f"form[action$='/penghargaan/kelola/{round.pk}/susun/'] button[type=submit]").click()
    admin.wait_for_url(f"**{round.get_absolute_url()}")
    expect(admin.locator("#evaluation-progress")).to_have_count(0, timeout=30_000)
    build = ShortlistBuild.objects.filter(round=round).latest("pk")
    assert build.status == ShortlistBuild.Status.SUCCEEDED, build.error
    assert AwardRound.objects.get(pk=round.pk).status == AwardRound.Status.SHORTLISTED
    assert admin.locator("main h1 .badge").inner_text() == "Finalis tersusun"
    expect(admin.locator("main div.bg-light")).to_contain_text("Penyusunan finalis terakhir: Selesai")

    finalists = {f.member_id: f for f in Finalist.objects.filter(category=category)}
    assert set(finalists) == {asep.pk, budi.pk, cucu.pk}
    assert [finalists[m.pk].score for m in (asep, budi, cucu)] == [3, 2, 1]
    # Each finalist shows with their score, which links to the records behind it.
    for member in (asep, budi, cucu):
        f = finalists[member.pk]
        score = admin.locator(f"main a[href='/penghargaan/finalis/{f.pk}/rincian/']")
        expect(score).to_have_text(str(f.score))
    admin.locator(f"main a[href='/penghargaan/finalis/{finalists[budi.pk].pk}/rincian/']").click()
    admin.wait_for_url(f"**/penghargaan/finalis/{finalists[budi.pk].pk}/rincian/")
    records = admin.locator("main ul.list-group")
    expect(records.get_by_text(f"Artikel Budi Pengelola {year}-04")).to_be_visible()
    expect(records.get_by_text(f"Artikel Budi Pengelola {year}-05")).to_be_visible()
    expect(records.get_by_text(f"Artikel Budi Pengelola {year}-06")).to_have_count(0)  # pending

    # The jury member, for the managers' publications, through the jury page.
    admin.goto(f"{live_server.url}{round.get_absolute_url()}")
    admin.locator(f"main a[href='/penghargaan/kelola/{round.pk}/juri/']").click()
    admin.wait_for_url(f"**/penghargaan/kelola/{round.pk}/juri/")
    admin.fill("input[name=username]", "juri_satu")
    admin.locator(f"input[name=categories][value='{category.pk}']").check()
    admin.locator("main form:has(input[name=username]) button[type=submit]").click()
    admin.wait_for_url(f"**/penghargaan/kelola/{round.pk}/juri/")
    expect(admin.locator("main table tbody").get_by_text("(juri_satu)")).to_be_visible()
    assert list(round.jury.get().categories.all()) == [category]

    # The review starts from the round page: that locks the shortlist.
    admin.goto(f"{live_server.url}{round.get_absolute_url()}")
    admin.locator("#review-start").click()  # a page that says what will happen, then the confirmation (#14)
    admin.wait_for_url(f"**/penghargaan/kelola/{round.pk}/penilaian/")
    assert admin.locator("#confirm-consequences li").count() >= 1
    admin.locator("#confirm-button").click()
    admin.wait_for_url(f"**{round.get_absolute_url()}")
    assert AwardRound.objects.get(pk=round.pk).status == AwardRound.Status.IN_REVIEW
    assert admin.locator(f"form[action$='/penghargaan/kelola/{round.pk}/susun/']").count() == 0

    # The juror reads Budi's records and gives him a 5: the tally puts him first.
    juror = session("juri_satu")
    juror.goto(f"{live_server.url}/penghargaan/juri/")
    juror.locator(f"main a[href='/penghargaan/juri/{round.pk}/']").click()
    juror.wait_for_url(f"**/penghargaan/juri/{round.pk}/")
    budi_finalist = finalists[budi.pk]
    juror.locator(f"main a[href='/penghargaan/juri/finalis/{budi_finalist.pk}/']").first.click()
    juror.wait_for_url(f"**/penghargaan/juri/finalis/{budi_finalist.pk}/")
    expect(juror.locator("main ul.list-group").get_by_text(f"Artikel Budi Pengelola {year}-04")).to_be_visible()
    juror.locator("input[name=score][value='5']").check()
    juror.fill("textarea[name=comment]", "Konsisten menulis sepanjang tahun.")
    juror.locator("main form[method=post] button[type=submit]").click()
    juror.wait_for_url(f"**/penghargaan/juri/{round.pk}/")
    vote = Vote.objects.get()
    assert (vote.finalist_id, vote.score) == (budi_finalist.pk, 5)
    expect(juror.get_by_text("Nilai Anda untuk Budi Pengelola disimpan.")).to_be_visible()

    # The admin decides the categories nobody reached at once, with one reason, from the round page;
    # then the managers' publications as the tally suggests (the suggested finalists come ticked).
    admin.goto(f"{live_server.url}{round.get_absolute_url()}")
    admin.fill("#decide-empty input[name=reason]", "Tidak ada finalis.")
    admin.locator("#decide-empty button[type=submit]").click()
    admin.wait_for_url(f"**{round.get_absolute_url()}")
    assert list(round.categories.filter(decided_at__isnull=True)) == [category]
    admin.locator(f"main a[href='/penghargaan/kelola/kategori/{category.pk}/pemenang/']").click()
    admin.wait_for_url(f"**/penghargaan/kelola/kategori/{category.pk}/pemenang/")
    expect(admin.locator(f"input[name=winners][value='{budi_finalist.pk}']")).to_be_checked()
    admin.locator("main form[method=post] button[type=submit]").click()
    admin.wait_for_url(f"**{round.get_absolute_url()}")
    assert not round.categories.filter(decided_at__isnull=True).exists()
    winners = list(Finalist.objects.filter(category=category, is_winner=True).order_by("place"))
    assert [f.member_id for f in winners] == [budi.pk, asep.pk, cucu.pk]

    admin.locator("#round-finalise").click()  # a page that says what will happen, then the confirmation (#14)
    admin.wait_for_url(f"**/penghargaan/kelola/{round.pk}/finalisasi/")
    assert admin.locator("#confirm-consequences li").count() >= 1
    admin.locator("#confirm-button").click()
    admin.wait_for_url(f"**{round.get_absolute_url()}")
    assert AwardRound.objects.get(pk=round.pk).status == AwardRound.Status.FINALISED
    admin.locator("#round-publish").click()  # a page that says what will happen, then the confirmation (#14)
    admin.wait_for_url(f"**/penghargaan/kelola/{round.pk}/terbitkan/")
    assert admin.locator("#confirm-consequences li").count() >= 1
    admin.locator("#confirm-button").click()
    admin.wait_for_url(f"**{round.get_absolute_url()}")
    assert AwardRound.objects.get(pk=round.pk).status == AwardRound.Status.PUBLISHED
    assert admin.locator("main h1 .badge").inner_text() == "Diumumkan"
    award = Award.objects.get(finalist=budi_finalist)

    # A visitor reads the winners of the year: Budi first in his category, with his KPMI.
    visitor = session(None)
    response = visitor.goto(f"{live_server.url}/penghargaan/{year}/")
    assert response.status == 200
    expect(visitor.locator("main h1")).to_have_text(f"Pemenang penghargaan {year}")
    first = visitor.locator("main section ol.list-group li").first
    expect(first.locator(".fw-semibold")).to_have_text("Budi Pengelola")
    expect(first.locator(f"a[href='{kpmi_b.get_absolute_url()}']")).to_have_text("KPMI Beta")

    # The certificate's code, typed on the verification page, is verified.
    visitor.goto(f"{live_server.url}/penghargaan/verifikasi/")
    visitor.fill("#id_code", award.code_display)
    visitor.locator("main form[action$='/penghargaan/verifikasi/'] button[type=submit]").click()
    visitor.wait_for_url(f"**/penghargaan/verifikasi/{award.code}/")
    expect(visitor.locator("main h1")).to_have_text("Piagam terverifikasi")
    expect(visitor.locator("main .alert-success")).to_have_text(
        "Piagam ini asli: KOMTIK Garut memberikan penghargaan ini."
    )
    expect(visitor.locator("main dl code")).to_have_text(award.code_display)
    expect(visitor.locator("main dl").get_by_text("Budi Pengelola")).to_be_visible()

    # A wrong code: a clear "not found" page with a 404, not a server error.
    wrong = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
    assert not Award.objects.filter(code=wrong.replace("-", "")).exists()
    visitor.goto(f"{live_server.url}/penghargaan/verifikasi/")
    visitor.fill("#id_code", wrong)
    with visitor.expect_response(f"**/penghargaan/verifikasi/{wrong.replace('-', '')}/") as info:
        visitor.locator("main form[action$='/penghargaan/verifikasi/'] button[type=submit]").click()
    assert info.value.status == 404
    expect(visitor.locator("main h1")).to_have_text("Piagam tidak ditemukan")
    expect(visitor.locator("#id_code")).to_be_visible()  # and the form to try again
