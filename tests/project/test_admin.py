"""Every model has a Django admin page with search and filters, and the admin opens each one."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

OWN_APPS = {"audit", "privacy", "members", "associations", "programs", "awards", "citizen_journalism"}


def _own_models():
    return [m for m in apps.get_models() if m._meta.app_label in OWN_APPS]


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
