"""Demo periods for `seed_demo`: last year (evaluated, then closed) and this year (evaluated, open),
each with every association's default targets, so a fresh `make run` shows filled dashboards."""

from __future__ import annotations

from django.utils import timezone

from associations import services
from associations.models import Association, Period
from members.models import User


def periods_present() -> bool:
    return Period.objects.exists()


def build() -> list[Period]:
    admin = User.objects.get(username="admin")
    this_year = timezone.localdate().year
    made = []
    for year in (this_year - 1, this_year):
        period = services.period_open_year(actor=admin, year=year, quarters=year == this_year)
        for association in Association.objects.all():
            services.targets_apply_defaults(actor=admin, period=period, association=association)
        evaluation, _ = services.evaluation_create(actor=admin, period=period)
        services.period_evaluate(evaluation_id=evaluation.pk)
        made.append(period)
    services.period_close(actor=admin, period=made[0])
    return made
