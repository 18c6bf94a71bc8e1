"""What the KOMTIK admin changes in Django admin is in the audit trail like any change made on the
site's pages: who, when, and each changed field's old and new value (inlines included)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from associations.models import Association, Officer
from kpmi_si.audit.models import AuditEntry
from members.models import KpmiRole
from tests import factories

from .test_admin import _form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client_for, admin_user):
    return client_for(admin_user)


def _save(client, url: str, **changes) -> None:
    data = _form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


def test_renaming_a_group_is_audited_with_old_and_new_name(admin_client_, admin_user, kpmi_a):
    _save(admin_client_, reverse("admin:members_kpmi_change", args=[kpmi_a.pk]), name="KPMI Alfa Raya")
    entry = AuditEntry.objects.get(action="admin.change", target_id=str(kpmi_a.pk))
    assert entry.actor == admin_user
    assert entry.changes == {"name": ["KPMI Alfa", "KPMI Alfa Raya"]}


def test_saving_without_a_change_writes_no_row(admin_client_, kpmi_a):
    _save(admin_client_, reverse("admin:members_kpmi_change", args=[kpmi_a.pk]))
    assert not AuditEntry.objects.filter(action__startswith="admin.").exists()


def test_a_manager_role_added_on_the_group_page_is_audited(admin_client_, kpmi_a):
    user = factories.UserFactory(username="calon_pengelola")
    url = reverse("admin:members_kpmi_change", args=[kpmi_a.pk])
    data = _form_data(admin_client_.get(url))
    prefix = "roles"  # the inline of KpmiRole.kpmi (related_name "roles")
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": total + 1,
            f"{prefix}-{total}-user": user.pk,
            f"{prefix}-{total}-role": KpmiRole.Role.MANAGER,
            f"{prefix}-{total}-since": "2026-01-05",
        }
    )
    assert admin_client_.post(url, data).status_code == 302
    role = KpmiRole.objects.get(user=user)
    entry = AuditEntry.objects.get(action="admin.add", target_id=str(role.pk))
    assert entry.changes["role"] == [None, KpmiRole.Role.MANAGER]
    assert entry.changes["user_id"] == [None, user.pk]


def test_an_officer_removed_is_audited_before_the_row_goes(admin_client_, officer_users):
    officer = Officer.objects.get(user=officer_users)
    response = admin_client_.post(reverse("admin:associations_officer_delete", args=[officer.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Officer.objects.filter(pk=officer.pk).exists()
    entry = AuditEntry.objects.get(action="admin.delete", target_id=str(officer.pk))
    assert entry.changes["association_id"] == [Association.objects.get(code="users").pk, None]


def test_a_users_password_never_enters_the_trail(admin_client_, member_user_a):
    url = reverse("admin:members_user_change", args=[member_user_a.pk])
    joined = timezone.localtime(member_user_a.date_joined)  # a split date/time widget: two fields, local time
    _save(
        admin_client_,
        url,
        email="euis@contoh.id",
        date_joined_0=f"{joined:%Y-%m-%d}",
        date_joined_1=f"{joined:%H:%M:%S.%f}",
    )
    entry = AuditEntry.objects.get(action="admin.change", target_id=str(member_user_a.pk))
    assert set(entry.changes) == {"email"}
    assert "password" not in str(AuditEntry.objects.values_list("changes", flat=True)[::1])


def test_a_refused_admin_form_writes_nothing(admin_client_, kpmi_a):
    url = reverse("admin:members_kpmi_change", args=[kpmi_a.pk])
    data = _form_data(admin_client_.get(url))
    data["name"] = ""
    assert admin_client_.post(url, data).status_code == 200
    assert not AuditEntry.objects.exists()
