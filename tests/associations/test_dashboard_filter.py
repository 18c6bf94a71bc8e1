"""The dashboard's filter box, joined in Python (templatetags.dashboard_filter), writes what the shared
filter layout and the dashboard's period and metric fields write through the template language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse

from associations import services
from associations.filters import ResultFilter
from associations.models import Period, TargetResult
from members.models import Kecamatan

pytestmark = pytest.mark.django_db


# The dashboard's period and metric fields as its template wrote them, before the tag.
PERIOD_AND_METRIC = engines["django"].from_string(
    """{% load i18n %}<div class="col-12 col-sm-6 col-md-3 mb-3">
  <label class="form-label" for="id_period">{% translate "Period" %}</label>
  <select class="form-select" name="period" id="id_period">
    {% for p in periods %}<option value="{{ p.pk }}" {% if p.pk == period.pk %}selected{% endif %}>"""
    """{{ p.name }}{% if p.is_closed %} ({% translate "closed" %}){% endif %}</option>{% endfor %}
  </select>
</div>
<div class="col-12 col-sm-6 col-md-3 mb-3">
  <label class="form-label" for="id_metric">{% translate "Metric" %}</label>
  <select class="form-select" name="metric" id="id_metric">
    {% for m in metrics %}<option value="{{ m.code }}" {% if m.code == metric.code %}selected{% endif %}>"""
    """{{ m.label }}</option>{% endfor %}
  </select>
</div>
"""
)


def _templates_box(response) -> str:
    """The box as the shared filter layout renders it with the fields above, for the page's own context and
    the filter form the view built before the tag (the districts read by its own query)."""
    context = {name: response.context[name] for name in ("periods", "period", "metrics", "metric", "association")}
    request = response.wsgi_request
    filterset = ResultFilter(request.GET or None, queryset=TargetResult.objects.none())
    return render_to_string(
        "_filter_form.html",
        {**context, "filter": filterset, "extra": PERIOD_AND_METRIC},
        request=request,
    )


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "metric=publications&sort=-actual",
        "q=%3Cb%3E%22Asep%26&status=achieved",  # escaped, and two filters on
        "status=nonsense&kecamatan=nowhere",  # fields with an error go to crispy
        "kecamatan=3205999&page=2",
    ],
)
def test_the_box_is_the_templates_markup(client_for, officer_users, admin_user, period, language, query):
    later = services.period_open_year(actor=admin_user, year=2026, quarters=True)
    Period.objects.filter(pk=period.pk).update(status=Period.Status.CLOSED, name='2025 <"lama">')
    Kecamatan.objects.create(code="3205999", name="Tarogong <Kidul>")
    client = client_for(officer_users)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for chosen in (period.pk, later.pk):
        response = client.get(reverse("associations:home", args=["users"]) + f"?period={chosen}&{query}")
        assert response.status_code == 200
        box = _templates_box(response)
        assert box.count("<details") == 1 and box in response.content.decode()


def test_a_new_district_shows_in_the_box_at_once(client_for, officer_users, period):
    """The fields' markup is kept per process: a district added after a page was drawn is in the next one,
    chosen when the request asks for it."""
    client = client_for(officer_users)
    url = reverse("associations:home", args=["users"])
    query = "?kecamatan=3205999"
    first = client.get(url + query).content.decode()
    assert "Tarogong Baru" not in first
    Kecamatan.objects.create(code="3205999", name="Tarogong Baru")
    second = client.get(url + query).content.decode()
    assert '<option value="3205999" selected>Tarogong Baru</option>' in second
