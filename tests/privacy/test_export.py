"""A member downloads everything SI KPMI holds about them, as JSON and as XLSX (UU 27/2022)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from associations.models import Association
from kpmi_si.accounts import services as account_services
from kpmi_si.audit.models import AuditEntry
from kpmi_si.privacy.selectors import MEMBER_DATA_SOURCES

from .conftest import BIRTH_YEAR, EMAIL, LOGIN_EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db


def url(member, fmt="json"):
    return reverse("privacy:member_data_export", args=[member.pk]) + f"?format={fmt}"


def test_member_downloads_all_their_data_as_json(client_for, euis, member_user_a):
    response = client_for(member_user_a).get(url(euis.member))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(f'attachment; filename="data-anggota-{euis.member.pk}-')
    cache = response["Cache-Control"]
    assert "private" in cache and "no-store" in cache
    data = json.loads(response.content)
    assert set(data) >= {"profile", "level_history", "roles", "work", "invitations", "project_signups"}
    assert set(data) >= {"association_awards", "annual_awards", "jury_votes", "notifications", "audit"}
    profile = data["profile"][0]
    assert (profile["full_name"], profile["phone"], profile["email"], profile["birth_year"]) == (
        NAME,
        PHONE,
        EMAIL,
        BIRTH_YEAR,
    )
    assert profile["login_email"] == LOGIN_EMAIL and profile["kpmi"] == "KPMI Alfa"
    assert [row["to_level"] for row in data["level_history"]]
    (work,) = data["work"]
    assert work["title"].endswith(NAME)
    assert work["details"]["venue"] == "Balai Desa Sukamaju" and work["details"]["participants"] == 25
    assert work["evidence_files"] == [f"Foto {NAME} di balai desa.jpg"]
    assert [row["event"] for row in data["invitations"]] == [str(euis.invitation.event)]
    assert [row["project"] for row in data["project_signups"]] == ["Jaringan SDN 2 Cibatu"]
    assert [row["award"] for row in data["association_awards"]] == ["Relawan Teladan"]
    assert [row["message"] for row in data["notifications"]] == ["Anda diundang ke ToT Pusat 7."]
    # The manager's edits of her contact details are hers to see, with who made them.
    assert {row["action"] for row in data["audit"]} >= {"member.update"}


def test_every_source_is_in_the_file(client_for, euis, member_user_a):
    data = json.loads(client_for(member_user_a).get(url(euis.member)).content)
    keys = {source(euis.member).key for source in MEMBER_DATA_SOURCES}
    assert keys <= set(data)


def test_download_is_audited_without_a_copy_of_the_data(client_for, euis, member_user_a):
    client_for(member_user_a).get(url(euis.member, "xlsx"))
    entry = AuditEntry.objects.filter(action="member.data_export").get()
    assert entry.actor == member_user_a
    assert entry.target_id == str(euis.member.pk)
    assert entry.changes == {"format": [None, "xlsx"]}


def test_xlsx_has_one_sheet_per_section_and_writes_values_as_text(client_for, euis, member_user_a):
    formula = '=HYPERLINK("http://contoh.id/x","klik")'
    euis.member.full_name = formula
    euis.member.save(update_fields=["full_name"])

    response = client_for(member_user_a).get(url(euis.member, "xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "no-store" in response["Cache-Control"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == len(MEMBER_DATA_SOURCES)
    profile = workbook.worksheets[0]
    headers = [cell.value for cell in profile[1]]
    values = dict(zip(headers, profile[2], strict=True))
    name_cell = values["nama lengkap"]
    # Stored as text, exactly as typed: a spreadsheet shows it, never runs it.
    assert name_cell.data_type == "s"
    assert name_cell.value == formula
    assert values["telepon"].value == PHONE
    assert values["tahun lahir"].value == str(BIRTH_YEAR)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells if cell.value is not None)


def test_admin_may_download_for_a_member(client_for, euis, admin_user):
    response = client_for(admin_user).get(url(euis.member))
    assert response.status_code == 200
    assert AuditEntry.objects.get(action="member.data_export").actor == admin_user


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("manager_a", 403),  # sees the member's page, not a copy of everything
        ("supervisor_a", 403),
        ("officer_users", 403),
        ("manager_b", 404),  # another group's member does not exist for them
        ("outsider", 404),
    ],
)
def test_nobody_else_may_download(request, client_for, euis, who, status):
    response = client_for(request.getfixturevalue(who)).get(url(euis.member))
    assert response.status_code == status
    assert not AuditEntry.objects.filter(action="member.data_export").exists()


def test_anonymous_is_sent_to_log_in(client, euis):
    response = client.get(url(euis.member))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_bad_requests_answer_without_an_error_page(client_for, euis, member_user_a):
    client = client_for(member_user_a)
    assert client.get(url(euis.member, "pdf")).status_code == 404
    assert client.post(url(euis.member)).status_code == 405
    assert client.get(reverse("privacy:member_data_export", args=[999999])).status_code == 404


def test_the_member_page_offers_the_download_only_to_the_member_and_the_admin(
    client_for, euis, member_user_a, admin_user, manager_a
):
    link = reverse("privacy:member_data_export", args=[euis.member.pk])
    assert link in client_for(member_user_a).get(euis.member.get_absolute_url()).content.decode()
    assert link in client_for(admin_user).get(euis.member.get_absolute_url()).content.decode()
    assert link not in client_for(manager_a).get(euis.member.get_absolute_url()).content.decode()


def test_download_reads_a_bounded_number_of_queries(client_for, euis, member_user_a, django_assert_max_num_queries):
    client = client_for(member_user_a)
    with django_assert_max_num_queries(40):
        client.get(url(euis.member, "xlsx"))


def test_her_service_orders_and_business_are_in_the_file(client_for, euis, member_user_a, manager_a, kpmi_a):
    from decimal import Decimal

    from django.utils import timezone

    from entrepreneurship.services import catalogue
    from entrepreneurship.services.businesses import business_register
    from entrepreneurship.services.orders import order_create
    from members.models import Level

    member = euis.member
    service = catalogue.service_create(
        actor=manager_a, kpmi=kpmi_a, data={"name": "Servis laptop", "unit": "item", "price": Decimal("75000")}
    )
    order_create(actor=manager_a, kpmi=kpmi_a, service=service, quantity=1, date=timezone.localdate(), member=member)
    member.level = Level.PIONEER
    member.save(update_fields=["level"])
    business_register(
        actor=manager_a,
        kpmi=kpmi_a,
        owner=member,
        name="Servis Euis",
        kind="repair",
        started_on=timezone.localdate(),
        pledged_share=10,
    )

    data = json.loads(client_for(member_user_a).get(url(member)).content)

    assert [(row["service"], row["total"]) for row in data["services_received"]] == [("Servis laptop", "75000.00")]
    assert [row["name"] for row in data["businesses"]] == ["Servis Euis"]
    assert data["earnings"] == []


def test_an_ended_officer_appointment_is_among_the_members_roles(client_for, admin_user, euis, member_user_a):
    users = Association.objects.get(code="users")
    first_day = dt.date(2025, 1, 6)
    officer, _code = account_services.officer_assign(
        actor=admin_user, association=users, user=member_user_a, title="Sekretaris", since=first_day
    )
    account_services.officer_end(actor=admin_user, officer=officer, until=dt.date(2025, 6, 30))

    data = json.loads(client_for(member_user_a).get(url(euis.member)).content)

    served = [row for row in data["roles"] if row["of"] == users.name]
    assert served == [{"role": "Sekretaris", "of": users.name, "since": "2025-01-06", "until": "2025-06-30"}]
