"""The dashboard's "Per district" chart names every bar: with a group in each of Garut's 42 kecamatan,
all 42 names are drawn on the axis (none skipped to make room) and the bars are not squeezed."""

from __future__ import annotations

import pytest

from associations import services
from associations.models import Association
from members.models import Kecamatan
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_kecamatan_bar_has_its_label(page, login, live_server, admin_user, officer_communities):
    districts = list(Kecamatan.objects.order_by("name"))
    assert len(districts) == 42
    for district in districts:
        factories.KpmiFactory(kecamatan=district)
    period = services.period_open_year(actor=admin_user, year=2025)
    communities = Association.objects.get(code="communities")
    services.target_set(
        actor=officer_communities, period=period, association=communities, metric="new_members", value=5
    )
    evaluation, _ = services.evaluation_create(actor=officer_communities, period=period)
    services.period_evaluate(evaluation_id=evaluation.pk)

    login("officer_communities", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/perhimpunan/communities/?period={period.pk}&metric=new_members")
    page.wait_for_function("window.Chart && Chart.getChart(document.getElementById('kecamatan-chart'))")
    drawn = page.evaluate(
        """() => {
          const chart = Chart.getChart(document.getElementById('kecamatan-chart'));
          return {ticks: chart.scales.y.ticks.length, labels: chart.data.labels.length,
                  axis: chart.options.indexAxis, height: chart.height};
        }"""
    )
    assert drawn["axis"] == "y"  # horizontal bars: names read left of their bar
    assert drawn["labels"] == 42
    assert drawn["ticks"] == 42  # every bar named
    assert drawn["height"] >= 42 * 20  # about a line of text per kecamatan
