"""The awards a member or a KPMI received, as their pages list them (KOMTIK's and the associations'),
with a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Award
from members.models import Level
from tests import factories

from .conftest import YEAR

pytestmark = pytest.mark.django_db

# Pages that list awards received, whatever the number of awards. The KPMI page: for everybody the
# group with its counts, supervisors and offshoots (3) and one query per award source (2); a keeper
# adds the session, permissions, the work summary and the targets' progress. The member page: the
# members app's bound (tests/members), plus the recent work a member with logged work shows.
KPMI_PAGE_QUERIES_PUBLIC = 5
KPMI_PAGE_QUERIES_KEEPER = 14
MEMBER_PAGE_QUERIES = 16


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


class TestMemberAndKpmiPages:
    def test_awards_received_show_on_the_member_and_kpmi_pages(self, client, client_for, published, garut, manager_a):
        page = client.get(garut.kpmi_a.get_absolute_url())  # public
        body = page.content.decode()
        assert "Asep" in body and url("year", YEAR) in body
        member_page = client_for(manager_a).get(garut.asep.get_absolute_url()).content.decode()
        award = Award.objects.get(finalist__member=garut.asep)
        assert url("certificate", award.code_display) in member_page

    def test_nothing_shows_before_publication(self, client, in_review, garut):
        body = client.get(garut.kpmi_a.get_absolute_url()).content.decode()
        assert url("year", YEAR) not in body


def grant(officer, member, name: str, day: dt.date | None = None):
    """An association award from the Platform association (programs app), as its officer grants it."""
    from associations.models import Association
    from programs import services as program_services

    return program_services.association_award_grant(
        actor=officer,
        association=Association.objects.get(code="platform"),
        member=member,
        name=name,
        reason=f"Alasan: {name}",
        awarded_on=day or dt.date(YEAR, 11, 20),
    )


def award_queries(context: CaptureQueriesContext) -> int:
    tables = ('"awards_award"', '"programs_associationaward"')
    return sum(1 for q in context.captured_queries if any(f"FROM {t}" in q["sql"] for t in tables))


def awards_section(body: str) -> str:
    """The merged list of awards received (one section for every source)."""
    assert body.count('id="awards-received"') == 1
    start = body.index('id="awards-received"')
    return body[start : body.index("</section>", start)]


class TestAssociationAwardsJoinTheList:
    """Association awards (programs app) are listed with KOMTIK's annual awards, on the member page and
    on the KPMI page, in one list."""

    @pytest.fixture
    def rahmat(self, kpmi_a):
        """A manager of KPMI A with an association award and no annual award."""
        return factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Rahmat Penerap")

    def test_member_with_both_sees_both_in_one_list(self, client_for, published, garut, manager_a, officer_platform):
        grant(officer_platform, garut.asep, "Relawan Penerapan TIK")
        round_award = Award.objects.get(finalist__member=garut.asep)
        section = awards_section(client_for(manager_a).get(garut.asep.get_absolute_url()).content.decode())
        assert "Relawan Penerapan TIK" in section and "Alasan: Relawan Penerapan TIK" in section  # with its reason
        assert "Perhimpunan" in section or "Platform" in section  # given by the association (its name)
        assert url("certificate", round_award.code_display) in section and url("year", YEAR) in section
        assert "KOMTIK Garut" in section
        # The section of issue 5 is gone: one list, not two.
        assert (
            'id="association-awards"' not in client_for(manager_a).get(garut.asep.get_absolute_url()).content.decode()
        )

    def test_the_member_sees_their_own(self, client_for, published, member_user_a, officer_platform, admin_user):
        from members import services as member_services

        member = member_user_a.member
        member_services.member_change_level(actor=admin_user, member=member, to_level=Level.MANAGER, reason="a")
        member.refresh_from_db()
        grant(officer_platform, member, "Relawan Teladan")
        body = client_for(member_user_a).get(member.get_absolute_url()).content.decode()
        assert "Relawan Teladan" in awards_section(body)

    def test_kpmi_page_lists_both_across_years(
        self, client, client_for, published, garut, rahmat, manager_a, officer_platform
    ):
        grant(officer_platform, rahmat, "Relawan Penerapan TIK", day=dt.date(YEAR - 1, 3, 1))
        grant(officer_platform, garut.asep, "Penggerak Jaringan Desa")
        for client_ in (client, client_for(manager_a)):
            section = awards_section(client_.get(garut.kpmi_a.get_absolute_url()).content.decode())
            assert "Relawan Penerapan TIK" in section and "Penggerak Jaringan Desa" in section
            assert "Asep" in section and url("year", YEAR) in section  # the annual award, public
            # Newest year first: the 2025 awards, then the 2024 association award.
            assert section.index("Penggerak Jaringan Desa") < section.index("Relawan Penerapan TIK")
            assert section.index(url("year", YEAR)) < section.index("Relawan Penerapan TIK")

    def test_the_public_kpmi_page_does_not_name_an_association_awards_recipient(
        self, client, client_for, published, rahmat, manager_a, officer_communities, officer_platform
    ):
        grant(officer_platform, rahmat, "Relawan Penerapan TIK")
        public = awards_section(client.get(rahmat.kpmi.get_absolute_url()).content.decode())
        assert "Relawan Penerapan TIK" in public and "Rahmat Penerap" not in public
        assert "Alasan" not in public  # reasons stay on the member's page
        for who in (manager_a, officer_communities):  # those who may see the member list
            section = awards_section(client_for(who).get(rahmat.kpmi.get_absolute_url()).content.decode())
            assert "Rahmat Penerap" in section

    def test_another_kpmi_does_not_list_them(self, client, published, garut, rahmat, officer_platform):
        grant(officer_platform, rahmat, "Relawan Penerapan TIK")
        body = client.get(garut.kpmi_b.get_absolute_url()).content.decode()
        assert "Relawan Penerapan TIK" not in body

    def test_an_association_award_shows_without_any_annual_round(
        self, client, client_for, rahmat, manager_a, officer_platform
    ):
        grant(officer_platform, rahmat, "Relawan Penerapan TIK")
        assert "Relawan Penerapan TIK" in awards_section(
            client_for(manager_a).get(rahmat.get_absolute_url()).content.decode()
        )
        assert "Relawan Penerapan TIK" in awards_section(client.get(rahmat.kpmi.get_absolute_url()).content.decode())

    def test_member_page_queries_do_not_grow(self, client_for, published, garut, manager_a, officer_platform):
        client = client_for(manager_a)
        with CaptureQueriesContext(connection) as only_the_annual_award:
            assert client.get(garut.asep.get_absolute_url()).status_code == 200
        for n in range(1, 7):
            grant(officer_platform, garut.asep, f"Penghargaan {n}", day=dt.date(YEAR - n, 5, 1))
        with CaptureQueriesContext(connection) as with_association_awards:
            body = client.get(garut.asep.get_absolute_url()).content.decode()
        assert all(f"Penghargaan {n}" in body for n in range(1, 7))
        # The merged list costs what the two sections cost before: one query per award source,
        # however many awards; the page as a whole does not grow with them.
        assert award_queries(with_association_awards) == 2
        assert len(with_association_awards) == len(only_the_annual_award) <= MEMBER_PAGE_QUERIES

    def test_kpmi_page_queries_do_not_grow(
        self, client, client_for, published, garut, rahmat, manager_a, officer_platform
    ):
        readers = {
            "public": (client, KPMI_PAGE_QUERIES_PUBLIC),
            "keeper": (client_for(manager_a), KPMI_PAGE_QUERIES_KEEPER),
        }
        before = {}
        for who, (client_, _bound) in readers.items():
            with CaptureQueriesContext(connection) as only_the_annual_awards:
                assert client_.get(garut.kpmi_a.get_absolute_url()).status_code == 200
            before[who] = len(only_the_annual_awards)
        for n in range(1, 7):
            grant(officer_platform, rahmat if n % 2 else garut.asep, f"Penghargaan {n}", day=dt.date(YEAR - n, 5, 1))
        for who, (client_, bound) in readers.items():
            with CaptureQueriesContext(connection) as queries:
                body = client_.get(garut.kpmi_a.get_absolute_url()).content.decode()
            assert all(f"Penghargaan {n}" in body for n in range(1, 7))
            assert award_queries(queries) == 2
            assert len(queries) == before[who] <= bound, who
