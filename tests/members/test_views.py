"""Every page: it works for the right role, refuses the wrong method, the wrong role, and another
KPMI's data — checked from the URL, not only from what the menus show."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from kpmi_si.audit.models import AuditEntry
from members.models import Kpmi, KpmiRole, Level, Member
from tests import factories
from tests.forms import opened_now

pytestmark = pytest.mark.django_db


def member_data(**overrides):
    data = {
        "full_name": "Ujang Permana",
        "phone": "0812 3456 7890",
        "email": "",
        "gender": "male",
        "birth_year": "2006",
        "joined_on": "2024-08-17",
        "trained_by": "",
        "level": str(Level.TRAINER_CANDIDATE),
        "reason": "",
    }
    data.update(overrides)
    return data


# --- public directory ---------------------------------------------------------------------------------


class TestDirectory:
    def test_lists_groups_with_counts_and_supervisors_but_no_member_data(self, client, kpmi_a, kpmi_b, supervisor_a):
        factories.MemberFactory(kpmi=kpmi_a, full_name="Rahasia Pribadi", phone="081299990000")
        supervisor_a.first_name, supervisor_a.last_name = "Ibu", "Guru"
        supervisor_a.save()
        response = client.get(reverse("directory:kpmi_list"))
        assert response.status_code == 200
        body = response.content.decode()
        assert "KPMI Alfa" in body and "KPMI Beta" in body
        assert "Ibu Guru" in body
        assert "Rahasia Pribadi" not in body and "081299990000" not in body

    def test_filters_by_kecamatan_status_and_name(self, client, kpmi_a, kpmi_b):
        kpmi_b.status = Kpmi.Status.DORMANT
        kpmi_b.save()
        url = reverse("directory:kpmi_list")
        by_kec = client.get(url, {"kecamatan": kpmi_a.kecamatan_id}).content.decode()
        assert "KPMI Alfa" in by_kec and "KPMI Beta" not in by_kec
        by_status = client.get(url, {"status": "dormant"}).content.decode()
        assert "KPMI Beta" in by_status and "KPMI Alfa" not in by_status
        by_name = client.get(url, {"q": "alf"}).content.decode()
        assert "KPMI Alfa" in by_name and "KPMI Beta" not in by_name

    def test_bad_filter_values_do_not_break_the_page(self, client, kpmi_a):
        response = client.get(reverse("directory:kpmi_list"), {"kecamatan": "nonsense", "status": "x", "page": "999"})
        assert response.status_code == 200

    def test_paginates(self, client, settings):
        settings.PAGE_SIZE = 5
        for _ in range(12):
            factories.KpmiFactory()
        response = client.get(reverse("directory:kpmi_list"), {"page": 3})
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 2

    def test_page_links_keep_the_filters(self, client, settings):
        """Previous and Next move one page and keep every filter (text with & and spaces, every value of
        a repeated parameter), as the visitor set them; the old page number is replaced, not repeated."""
        settings.PAGE_SIZE = 2
        for n in range(7):
            factories.KpmiFactory(name=f"KPMI A&B {n}")
        url = reverse("directory:kpmi_list")
        response = client.get(url + "?q=A%26B+&status=active&tag=x&tag=y&page=2")
        assert response.status_code == 200
        body = response.content.decode()
        kept = "q=A%26B+&amp;status=active&amp;tag=x&amp;tag=y"
        assert f'href="?{kept}&amp;page=1"' in body
        assert f'href="?{kept}&amp;page=3"' in body
        # Followed, the Next link shows the third page of the same search.
        following = client.get(url + html.unescape(re.search(r'href="(\?[^"]*page=3)"', body).group(1)))
        assert following.context["page"].number == 3
        assert following.context["filter"].data.getlist("tag") == ["x", "y"]
        assert following.context["filter"].data["q"] == "A&B "

    def test_list_query_count_does_not_grow_with_groups(self, client, django_assert_max_num_queries):
        for _ in range(30):
            kpmi = factories.KpmiFactory()
            factories.make_keeper(kpmi, KpmiRole.Role.SUPERVISOR)
            factories.MemberFactory(kpmi=kpmi)
        with django_assert_max_num_queries(6):
            assert client.get(reverse("directory:kpmi_list")).status_code == 200

    def test_detail_shows_levels_lineage_and_offshoots_without_personal_data(self, client, kpmi_a):
        founder = factories.MemberFactory(kpmi=kpmi_a, level=Level.PIONEER, full_name="Perintis Rahasia")
        child = factories.KpmiFactory(name="KPMI Anak", founded_from=kpmi_a, founded_by=founder)
        factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        body = client.get(reverse("directory:kpmi_detail", args=[kpmi_a.pk])).content.decode()
        assert "KPMI Anak" in body
        assert "Perintis Rahasia" not in body
        child_body = client.get(child.get_absolute_url()).content.decode()
        assert "KPMI Alfa" in child_body

    def test_detail_unknown_is_404_and_post_is_405(self, client, kpmi_a):
        assert client.get(reverse("directory:kpmi_detail", args=[999999])).status_code == 404
        assert client.post(reverse("directory:kpmi_detail", args=[kpmi_a.pk])).status_code == 405
        assert client.post(reverse("directory:kpmi_list")).status_code == 405


# --- member list ---------------------------------------------------------------------------------------


class TestMemberList:
    @pytest.mark.parametrize("who", ["manager_a", "supervisor_a", "admin_user", "officer_users"])
    def test_keepers_admin_and_officers_see_it(self, request, client_for, who, kpmi_a):
        factories.MemberFactory(kpmi=kpmi_a, full_name="Neng Rina")
        response = client_for(request.getfixturevalue(who)).get(reverse("members:member_list", args=[kpmi_a.pk]))
        assert response.status_code == 200
        assert "Neng Rina" in response.content.decode()

    @pytest.mark.parametrize("who", ["manager_b", "member_user_a", "outsider"])
    def test_others_get_403(self, request, client_for, who, kpmi_a):
        response = client_for(request.getfixturevalue(who)).get(reverse("members:member_list", args=[kpmi_a.pk]))
        assert response.status_code == 403

    def test_anonymous_is_sent_to_login(self, client, kpmi_a):
        response = client.get(reverse("members:member_list", args=[kpmi_a.pk]))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_post_is_405(self, client_for, manager_a, kpmi_a):
        assert client_for(manager_a).post(reverse("members:member_list", args=[kpmi_a.pk])).status_code == 405

    def test_filters_by_level_and_join_year(self, client_for, manager_a, kpmi_a):
        factories.MemberFactory(kpmi=kpmi_a, full_name="Calon Satu", joined_on=dt.date(2021, 2, 1))
        factories.MemberFactory(
            kpmi=kpmi_a, full_name="Pelatih Dua", level=Level.TRAINER, joined_on=dt.date(2023, 2, 1)
        )
        url = reverse("members:member_list", args=[kpmi_a.pk])
        client = client_for(manager_a)
        body = client.get(url, {"level": Level.TRAINER}).content.decode()
        assert "Pelatih Dua" in body and "Calon Satu" not in body
        body = client.get(url, {"joined_year": 2021}).content.decode()
        assert "Calon Satu" in body and "Pelatih Dua" not in body

    def test_query_count_does_not_grow_with_members(self, client_for, manager_a, kpmi_a, django_assert_max_num_queries):
        trainer = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        for _ in range(40):
            factories.MemberFactory(kpmi=kpmi_a, trained_by=trainer)
        client = client_for(manager_a)
        with django_assert_max_num_queries(10):
            assert client.get(reverse("members:member_list", args=[kpmi_a.pk])).status_code == 200


# --- adding and editing members ------------------------------------------------------------------------


class TestMemberCreate:
    def test_manager_adds_a_member_with_history(self, client_for, manager_a, kpmi_a):
        response = client_for(manager_a).post(reverse("members:member_create", args=[kpmi_a.pk]), member_data())
        member = Member.objects.get(full_name="Ujang Permana")
        assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
        assert member.kpmi == kpmi_a and member.level == Level.TRAINER_CANDIDATE
        assert member.level_changes.get().recorded_by == manager_a

    def test_form_offers_only_trainer_candidate_to_a_manager(self, client_for, manager_a, kpmi_a):
        form = client_for(manager_a).get(reverse("members:member_create", args=[kpmi_a.pk])).context["form"]
        assert [value for value, _label in form.fields["level"].choices] == [Level.TRAINER_CANDIDATE]

    def test_manager_of_b_cannot_add_to_a(self, client_for, manager_b, kpmi_a):
        client = client_for(manager_b)
        url = reverse("members:member_create", args=[kpmi_a.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, member_data()).status_code == 403
        assert not Member.objects.filter(full_name="Ujang Permana").exists()

    @pytest.mark.parametrize("who", ["officer_users", "member_user_a", "outsider"])
    def test_wrong_roles_get_403(self, request, client_for, who, kpmi_a):
        url = reverse("members:member_create", args=[kpmi_a.pk])
        assert client_for(request.getfixturevalue(who)).post(url, member_data()).status_code == 403

    def test_wrong_method(self, client_for, manager_a, kpmi_a):
        assert client_for(manager_a).put(reverse("members:member_create", args=[kpmi_a.pk])).status_code == 405

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"full_name": "   "}, "full_name", "tidak boleh kosong"),
            ({"joined_on": "2999-01-01"}, "joined_on", "masa depan"),
            ({"birth_year": "1850"}, "birth_year", "Tahun lahir harus antara"),
            ({"birth_year": str(dt.date.today().year)}, "birth_year", "Tahun lahir harus antara"),
            ({"birth_year": "dua ribu"}, "birth_year", "angka"),
            ({"phone": "hubungi saya"}, "phone", "nomor telepon"),
            ({"gender": "x"}, "gender", "pilihan yang valid"),
            ({"level": str(Level.PIONEER)}, "level", "pilihan yang valid"),
            ({"email": "bukan-email"}, "email", "alamat email"),
        ],
    )
    def test_bad_input_gets_an_indonesian_field_message_and_saves_nothing(
        self, client_for, manager_a, kpmi_a, overrides, field, message
    ):
        response = client_for(manager_a).post(
            reverse("members:member_create", args=[kpmi_a.pk]), member_data(**overrides)
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert field in errors, errors
        assert message.lower() in " ".join(errors[field]).lower()
        assert not Member.objects.filter(full_name="Ujang Permana").exists()
        assert not AuditEntry.objects.filter(action="member.register").exists()

    def test_trainer_from_another_kpmi_is_not_a_valid_choice(self, client_for, manager_a, kpmi_a, kpmi_b):
        other = factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER)
        response = client_for(manager_a).post(
            reverse("members:member_create", args=[kpmi_a.pk]), member_data(trained_by=str(other.pk))
        )
        assert "trained_by" in response.context["form"].errors

    def test_admin_may_register_higher_but_must_say_why(self, client_for, admin_user, kpmi_a):
        client = client_for(admin_user)
        url = reverse("members:member_create", args=[kpmi_a.pk])
        response = client.post(url, member_data(level=str(Level.MANAGER)))
        assert "reason" in response.context["form"].errors
        response = client.post(url, member_data(level=str(Level.MANAGER), reason="Data KPMI sejak 2012"))
        assert response.status_code == 302
        assert Member.objects.get(full_name="Ujang Permana").level == Level.MANAGER


class TestMemberEdit:
    def test_manager_edits_personal_data_and_it_is_audited(self, client_for, manager_a, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a, full_name="Ujang Permana")
        data = opened_now(member_data(phone="0857 1111 2222", joined_on=member.joined_on.isoformat()), member)
        response = client_for(manager_a).post(reverse("members:member_edit", args=[member.pk]), data)
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.phone == "0857 1111 2222"
        entry = AuditEntry.objects.get(action="member.update", target_id=str(member.pk))
        assert entry.actor == manager_a
        assert entry.changes["phone"] == ["", "0857 1111 2222"]

    def test_edit_form_cannot_change_level(self, client_for, manager_a, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a)
        client_for(manager_a).post(
            reverse("members:member_edit", args=[member.pk]), member_data(level=str(Level.PIONEER))
        )
        member.refresh_from_db()
        assert member.level == Level.TRAINER_CANDIDATE

    def test_another_kpmis_member_is_404_for_a_manager(self, client_for, manager_b, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a, full_name="Asli")
        client = client_for(manager_b)
        assert client.get(reverse("members:member_edit", args=[member.pk])).status_code == 404
        assert client.post(reverse("members:member_edit", args=[member.pk]), member_data()).status_code == 404
        member.refresh_from_db()
        assert member.full_name == "Asli"

    def test_an_officer_may_look_but_not_edit(self, client_for, officer_users, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a)
        client = client_for(officer_users)
        assert client.get(member.get_absolute_url()).status_code == 200
        assert client.get(reverse("members:member_edit", args=[member.pk])).status_code == 403

    def test_member_cannot_be_their_own_trainer(self, client_for, manager_a, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        response = client_for(manager_a).post(
            reverse("members:member_edit", args=[member.pk]), member_data(trained_by=str(member.pk))
        )
        assert "trained_by" in response.context["form"].errors


# --- member page and level changes ---------------------------------------------------------------------


class TestMemberDetail:
    def test_member_sees_own_page_with_timeline(self, client_for, member_user_a, officer_communities):
        member = member_user_a.member
        member.level = Level.TRAINER_CANDIDATE
        member.save()
        from members import services

        services.member_change_level(
            actor=officer_communities, member=member, to_level=Level.TRAINER, reason="Lulus ToT #3"
        )
        body = client_for(member_user_a).get(member.get_absolute_url()).content.decode()
        assert "Lulus ToT #3" in body and "Terdaftar." in body

    def test_member_cannot_see_another_members_page(self, client_for, member_user_a, kpmi_a):
        other = factories.MemberFactory(kpmi=kpmi_a)
        assert client_for(member_user_a).get(other.get_absolute_url()).status_code == 404

    def test_manager_of_b_gets_404_on_a_member(self, client_for, manager_b, kpmi_a):
        other = factories.MemberFactory(kpmi=kpmi_a)
        assert client_for(manager_b).get(other.get_absolute_url()).status_code == 404

    def test_query_count_is_bounded(self, client_for, manager_a, kpmi_a, django_assert_max_num_queries, admin_user):
        from members import services

        trainer = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER, joined_on=dt.date(2019, 1, 1))
        for _ in range(15):
            factories.MemberFactory(kpmi=kpmi_a, trained_by=trainer)
        services.member_change_level(actor=admin_user, member=trainer, to_level=Level.MANAGER, reason="a")
        client = client_for(manager_a)
        # 12, plus one query per source of the awards list (awards.selectors.MEMBER_AWARD_SOURCES):
        # KOMTIK's annual awards and the associations' awards (programs), listed together; plus one for
        # the member's ToT and collaboration invitations (programs).
        with django_assert_max_num_queries(15):
            assert client.get(trainer.get_absolute_url()).status_code == 200


class TestLevelChangeView:
    def test_officer_promotes_and_the_timeline_shows_it(self, client_for, officer_communities, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a)
        client = client_for(officer_communities)
        url = reverse("members:member_level_change", args=[member.pk])
        response = client.post(
            url,
            {
                "to_level": Level.TRAINER,
                "effective_on": dt.date.today().isoformat(),
                "reason": "Lulus ToT #4",
                "evidence": "Sertifikat 12/ToT",
            },
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.level == Level.TRAINER
        body = client.get(member.get_absolute_url()).content.decode()
        assert "Lulus ToT #4" in body and "Sertifikat 12/ToT" in body

    def test_a_promotion_the_rules_refuse_is_a_field_error(self, client_for, manager_a, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        response = client_for(manager_a).post(
            reverse("members:member_level_change", args=[member.pk]),
            {"to_level": Level.PIONEER, "effective_on": dt.date.today().isoformat(), "reason": "x"},
        )
        assert response.status_code == 200
        assert "to_level" in response.context["form"].errors
        member.refresh_from_db()
        assert member.level == Level.TRAINER

    def test_same_level_is_refused(self, client_for, admin_user, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        response = client_for(admin_user).post(
            reverse("members:member_level_change", args=[member.pk]),
            {"to_level": Level.TRAINER, "effective_on": dt.date.today().isoformat(), "reason": "x"},
        )
        assert "to_level" in response.context["form"].errors
        assert member.level_changes.count() == 1

    def test_empty_reason_and_future_date_are_field_errors(self, client_for, admin_user, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a)
        response = client_for(admin_user).post(
            reverse("members:member_level_change", args=[member.pk]),
            {"to_level": Level.TRAINER, "effective_on": "2999-01-01", "reason": "  "},
        )
        errors = response.context["form"].errors
        assert "reason" in errors and "effective_on" in errors
        assert member.level_changes.count() == 1

    def test_no_allowed_step_means_403(self, client_for, manager_a, kpmi_a):
        # A manager cannot make trainers: that is the Communities association's ToT.
        member = factories.MemberFactory(kpmi=kpmi_a)
        assert client_for(manager_a).get(reverse("members:member_level_change", args=[member.pk])).status_code == 403

    def test_manager_of_b_gets_404(self, client_for, manager_b, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        assert client_for(manager_b).get(reverse("members:member_level_change", args=[member.pk])).status_code == 404

    def test_wrong_method(self, client_for, admin_user, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a)
        assert (
            client_for(admin_user).delete(reverse("members:member_level_change", args=[member.pk])).status_code == 405
        )


# --- groups --------------------------------------------------------------------------------------------


class TestKpmiForms:
    def _data(self, **overrides):
        kec = factories.kecamatan("Leles")
        data = {
            "name": "KPMI Baru",
            "kecamatan": kec.pk,
            "desa": factories.desa_of(kec).pk,
            "founded_on": "2024-01-10",
            "status": "active",
        }
        data.update(overrides)
        return data

    def test_communities_officer_registers_a_kpmi(self, client_for, officer_communities):
        response = client_for(officer_communities).post(reverse("members:kpmi_create"), self._data())
        kpmi = Kpmi.objects.get(name="KPMI Baru")
        assert response.status_code == 302 and response["Location"] == kpmi.get_absolute_url()

    @pytest.mark.parametrize("who", ["officer_users", "manager_a", "outsider"])
    def test_others_may_not_register(self, request, client_for, who):
        assert (
            client_for(request.getfixturevalue(who)).post(reverse("members:kpmi_create"), self._data()).status_code
            == 403
        )
        assert not Kpmi.objects.filter(name="KPMI Baru").exists()

    def test_village_outside_district_is_a_field_error(self, client_for, admin_user):
        other = factories.desa_of(factories.kecamatan("Cibatu"))
        response = client_for(admin_user).post(reverse("members:kpmi_create"), self._data(desa=other.pk))
        assert "desa" in response.context["form"].errors
        assert not Kpmi.objects.filter(name="KPMI Baru").exists()

    def test_future_founding_date_and_duplicate_name(self, client_for, admin_user, kpmi_a):
        response = client_for(admin_user).post(
            reverse("members:kpmi_create"), self._data(name="KPMI Alfa", founded_on="2999-01-01")
        )
        errors = response.context["form"].errors
        assert "name" in errors and "founded_on" in errors

    def test_manager_edits_own_group_not_another(self, client_for, manager_a, kpmi_a, kpmi_b):
        client = client_for(manager_a)
        data = opened_now(self._data(name="KPMI Alfa Raya"), kpmi_a)
        assert client.post(reverse("members:kpmi_edit", args=[kpmi_a.pk]), data).status_code == 302
        kpmi_a.refresh_from_db()
        assert kpmi_a.name == "KPMI Alfa Raya"
        assert client.post(reverse("members:kpmi_edit", args=[kpmi_b.pk]), self._data(name="X")).status_code == 403
        kpmi_b.refresh_from_db()
        assert kpmi_b.name == "KPMI Beta"
