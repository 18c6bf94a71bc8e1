"""Period choices read in order: the newest year first, then its quarters Q1 to Q4, then the year before."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from associations import selectors, services

pytestmark = pytest.mark.django_db

IN_ORDER = ["2026", "2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4", "2025", "2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"]


@pytest.fixture
def two_years(admin_user):
    services.period_open_year(actor=admin_user, year=2025, quarters=True)
    services.period_open_year(actor=admin_user, year=2026, quarters=True)


def _options(body: str, select_name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return [
        re.sub(r"\s*\(.*\)$", "", text.strip())
        for text in re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)
    ]


def test_the_selector_lists_each_year_then_its_quarters(two_years):
    assert [p.name for p in selectors.periods()] == IN_ORDER


def test_the_dashboard_and_the_competition_form_offer_them_in_that_order(two_years, client_for, officer_users):
    client = client_for(officer_users)
    dashboard = client.get(reverse("associations:home", args=["users"])).content.decode()
    assert _options(dashboard, "period") == IN_ORDER
    form = client.get(reverse("interventions:competition_create")).content.decode()
    assert _options(form, "period") == IN_ORDER
