"""A manager on a phone logs in, lands on their group's member list and adds a member."""

from __future__ import annotations

import re

import pytest

from members.models import Level, Member
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_manager_adds_a_member_through_the_form(page, login, live_server, manager_a, kpmi_a):
    login("manager_a", PASSWORD)
    # Each role lands on its own home: a manager on what waits for their group, which links its members.
    assert page.url.endswith("/beranda/")
    page.locator(f"main a[href='/kpmi/{kpmi_a.pk}/anggota/']").first.click()
    page.wait_for_url(f"**/kpmi/{kpmi_a.pk}/anggota/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert _no_horizontal_scroll(page)

    page.get_by_role("link", name="Tambah anggota").click()
    page.get_by_label("Nama lengkap").fill("Neng Yuyun Rahayu")
    page.get_by_label("Telepon").fill("0812 2233 4455")
    page.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    page.get_by_label("Tahun lahir").fill("2007")
    page.get_by_label("Tanggal bergabung").fill("2024-09-01")
    assert _no_horizontal_scroll(page)
    page.get_by_role("button", name="Simpan").click()

    member = Member.objects.get(full_name="Neng Yuyun Rahayu")
    page.wait_for_url(re.compile(rf"/anggota/{member.pk}/$"))
    assert member.kpmi == kpmi_a and member.level == Level.TRAINER_CANDIDATE
    assert page.get_by_text("Neng Yuyun Rahayu telah ditambahkan sebagai anggota.").is_visible()
    assert page.get_by_text("Terdaftar sebagai anggota baru.").is_visible()


def test_bad_input_shows_indonesian_field_messages(page, login, live_server, manager_a, kpmi_a):
    login("manager_a", PASSWORD)
    page.goto(f"{live_server.url}/kpmi/{kpmi_a.pk}/anggota/tambah/")
    page.get_by_label("Nama lengkap").fill("Ujang")
    page.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    page.get_by_label("Tahun lahir").fill("1850")
    page.get_by_label("Tanggal bergabung").fill("2999-01-01")
    page.get_by_role("button", name="Simpan").click()
    assert page.get_by_text("Tahun lahir harus antara").is_visible()
    assert page.get_by_text("Tanggal tidak boleh di masa depan.").is_visible()
    assert not Member.objects.filter(full_name="Ujang").exists()


def test_manager_of_another_group_is_refused_by_url(page, login, live_server, manager_b, kpmi_a):
    login("manager_b", PASSWORD)
    response = page.goto(f"{live_server.url}/kpmi/{kpmi_a.pk}/anggota/tambah/")
    assert response.status == 403
    assert page.get_by_text("Tidak diizinkan").first.is_visible()
