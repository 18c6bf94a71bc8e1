"""Approving and rejecting a member's own record."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.urls import reverse

from programs.models import Status

from .factories import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(kpmi_a, member_user_a, member_a):
    return make_activity(kpmi=kpmi_a, credited=[member_a], created_by=member_user_a, status=Status.PENDING)


def _approve(activity) -> str:
    return reverse("programs:activity_approve", args=[activity.pk])


def _reject(activity) -> str:
    return reverse("programs:activity_reject", args=[activity.pk])


class TestApprove:
    @pytest.mark.parametrize("who", ["manager_a", "supervisor_a", "admin_user"])
    def test_keepers_approve(self, client_for, request, who, pending):
        response = client_for(request.getfixturevalue(who)).post(_approve(pending))
        assert response.url == pending.get_absolute_url()
        pending.refresh_from_db()
        assert pending.status == Status.APPROVED
        assert pending.credits.get().status == Status.APPROVED

    def test_detail_page_offers_the_decision(self, client_for, manager_a, pending):
        response = client_for(manager_a).get(pending.get_absolute_url())
        assert response.context["can_decide"] is True
        assert _approve(pending) in response.content.decode()

    def test_another_kpmi_is_refused(self, client_for, manager_b, pending):
        assert client_for(manager_b).post(_approve(pending)).status_code == 403

    @pytest.mark.parametrize("who", ["member_user_a", "officer_users", "outsider"])
    def test_wrong_role(self, client_for, request, who, pending):
        assert client_for(request.getfixturevalue(who)).post(_approve(pending)).status_code == 403
        pending.refresh_from_db()
        assert pending.status == Status.PENDING

    def test_wrong_method(self, client_for, manager_a, pending):
        assert client_for(manager_a).get(_approve(pending)).status_code == 405

    def test_already_approved_is_said_not_failed(self, client_for, manager_a, kpmi_a, manager_member_a):
        done = make_activity(kpmi=kpmi_a, credited=[manager_member_a])
        response = client_for(manager_a).post(_approve(done), follow=True)
        (message,) = response.context["messages"]
        assert message.level == messages.ERROR


class TestReject:
    def test_with_a_reason(self, client_for, manager_a, pending):
        client = client_for(manager_a)
        assert client.get(_reject(pending)).status_code == 200
        response = client.post(_reject(pending), {"reason": "Tanggal tidak sesuai foto."})
        assert response.url == pending.get_absolute_url()
        pending.refresh_from_db()
        assert (pending.status, pending.rejection_reason) == (Status.REJECTED, "Tanggal tidak sesuai foto.")

    def test_without_a_reason(self, client_for, manager_a, pending):
        response = client_for(manager_a).post(_reject(pending), {"reason": "   "})
        assert "reason" in response.context["form"].errors
        pending.refresh_from_db()
        assert pending.status == Status.PENDING

    def test_another_kpmi_is_refused(self, client_for, manager_b, pending):
        assert client_for(manager_b).post(_reject(pending), {"reason": "x"}).status_code == 403

    def test_wrong_role(self, client_for, member_user_a, pending):
        assert client_for(member_user_a).get(_reject(pending)).status_code == 403

    def test_wrong_method(self, client_for, manager_a, pending):
        assert client_for(manager_a).put(_reject(pending)).status_code == 405
