"""Periods and targets: who may set them, what is refused, and that every change is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from associations import services
from associations.models import Period, Target
from kpmi_si.audit.models import AuditEntry
from members.models import Level
from tests import factories

pytestmark = pytest.mark.django_db


class TestPeriods:
    def test_a_year_with_quarters(self, officer_users):
        year = services.period_open_year(actor=officer_users, year=2025, quarters=True)
        assert (year.start, year.end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        assert [(p.name, p.start, p.end) for p in year.parts.order_by("start")] == [
            ("2025 Q1", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
            ("2025 Q2", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
            ("2025 Q3", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
            ("2025 Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ]
        assert AuditEntry.objects.filter(action="period.open").count() == 5

    def test_overlapping_periods_are_refused(self, admin_user):
        services.period_open_year(actor=admin_user, year=2025)
        with pytest.raises(ValidationError) as exc:
            services.period_open(
                actor=admin_user, name="Tahun program 2025/26", start=dt.date(2025, 7, 1), end=dt.date(2026, 6, 30)
            )
        assert "start" in exc.value.message_dict
        with pytest.raises(ValidationError):
            services.period_open_year(actor=admin_user, year=2025)
        assert Period.objects.count() == 1

    def test_end_before_start_and_far_years(self, admin_user):
        with pytest.raises(ValidationError) as exc:
            services.period_open(actor=admin_user, name="X", start=dt.date(2025, 5, 1), end=dt.date(2025, 4, 1))
        assert "end" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.period_open_year(actor=admin_user, year=1990)
        assert "year" in exc.value.message_dict

    def test_managers_cannot_open_and_only_admin_closes(self, manager_a, officer_users, admin_user):
        with pytest.raises(PermissionDenied):
            services.period_open_year(actor=manager_a, year=2025)
        period = services.period_open_year(actor=officer_users, year=2025, quarters=True)
        with pytest.raises(PermissionDenied):
            services.period_close(actor=officer_users, period=period)
        services.period_close(actor=admin_user, period=period)
        period.refresh_from_db()
        assert period.is_closed
        assert all(part.is_closed for part in period.parts.all())
        assert AuditEntry.objects.filter(action="period.close", actor=admin_user).count() == 5


class TestTargets:
    def test_default_and_override_are_audited(self, officer_communities, period, communities, kpmi_a):
        services.target_set(
            actor=officer_communities, period=period, association=communities, metric="new_members", value=10
        )
        services.target_set(
            actor=officer_communities, period=period, association=communities, metric="new_members", value=12
        )
        services.target_set(
            actor=officer_communities,
            period=period,
            association=communities,
            metric="new_members",
            value=4,
            kpmi=kpmi_a,
        )
        assert Target.objects.get(period=period, metric="new_members", kpmi=None).value == 12
        assert Target.objects.get(period=period, metric="new_members", kpmi=kpmi_a).value == 4
        changes = list(AuditEntry.objects.filter(action="target.set").order_by("pk").values_list("changes", flat=True))
        assert changes == [{"value": [None, 10]}, {"value": [10, 12]}, {"value": [None, 4]}]

    def test_negative_target_is_refused(self, officer_communities, period, communities):
        with pytest.raises(ValidationError) as exc:
            services.target_set(
                actor=officer_communities, period=period, association=communities, metric="new_members", value=-1
            )
        assert "value" in exc.value.message_dict
        assert not Target.objects.exists()

    def test_metric_of_another_association_is_refused(self, officer_communities, period, communities):
        with pytest.raises(ValidationError) as exc:
            services.target_set(
                actor=officer_communities, period=period, association=communities, metric="publications", value=3
            )
        assert "metric" in exc.value.message_dict

    def test_officer_of_another_association_is_refused(self, officer_users, period, communities):
        with pytest.raises(PermissionDenied):
            services.target_set(
                actor=officer_users, period=period, association=communities, metric="new_members", value=3
            )

    def test_subject_must_fit_the_metric(self, officer_users, period, users_association, kpmi_a):
        manager = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER)
        trainer = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        with pytest.raises(ValidationError) as exc:
            services.target_set(
                actor=officer_users,
                period=period,
                association=users_association,
                metric="publications",
                value=3,
                kpmi=kpmi_a,
            )
        assert "kpmi" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.target_set(
                actor=officer_users,
                period=period,
                association=users_association,
                metric="publications",
                value=3,
                member=trainer,
            )
        assert "member" in exc.value.message_dict
        services.target_set(
            actor=officer_users,
            period=period,
            association=users_association,
            metric="publications",
            value=3,
            member=manager,
        )

    def test_closed_period_targets_are_frozen(self, admin_user, officer_communities, period, communities):
        target = services.target_set(
            actor=officer_communities, period=period, association=communities, metric="new_members", value=5
        )
        services.period_close(actor=admin_user, period=period)
        period.refresh_from_db()
        with pytest.raises(ValidationError):
            services.target_set(
                actor=officer_communities, period=period, association=communities, metric="new_members", value=6
            )
        with pytest.raises(ValidationError):
            services.target_delete(
                actor=officer_communities,
                target=Target.objects.select_related("period", "association").get(pk=target.pk),
            )
