"""The admin shows the ledger and refuses to add, change or delete a posting, for anyone (the
superuser included); the other records of the app are inspected there, not edited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from entrepreneurship.models import Category, Posting

from .ledger_world import TODAY, business, paid_order_posting, pioneer, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def rent(kpmi_a, manager_a):
    return post(kpmi_a, manager_a, Category.RENT, "250000", TODAY, "Sewa")


def test_postings_are_read_only_in_the_admin(client_for, admin_user, rent):
    client = client_for(admin_user)
    assert client.get(reverse("admin:entrepreneurship_posting_changelist")).status_code == 200
    page = client.get(reverse("admin:entrepreneurship_posting_change", args=[rent.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.get(reverse("admin:entrepreneurship_posting_add")).status_code == 403
    assert client.get(reverse("admin:entrepreneurship_posting_delete", args=[rent.pk])).status_code == 403
    changed = client.post(
        reverse("admin:entrepreneurship_posting_change", args=[rent.pk]), {"amount": "1", "description": "Diubah"}
    )
    assert changed.status_code == 403
    bulk = client.post(
        reverse("admin:entrepreneurship_posting_changelist"),
        {"action": "delete_selected", "_selected_action": [rent.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert Posting.objects.get(pk=rent.pk).amount == Decimal("-250000.00")


def test_every_model_of_the_app_opens_in_the_admin_with_search(client_for, admin_user, kpmi_a, manager_a):
    paid_order_posting(kpmi_a, manager_a)
    business(kpmi_a, pioneer(kpmi_a))
    client = client_for(admin_user)
    for model in apps.get_app_config("entrepreneurship").get_models():
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields, model
        url = reverse(f"admin:entrepreneurship_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        assert client.get(url, {"q": "a"}).status_code == 200, url
        assert not model_admin.has_delete_permission(type("R", (), {"user": admin_user})()), model
