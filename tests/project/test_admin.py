"""Every model has a Django admin page with search and filters, and the admin opens each one."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

OWN_APPS = {
    "audit",
    "accounts",
    "idempotency",
    "privacy",
    "members",
    "associations",
    "programs",
    "awards",
    "citizen_journalism",
    "entrepreneurship",
}


# Models with no admin page, and why.
NOT_IN_ADMIN = {
    # A login's secret key is its primary key: every link of an admin list would print one (Django
    # registers no admin for its own sessions either). Logging a user out: deactivate or re-password.
    "accounts.Session",
}


def _own_models():
    return [m for m in apps.get_models() if m._meta.app_label in OWN_APPS and m._meta.label not in NOT_IN_ADMIN]


def test_the_models_without_an_admin_page_have_none():
    assert [label for label in NOT_IN_ADMIN if apps.get_model(label) in admin.site._registry] == []


def test_every_model_is_registered_with_search():
    missing = [m.__name__ for m in _own_models() if m not in admin.site._registry]
    assert missing == []
    no_search = [m.__name__ for m in _own_models() if not admin.site._registry[m].search_fields]
    assert no_search == []


def test_admin_opens_every_changelist(client_for, admin_user, manager_a, member_user_a):
    client = client_for(admin_user)
    for model in _own_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        assert client.get(url, {"q": "a"}).status_code == 200, url


def test_level_history_cannot_be_typed_in_the_admin(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get(reverse("admin:members_levelchange_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403


# --- Invalid data in an admin form is shown on the form, never a server error ----------------------


def _form_data(response) -> dict:
    """What the admin page would post back unchanged: the main form's and the inlines' values."""
    data: dict = {}

    def add(form) -> None:
        for name in form.fields:
            value = form[name].value()
            if value is None or form.fields[name].disabled:
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list | tuple) else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            add(form)
    return data


def _post(client, url: str, **changes):
    data = _form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 200, response.status_code  # shown again, with the errors
    return response


def _errors(response) -> dict:
    errors = dict(response.context["adminform"].form.errors)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.non_form_errors():
            errors.setdefault("__inline__", []).extend(formset.non_form_errors())
        for form in formset.forms:
            for field, messages in form.errors.items():
                errors.setdefault(f"{formset.prefix}-{field}", []).extend(messages)
    return errors


@pytest.fixture
def admin_client_(client_for, admin_user):
    return client_for(admin_user)


def _member_add(kpmi, **changes):
    data = {"kpmi": kpmi.pk, "full_name": "Dede Baru", "gender": "female", "birth_year": 2000}
    data.update(joined_on="2024-01-10", **changes)
    return data


class TestMemberAdmin:
    """The trainer rule of members.services applies in the admin too (it was a 500)."""

    def test_add_with_a_trainer_candidate_as_trainer(self, admin_client_, kpmi_a):
        from members.models import Level, Member
        from tests import factories

        candidate = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE)
        url = reverse("admin:members_member_add")
        response = _post(admin_client_, url, **_member_add(kpmi_a, trained_by=candidate.pk))
        assert "trained_by" in _errors(response)
        assert not Member.objects.filter(full_name="Dede Baru").exists()

    def test_change_to_a_trainer_candidate_or_to_oneself(self, admin_client_, kpmi_a):
        from members.models import Level
        from tests import factories

        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        candidate = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE)
        url = reverse("admin:members_member_change", args=[member.pk])
        for trainer in (candidate, member):
            response = _post(admin_client_, url, trained_by=trainer.pk)
            assert "trained_by" in _errors(response), trainer
        member.refresh_from_db()
        assert member.trained_by is None

    def test_a_valid_trainer_is_saved_through_the_service(self, admin_client_, kpmi_a):
        from kpmi_si.audit.models import AuditEntry
        from members.models import Level
        from tests import factories

        member = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER_CANDIDATE)
        trainer = factories.MemberFactory(kpmi=kpmi_a, level=Level.TRAINER)
        url = reverse("admin:members_member_change", args=[member.pk])
        data = _form_data(admin_client_.get(url))
        data["trained_by"] = trainer.pk
        assert admin_client_.post(url, data).status_code == 302
        member.refresh_from_db()
        assert member.trained_by == trainer
        assert AuditEntry.objects.filter(action="member.update").exists()


class TestKpmiAdmin:
    """The group rules of members.services apply in the admin too."""

    def test_village_of_another_district(self, admin_client_, kpmi_a, kpmi_b):
        url = reverse("admin:members_kpmi_change", args=[kpmi_a.pk])
        response = _post(admin_client_, url, desa=kpmi_b.desa.code)
        assert "desa" in _errors(response)

    def test_founder_below_manager_or_from_the_same_group(self, admin_client_, kpmi_a, kpmi_b):
        from members.models import Level
        from tests import factories

        trainer_b = factories.MemberFactory(kpmi=kpmi_b, level=Level.TRAINER)
        manager_a = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER)
        url = reverse("admin:members_kpmi_change", args=[kpmi_a.pk])
        for founder in (trainer_b, manager_a):
            response = _post(admin_client_, url, founded_by=founder.pk)
            assert "founded_by" in _errors(response), founder
        kpmi_a.refresh_from_db()
        assert kpmi_a.founded_by is None

    def test_founded_from_itself(self, admin_client_, kpmi_a):
        response = _post(admin_client_, reverse("admin:members_kpmi_change", args=[kpmi_a.pk]), founded_from=kpmi_a.pk)
        assert _errors(response)

    def test_the_same_role_twice_in_the_inline(self, admin_client_, kpmi_a, outsider):
        url = reverse("admin:members_kpmi_change", args=[kpmi_a.pk])
        data = _form_data(admin_client_.get(url))
        prefix = "roles"
        data.update({f"{prefix}-TOTAL_FORMS": 2, f"{prefix}-INITIAL_FORMS": 0})
        for i in range(2):
            data.update({f"{prefix}-{i}-user": outsider.pk, f"{prefix}-{i}-role": "manager"})
        response = admin_client_.post(url, data)
        assert response.status_code == 200
        assert _errors(response)


def test_duplicate_role_village_period_and_officer(admin_client_, kpmi_a, manager_a, officer_users, admin_user):
    """Unique rules of other admin forms are form errors too."""
    from associations.models import Association
    from members.models import KpmiRole

    role = KpmiRole.objects.get(user=manager_a)
    cases = [
        ("admin:members_kpmirole_add", {"kpmi": kpmi_a.pk, "user": manager_a.pk, "role": role.role}),
        ("admin:members_desa_add", {"code": "3205999999", "name": kpmi_a.desa.name, "kecamatan": kpmi_a.kecamatan_id}),
        ("admin:associations_period_add", {"name": "Terbalik", "start": "2026-12-31", "end": "2026-01-01"}),
        (
            "admin:associations_officer_add",
            {"user": officer_users.pk, "association": Association.objects.get(code="platform").pk},
        ),
    ]
    for name, changes in cases:
        response = _post(admin_client_, reverse(name), **changes)
        assert _errors(response), name


def test_every_admin_form_answers_empty_posts_without_a_server_error(client_for, admin_user, manager_a, member_user_a):
    """Add and change forms of every model, posted empty: errors on the page, never a 500."""
    from associations.models import Period

    Period.objects.create(name="2030", start="2030-01-01", end="2030-12-31")
    client = client_for(admin_user)
    client.raise_request_exception = False
    for model in _own_models():
        model_admin = admin.site._registry[model]
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{base}_add")]
        obj = model_admin.get_queryset(_request(admin_user)).first()
        if obj is not None:
            urls.append(reverse(f"{base}_change", args=[obj.pk]))
        for url in urls:
            assert client.post(url, {}).status_code in (200, 302, 403), url


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request
