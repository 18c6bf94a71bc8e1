""" "Our KPMI's work": what a group's keepers see, with filters, pages and downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import KpmiRole
from programs.models import Kind, Status
from tests import factories

from .factories import make_activity, recent

pytestmark = pytest.mark.django_db

URL = reverse("programs:work_list")


@pytest.fixture
def records(kpmi_a, kpmi_b, manager_member_a, trainer_a, member_b, manager_b):
    """A's own publication, B's joint deployment crediting A's trainer, B's own session."""
    return {
        "own": make_activity(kpmi=kpmi_a, credited=[manager_member_a], title="Berita panen Sukamaju"),
        "joint": make_activity(
            kpmi=kpmi_b, credited=[member_b, trainer_a], kind=Kind.DEPLOYMENT, title="LAN SDN 1 Cibatu"
        ),
        "b_only": make_activity(kpmi=kpmi_b, credited=[member_b], kind=Kind.EDUCATION, title="Email untuk UMKM"),
    }


def _titles(response) -> set[str]:
    return {a.title for a in response.context["page"]}


class TestAccess:
    def test_manager_sees_own_work_and_joint_work_of_own_members(self, client_for, manager_a, records):
        response = client_for(manager_a).get(URL)
        assert response.status_code == 200
        assert _titles(response) == {"Berita panen Sukamaju", "LAN SDN 1 Cibatu"}

    def test_the_logging_group_sees_joint_work_too(self, client_for, manager_b, records):
        assert _titles(client_for(manager_b).get(URL)) == {"LAN SDN 1 Cibatu", "Email untuk UMKM"}

    def test_another_kpmi_is_refused(self, client_for, manager_a, kpmi_b, records):
        assert client_for(manager_a).get(URL, {"kpmi": kpmi_b.pk}).status_code == 403

    def test_officer_sees_every_group_or_one(self, client_for, officer_users, kpmi_b, records):
        client = client_for(officer_users)
        assert len(_titles(client.get(URL))) == 3
        assert _titles(client.get(URL, {"kpmi": kpmi_b.pk})) == {"LAN SDN 1 Cibatu", "Email untuk UMKM"}

    def test_keeper_of_two_groups_switches_between_them(self, client_for, manager_a, kpmi_a, kpmi_b, records):
        KpmiRole.objects.create(kpmi=kpmi_b, user=manager_a, role=KpmiRole.Role.SUPERVISOR)
        response = client_for(manager_a).get(URL, {"kpmi": kpmi_b.pk})
        assert response.status_code == 200
        assert list(response.context["switchable"]) == [kpmi_a, kpmi_b]

    def test_a_member_without_a_role_goes_to_their_own_work(self, client_for, member_user_a):
        assert client_for(member_user_a).get(URL).url == reverse("programs:my_work")

    def test_wrong_role(self, client_for, outsider):
        assert client_for(outsider).get(URL).status_code == 403

    def test_wrong_method(self, client_for, manager_a):
        assert client_for(manager_a).post(URL).status_code == 405

    def test_bad_kpmi_parameter(self, client_for, manager_a):
        assert client_for(manager_a).get(URL, {"kpmi": "abc"}).status_code == 404


class TestFilters:
    def test_by_kind(self, client_for, manager_a, records):
        assert _titles(client_for(manager_a).get(URL, {"kind": Kind.DEPLOYMENT})) == {"LAN SDN 1 Cibatu"}

    def test_by_period(self, client_for, manager_a, kpmi_a, manager_member_a, records):
        make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=dt.date(2024, 2, 3), title="Lama")
        response = client_for(manager_a).get(URL, {"date_from": "2024-01-01", "date_to": "2024-12-31"})
        assert _titles(response) == {"Lama"}

    def test_by_kecamatan(self, client_for, manager_a, kpmi_a, manager_member_a, records):
        cilawu = factories.kecamatan("Cilawu")
        make_activity(kpmi=kpmi_a, credited=[manager_member_a], kecamatan=cilawu, title="Di Cilawu")
        assert _titles(client_for(manager_a).get(URL, {"kecamatan": cilawu.pk})) == {"Di Cilawu"}

    def test_by_credited_member(self, client_for, manager_a, trainer_a, records):
        assert _titles(client_for(manager_a).get(URL, {"member": trainer_a.pk})) == {"LAN SDN 1 Cibatu"}

    def test_by_status(self, client_for, manager_a, kpmi_a, member_a, records):
        make_activity(kpmi=kpmi_a, credited=[member_a], status=Status.PENDING, title="Menunggu")
        response = client_for(manager_a).get(URL, {"status": Status.PENDING})
        assert _titles(response) == {"Menunggu"}
        assert response.context["pending"] == 1

    def test_paginated(self, settings, client_for, manager_a, kpmi_a, manager_member_a):
        settings.PAGE_SIZE = 2
        for day in range(5):
            make_activity(kpmi=kpmi_a, credited=[manager_member_a], date=recent(day + 1))
        page = client_for(manager_a).get(URL, {"page": 3}).context["page"]
        assert (page.number, len(page.object_list), page.paginator.count) == (3, 1, 5)


class TestExport:
    def test_csv_of_the_filtered_list(self, client_for, manager_a, records):
        response = client_for(manager_a).get(URL, {"kind": Kind.DEPLOYMENT, "format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == 2
        assert rows[1][4] == "LAN SDN 1 Cibatu"
        assert "SDN 1 Cibatu" in rows[1]

    def test_xlsx(self, client_for, manager_a, records):
        response = client_for(manager_a).get(URL, {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        titles = {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert titles == {"Berita panen Sukamaju", "LAN SDN 1 Cibatu"}

    def test_formulas_typed_into_a_title_stay_text(self, client_for, manager_a, kpmi_a, manager_member_a):
        make_activity(kpmi=kpmi_a, credited=[manager_member_a], title='=HYPERLINK("http://x")')
        text = b"".join(client_for(manager_a).get(URL, {"format": "csv"}).streaming_content).decode("utf-8-sig")
        assert "'=HYPERLINK" in text

    def test_formulas_stay_text_in_the_workbook(self, client_for, manager_a, kpmi_a, manager_member_a):
        make_activity(kpmi=kpmi_a, credited=[manager_member_a], title="=1+2")
        response = client_for(manager_a).get(URL, {"format": "xlsx"})
        cell = load_workbook(io.BytesIO(response.content)).active["E2"]
        assert cell.data_type == "s" and cell.value.lstrip("'") == "=1+2"

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_exports_are_not_cached(self, client_for, manager_a, records, fmt):
        response = client_for(manager_a).get(URL, {"format": fmt})
        assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
        assert response["Content-Disposition"].startswith('attachment; filename="')

    def test_export_of_another_kpmi_is_refused(self, client_for, manager_a, kpmi_b):
        assert client_for(manager_a).get(URL, {"kpmi": kpmi_b.pk, "format": "csv"}).status_code == 403

    def test_export_query_count_does_not_grow(self, django_assert_max_num_queries, client_for, manager_a, kpmi_a):
        members = [factories.MemberFactory(kpmi=kpmi_a) for _ in range(3)]
        for day in range(30):
            make_activity(kpmi=kpmi_a, credited=members, kind=Kind.TRAINING, trainees=[members[0]], date=recent(day))
        client = client_for(manager_a)
        with django_assert_max_num_queries(12):
            response = client.get(URL, {"format": "xlsx"})
        assert load_workbook(io.BytesIO(response.content)).active.max_row == 31


def test_list_runs_a_bounded_number_of_queries(django_assert_max_num_queries, client_for, manager_a, kpmi_a, kpmi_b):
    """Whatever the number of records and credits, a page costs the same few queries."""
    credited = [factories.MemberFactory(kpmi=kpmi_a) for _ in range(3)] + [factories.MemberFactory(kpmi=kpmi_b)]
    client = client_for(manager_a)
    client.get(URL)  # warm the session

    make_activity(kpmi=kpmi_a, credited=credited[:1])
    with django_assert_max_num_queries(16) as few:
        client.get(URL)
    for day in range(40):
        make_activity(kpmi=kpmi_a, credited=credited, kind=list(Kind)[day % 4], date=recent(day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"]) == 25
