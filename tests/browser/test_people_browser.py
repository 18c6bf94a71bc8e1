"""Setting up a group's people in the app, on a phone: the KOMTIK admin gives a new KPMI its supervisor
and manager; a manager invites a member with a one-time code, who sets a password and logs in."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from members.models import KpmiRole, Level
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Kopi-Cikajang-2026"


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_admin_gives_a_new_kpmi_its_supervisor_and_manager(page, login, live_server, admin_user):
    kpmi = factories.KpmiFactory(name="KPMI Cikajang", kecamatan=factories.kecamatan("Cikajang"))
    future_manager = factories.MemberFactory(kpmi=kpmi, full_name="Asep Saepudin", level=Level.MANAGER)
    login("admin", PASSWORD)

    page.goto(f"{live_server.url}/kpmi/{kpmi.pk}/")
    # A group founded in the app has no supervisor yet: its page offers to appoint one.
    page.get_by_role("link", name="Tetapkan pembina").click()
    page.wait_for_url(re.compile(rf"/kpmi/{kpmi.pk}/pengurus/$"))
    assert _no_horizontal_scroll(page)

    page.get_by_label("Peran").select_option(label="Pembina")
    page.get_by_label("Atau orang baru: nama lengkap").fill("Ibu Guru Ani")
    page.get_by_role("button", name="Tetapkan", exact=True).click()
    assert page.get_by_text("Ibu Guru Ani sekarang Pembina KPMI Cikajang.").is_visible()
    supervisor_code = page.get_by_test_id("invitation-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", supervisor_code)

    page.get_by_label("Peran").select_option(label="Pengelola KPMI")
    page.get_by_label("Anggota KPMI ini").select_option(label="Asep Saepudin")
    page.get_by_role("button", name="Tetapkan", exact=True).click()
    assert page.get_by_text("Asep Saepudin sekarang Pengelola KPMI KPMI Cikajang.").is_visible()
    assert page.get_by_test_id("invitation-code").inner_text() != supervisor_code

    future_manager.refresh_from_db()
    current = KpmiRole.objects.current().filter(kpmi=kpmi)
    assert set(current.values_list("role", flat=True)) == {"supervisor", "manager"}
    assert current.filter(role="manager", user=future_manager.user).exists()

    page.goto(f"{live_server.url}/kpmi/{kpmi.pk}/")
    assert page.get_by_text("Ibu Guru Ani").is_visible()


def test_manager_invites_a_member_who_sets_a_password_and_logs_in(
    page, login, new_context, live_server, manager_a, kpmi_a
):
    member = factories.MemberFactory(kpmi=kpmi_a, full_name="Siti Rohimah", email="")
    login("manager_a", PASSWORD)
    page.goto(f"{live_server.url}/anggota/{member.pk}/")
    page.get_by_role("link", name="Kelola akun").click()
    page.get_by_role("button", name="Buat kode undangan").click()
    code = page.get_by_test_id("invitation-code").inner_text()
    assert _no_horizontal_scroll(page)

    # The member, on another phone: types the code handed over in person.
    phone = new_context().new_page()
    phone.goto(f"{live_server.url}/akun/aktifkan/")
    phone.fill("input[name=code]", code.lower())
    phone.fill("input[name=username]", "siti.rohimah")
    phone.fill("input[name=password1]", NEW_PASSWORD)
    phone.fill("input[name=password2]", NEW_PASSWORD)
    phone.get_by_role("button", name="Simpan kata sandi dan masuk").click()
    # Logged in: the home of a plain member is their own page.
    phone.wait_for_url(re.compile(rf"/anggota/{member.pk}/$"))
    assert phone.get_by_role("heading", name=re.compile("Siti Rohimah")).is_visible()

    # The code works once; the password works at the login page.
    other = new_context().new_page()
    other.goto(f"{live_server.url}/akun/aktifkan/?kode={code}")
    other.fill("input[name=password1]", "Lain-lagi-2026")
    other.fill("input[name=password2]", "Lain-lagi-2026")
    other.get_by_role("button", name="Simpan kata sandi dan masuk").click()
    assert other.get_by_text("Kode ini sudah dipakai.").is_visible()
    other.goto(f"{live_server.url}/akun/masuk/")
    other.fill("input[name=username]", "siti.rohimah")
    other.fill("input[name=password]", NEW_PASSWORD)
    other.click("main form button[type=submit]")
    other.wait_for_url(re.compile(rf"/anggota/{member.pk}/$"))


def test_admin_brings_a_new_juror_onto_a_jury_who_then_logs_in(page, login, new_context, live_server, admin_user):
    """From the round's jury page, in one step: the new person's account, their code and their seat."""
    from awards import services as award_services

    year = timezone.localdate().year - 1
    round = award_services.award_round_open(actor=admin_user, year=year)
    login("admin", PASSWORD)
    page.goto(f"{live_server.url}/penghargaan/kelola/{round.pk}/juri/")
    page.get_by_label("Atau orang baru: nama lengkap").fill("Pak Dosen Rahmat")
    page.locator("input[name=categories]").first.check()
    page.locator("main form:has(input[name=full_name]) button[type=submit]").click()
    code = page.get_by_test_id("invitation-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert page.locator("main table").get_by_text("Pak Dosen Rahmat").is_visible()
    assert _no_horizontal_scroll(page)

    # The juror, on their own phone: opens the link, keeps the proposed username, sets a password.
    phone = new_context().new_page()
    phone.goto(f"{live_server.url}/akun/aktifkan/?kode={code}")
    phone.fill("input[name=password1]", NEW_PASSWORD)
    phone.fill("input[name=password2]", NEW_PASSWORD)
    phone.get_by_role("button", name="Simpan kata sandi dan masuk").click()
    phone.wait_for_load_state()
    phone.goto(f"{live_server.url}/penghargaan/juri/")
    assert phone.locator(f"main a[href='/penghargaan/juri/{round.pk}/']").count() >= 1
