"""After "Evaluasi sekarang" the officer comes back to the dashboard as they left it (#14)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from associations import services
from associations.models import Evaluation

pytestmark = pytest.mark.django_db


def _post(client, period, next_url):
    return client.post(
        reverse("associations:evaluation_start", args=["users"]), {"period": period.pk, "next": next_url}
    )


def test_the_dashboard_form_carries_the_page_it_was_on(client_for, officer_users, period):
    home = reverse("associations:home", args=["users"])
    body = client_for(officer_users).get(f"{home}?period={period.pk}&metric=education&status=behind").content.decode()
    assert f'name="next" value="{home}?period={period.pk}&amp;metric=education&amp;status=behind"' in body


def test_back_to_the_same_metric_filters_and_sort(client_for, officer_users, period):
    home = reverse("associations:home", args=["users"])
    response = _post(
        client_for(officer_users), period, f"{home}?period=999&metric=education&status=behind&sort=-actual&format=xlsx"
    )
    assert response.status_code == 302
    parts = urlsplit(response["Location"])
    assert parts.path == home
    # The period is the one evaluated; an export link does not become a download on the way back.
    assert parse_qs(parts.query) == {
        "period": [str(period.pk)],
        "metric": ["education"],
        "status": ["behind"],
        "sort": ["-actual"],
    }
    assert Evaluation.objects.filter(period=period).exists()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/?metric=education",
        "//evil.example/asosiasi/users/",
        "/asosiasi/platform/?metric=deployments",
        "/admin/",
        "javascript:alert(1)",
        "http://[::1",  # urlsplit raises on it
        "",
    ],
)
def test_anything_but_this_dashboard_goes_to_the_plain_dashboard(client_for, officer_users, period, next_url):
    response = _post(client_for(officer_users), period, next_url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('associations:home', args=['users'])}?period={period.pk}"


def test_the_dashboard_says_when_its_numbers_were_computed(client_for, officer_users, period):
    home = reverse("associations:home", args=["users"])
    client = client_for(officer_users)
    assert 'id="computed-at"' not in client.get(f"{home}?period={period.pk}").content.decode()
    evaluation, _ = services.evaluation_create(actor=None, period=period)
    services.period_evaluate(evaluation_id=evaluation.pk)
    evaluation.refresh_from_db()
    response = client.get(f"{home}?period={period.pk}")
    assert response.context["computed_at"] == evaluation.finished_at
    assert 'id="computed-at"' in response.content.decode()
