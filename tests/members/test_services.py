"""The ladder rules and the invariant that a level never exists without the history behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kpmi_si.audit.models import AuditEntry
from members import services
from members.models import Kpmi, Level, LevelChange, Member
from tests import factories

pytestmark = pytest.mark.django_db


def _register(actor, kpmi, **overrides):
    data = dict(
        full_name="Siti Nurhayati",
        gender=Member.Gender.FEMALE,
        birth_year=2005,
        joined_on=dt.date(2024, 7, 1),
    )
    data.update(overrides)
    return services.member_register(actor=actor, kpmi=kpmi, **data)


def _assert_history_explains_level(member: Member) -> None:
    member.refresh_from_db()
    last = member.level_changes.order_by("effective_on", "recorded_at", "pk").last()
    assert last is not None and last.to_level == member.level


class TestRegister:
    def test_manager_registers_a_trainer_candidate_with_history_and_audit(self, manager_a, kpmi_a):
        member = _register(manager_a, kpmi_a)
        assert member.level == Level.TRAINER_CANDIDATE
        row = member.level_changes.get()
        assert (row.kind, row.from_level, row.to_level, row.recorded_by) == (
            LevelChange.Kind.REGISTRATION,
            None,
            Level.TRAINER_CANDIDATE,
            manager_a,
        )
        assert row.effective_on == dt.date(2024, 7, 1)
        assert AuditEntry.objects.filter(action="member.register", target_id=str(member.pk), actor=manager_a).exists()

    def test_manager_of_another_kpmi_is_refused(self, manager_b, kpmi_a):
        with pytest.raises(PermissionDenied):
            _register(manager_b, kpmi_a)
        assert not Member.objects.filter(full_name="Siti Nurhayati").exists()

    def test_manager_cannot_register_above_trainer_candidate(self, manager_a, kpmi_a):
        with pytest.raises(ValidationError) as exc:
            _register(manager_a, kpmi_a, level=Level.TRAINER, reason="pindahan")
        assert "level" in exc.value.message_dict
        assert not Member.objects.filter(full_name="Siti Nurhayati").exists()

    def test_admin_registers_higher_level_only_with_a_reason(self, admin_user, kpmi_a):
        with pytest.raises(ValidationError) as exc:
            _register(admin_user, kpmi_a, level=Level.MANAGER)
        assert "reason" in exc.value.message_dict
        member = _register(admin_user, kpmi_a, level=Level.MANAGER, reason="Data lama KPMI sejak 2012.")
        _assert_history_explains_level(member)

    def test_trainer_must_be_at_least_a_trainer(self, manager_a, kpmi_a):
        candidate = factories.MemberFactory(kpmi=kpmi_a)
        with pytest.raises(ValidationError) as exc:
            _register(manager_a, kpmi_a, trained_by=candidate)
        assert "trained_by" in exc.value.message_dict
        assert Member.objects.filter(kpmi=kpmi_a).count() == 2  # the manager and the candidate only


class TestLevelChange:
    def test_communities_officer_promotes_candidate_to_trainer(self, officer_communities, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a)
        change = services.member_change_level(
            actor=officer_communities,
            member=member,
            to_level=Level.TRAINER,
            reason="Lulus ToT",
            evidence="ToT #3",
            effective_on=dt.date(2024, 5, 2),
        )
        assert change.kind == LevelChange.Kind.PROMOTION
        assert (change.from_level, change.to_level, change.recorded_by) == (
            Level.TRAINER_CANDIDATE,
            Level.TRAINER,
            officer_communities,
        )
        _assert_history_explains_level(member)
        entry = AuditEntry.objects.get(action="member.level_change", target_id=str(member.pk))
        assert entry.changes == {"level": [Level.TRAINER_CANDIDATE, Level.TRAINER]}
        assert entry.actor == officer_communities

    @pytest.mark.parametrize("who", ["manager_a", "officer_users", "outsider"])
    def test_only_communities_or_admin_make_trainers(self, request, who, kpmi_a):
        actor = request.getfixturevalue(who)
        member = factories.MemberFactory(kpmi=kpmi_a)
        with pytest.raises(ValidationError):
            services.member_change_level(actor=actor, member=member, to_level=Level.TRAINER, reason="x")
        member.refresh_from_db()
        assert member.level == Level.TRAINER_CANDIDATE
        assert member.level_changes.count() == 1

    @pytest.mark.parametrize("who", ["manager_a", "supervisor_a", "officer_platform", "admin_user"])
    def test_trainer_to_manager_by_keepers_officers_admin(self, request, who, kpmi_a):
        actor = request.getfixturevalue(who)
        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        services.member_change_level(actor=actor, member=member, to_level=Level.MANAGER, reason="Melatih 3 anggota")
        _assert_history_explains_level(member)
        assert member.level == Level.MANAGER

    def test_manager_of_another_kpmi_cannot_promote(self, manager_b, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        with pytest.raises(ValidationError):
            services.member_change_level(actor=manager_b, member=member, to_level=Level.MANAGER, reason="x")

    def test_no_skipping_steps_or_stepping_down_except_admin(self, manager_a, officer_communities, admin_user, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        for actor, level in [(manager_a, Level.PIONEER), (officer_communities, Level.TRAINER_CANDIDATE)]:
            with pytest.raises(ValidationError):
                services.member_change_level(actor=actor, member=member, to_level=level, reason="x")
        change = services.member_change_level(
            actor=admin_user, member=member, to_level=Level.TRAINER_CANDIDATE, reason="Salah input"
        )
        assert change.kind == LevelChange.Kind.CORRECTION
        _assert_history_explains_level(member)

    def test_manager_to_pioneer_is_not_a_keepers_decision(self, manager_a, officer_communities, kpmi_a):
        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER)
        for actor in (manager_a, officer_communities):
            with pytest.raises(ValidationError):
                services.member_change_level(actor=actor, member=member, to_level=Level.PIONEER, reason="x")

    def test_nobody_but_admin_changes_their_own_level(self, kpmi_a):
        user = factories.make_keeper(kpmi_a, username="keeper")
        own = user.member
        own.level = Level.TRAINER
        own.save()
        with pytest.raises(ValidationError):
            services.member_change_level(actor=user, member=own, to_level=Level.MANAGER, reason="saya layak")

    @pytest.mark.parametrize(
        ("to_level", "reason", "effective_on", "field"),
        [
            (Level.TRAINER_CANDIDATE, "x", None, "to_level"),
            (Level.MANAGER, "   ", None, "reason"),
            (Level.MANAGER, "x", dt.date(2999, 1, 1), "effective_on"),
            (Level.MANAGER, "x", dt.date(2010, 1, 1), "effective_on"),
        ],
    )
    def test_bad_input_is_refused_with_the_field_and_nothing_saved(
        self, admin_user, kpmi_a, to_level, reason, effective_on, field
    ):
        member = factories.MemberFactory(kpmi=kpmi_a, joined_on=dt.date(2020, 1, 1))
        with pytest.raises(ValidationError) as exc:
            services.member_change_level(
                actor=admin_user, member=member, to_level=to_level, reason=reason, effective_on=effective_on
            )
        assert field in exc.value.message_dict
        member.refresh_from_db()
        assert member.level == Level.TRAINER_CANDIDATE
        assert member.level_changes.count() == 1
        assert not AuditEntry.objects.filter(action="member.level_change").exists()


class TestFounding:
    def test_founding_a_kpmi_makes_its_manager_founder_a_pioneer(self, officer_communities, kpmi_a):
        founder = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER)
        child = services.kpmi_create(
            actor=officer_communities,
            data={
                "name": "KPMI Gamma",
                "kecamatan": factories.kecamatan("Leles"),
                "founded_on": dt.date(2024, 2, 1),
                "founded_by": founder,
            },
        )
        assert child.founded_from == kpmi_a
        founder.refresh_from_db()
        assert founder.level == Level.PIONEER
        last = founder.level_changes.last()
        assert (last.from_level, last.to_level, last.recorded_by) == (Level.MANAGER, Level.PIONEER, officer_communities)
        assert "KPMI Gamma" in last.reason
        assert list(kpmi_a.offshoots.all()) == [child]

    def test_founder_below_manager_is_refused(self, officer_communities, kpmi_a):
        founder = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        with pytest.raises(ValidationError) as exc:
            services.kpmi_create(
                actor=officer_communities,
                data={
                    "name": "KPMI Delta",
                    "kecamatan": factories.kecamatan("Leles"),
                    "founded_on": dt.date(2024, 2, 1),
                    "founded_by": founder,
                },
            )
        assert "founded_by" in exc.value.message_dict
        assert not Kpmi.objects.filter(name="KPMI Delta").exists()

    def test_village_must_lie_in_the_district(self, admin_user):
        cibatu = factories.kecamatan("Cibatu")
        with pytest.raises(ValidationError) as exc:
            services.kpmi_create(
                actor=admin_user,
                data={
                    "name": "KPMI Salah",
                    "kecamatan": factories.kecamatan("Leles"),
                    "desa": factories.desa_of(cibatu),
                    "founded_on": dt.date(2024, 2, 1),
                },
            )
        assert "desa" in exc.value.message_dict

    def test_a_manager_cannot_register_a_kpmi(self, manager_a):
        with pytest.raises(PermissionDenied):
            services.kpmi_create(
                actor=manager_a,
                data={"name": "KPMI X", "kecamatan": factories.kecamatan("Leles"), "founded_on": dt.date(2024, 2, 1)},
            )

    def test_keepers_may_edit_their_group_but_not_its_lineage(self, manager_a, kpmi_a, kpmi_b):
        services.kpmi_update(actor=manager_a, kpmi=kpmi_a, data={"address": "Jl. Baru 1"})
        kpmi_a.refresh_from_db()
        assert kpmi_a.address == "Jl. Baru 1"
        entry = AuditEntry.objects.get(action="kpmi.update")
        assert entry.changes == {"address": ["", "Jl. Baru 1"]}
        with pytest.raises(ValidationError):
            services.kpmi_update(actor=manager_a, kpmi=kpmi_a, data={"founded_from": kpmi_b})
