"""An officer watches a running evaluation's progress bar until the page shows the results."""

from __future__ import annotations

import pytest

from associations import services
from associations.models import Association, Evaluation
from members.models import Level
from programs.models import Kind
from tests import factories
from tests.factories import PASSWORD
from tests.programs.factories import make_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_progress_bar_follows_the_evaluation_then_results_and_charts_show(
    page, login, live_server, admin_user, officer_users, kpmi_a
):
    period = services.period_open_year(actor=admin_user, year=2025)
    users = Association.objects.get(code="users")
    services.target_set(actor=officer_users, period=period, association=users, metric="publications", value=2)
    manager = factories.MemberFactory(kpmi=kpmi_a, level=Level.MANAGER, full_name="Asep Rajin")
    for month in (3, 4, 5):
        make_activity(kpmi=kpmi_a, credited=[manager], kind=Kind.PUBLICATION, date=period.start.replace(month=month))
    # Queued, as a worker would find it: the page shows the bar and polls.
    evaluation, _ = services.evaluation_create(actor=officer_users, period=period)

    login("officer_users", PASSWORD)
    page.goto(f"{live_server.url}/perhimpunan/users/?period={period.pk}")
    assert page.locator("#evaluation-progress").is_visible()

    services.period_evaluate(evaluation_id=evaluation.pk)  # the "worker" finishes
    # The script polls the status, sees it done and reloads: the bar goes, the results come.
    page.wait_for_selector("#evaluation-progress", state="detached", timeout=15_000)
    assert Evaluation.objects.get(pk=evaluation.pk).status == Evaluation.Status.SUCCEEDED
    assert page.get_by_text("Asep Rajin").is_visible()
    assert page.locator("table .badge").get_by_text("Tercapai").is_visible()
    # Both charts were drawn by the vendored Chart.js (no external request).
    assert page.evaluate("Chart.getChart(document.getElementById('trend-chart')) !== undefined")
    assert page.evaluate("Chart.getChart(document.getElementById('kecamatan-chart')) !== undefined")
