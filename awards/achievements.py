"""What each award achievement counts, in one registry (as associations/metrics.py does for targets).

Every achievement is counted two ways: per member, and per KPMI (a supervisor is scored by the KPMI
they supervise). Each way is a `Count`:
- `counts(start, end)`: the count per subject over a date range, grouped in the database (rows of
  {key: subject id, "n": count});
- `key`: the field of the counted rows that names the subject;
- `date_field`: the date of a counted row, to split one grouped query into two years;
- `records(subject, start, end)`: the very rows that make up a subject's number, for the drill-down.

Logged work (publications, education, deployments) is counted by programs.metrics.work_counts, the
project's one definition of "how much work": approved work only; a member counts each activity they
are credited on once (ActivityCredit rows), a KPMI each activity it takes part in once (ActivityKpmi
rows). Its records are those same rows, filtered the same way (a test holds the two together).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import Kpmi, Level, LevelChange
from programs import metrics as work_metrics
from programs.models import ActivityCredit, ActivityKpmi, Kind
from programs.models import Status as WorkStatus

from .models import Achievement


@dataclass(frozen=True)
class Counting:
    key: str
    date_field: str
    counts: Callable[[dt.date, dt.date], QuerySet]
    records: Callable[[Any, dt.date, dt.date], QuerySet]
    records_template: str
    rule: Promise


@dataclass(frozen=True)
class Measure:
    code: str
    per_member: Counting
    per_kpmi: Counting


def _grouped(qs: QuerySet, key: str) -> QuerySet:
    return qs.order_by().values(key).annotate(n=Count("*"))


# --- trainers produced: promotions to trainer (passing a ToT) -------------------------------------------


def _promotions_to_trainer(start: dt.date, end: dt.date) -> QuerySet[LevelChange]:
    # The same rows as the Communities association's "new trainers": promotions, not registrations
    # or corrections.
    return LevelChange.objects.filter(
        kind=LevelChange.Kind.PROMOTION, to_level=Level.TRAINER, effective_on__gte=start, effective_on__lte=end
    )


def _trainer_records(qs: QuerySet[LevelChange]) -> QuerySet[LevelChange]:
    return qs.select_related("member", "member__kpmi", "member__trained_by").order_by("effective_on", "pk")


# --- KPMI founded -------------------------------------------------------------------------------------


def _founded(start: dt.date, end: dt.date) -> QuerySet[Kpmi]:
    return Kpmi.objects.filter(founded_on__gte=start, founded_on__lte=end)


def _kpmi_records(qs: QuerySet[Kpmi]) -> QuerySet[Kpmi]:
    return qs.select_related("kecamatan", "founded_by", "founded_from").order_by("founded_on", "pk")


# --- logged work ---------------------------------------------------------------------------------------


def _work(kind: str, member_rule: Promise, kpmi_rule: Promise) -> Measure:
    def member_records(member: Any, start: dt.date, end: dt.date) -> QuerySet[ActivityCredit]:
        return (
            ActivityCredit.objects.filter(
                member=member, status=WorkStatus.APPROVED, kind=kind, date__gte=start, date__lte=end
            )
            .select_related("activity", "activity__kpmi", "activity__kecamatan")
            .order_by("date", "activity_id")
        )

    def kpmi_records(kpmi: Any, start: dt.date, end: dt.date) -> QuerySet[ActivityKpmi]:
        return (
            ActivityKpmi.objects.filter(
                kpmi=kpmi, status=WorkStatus.APPROVED, kind=kind, date__gte=start, date__lte=end
            )
            .select_related("activity", "activity__kpmi", "activity__kecamatan")
            .order_by("date", "activity_id")
        )

    return Measure(
        code=kind,
        per_member=Counting(
            key="member_id",
            date_field="date",
            counts=lambda s, e: work_metrics.work_counts(by=("member",), kinds=[kind], start=s, end=e).order_by(),
            records=member_records,
            records_template="awards/records/activities.html",
            rule=member_rule,
        ),
        per_kpmi=Counting(
            key="kpmi_id",
            date_field="date",
            counts=lambda s, e: work_metrics.work_counts(by=("kpmi",), kinds=[kind], start=s, end=e).order_by(),
            records=kpmi_records,
            records_template="awards/records/activities.html",
            rule=kpmi_rule,
        ),
    )


MEASURES: dict[str, Measure] = {
    Achievement.TRAINERS: Measure(
        code=Achievement.TRAINERS,
        per_member=Counting(
            key="member__trained_by_id",
            date_field="effective_on",
            counts=lambda s, e: _grouped(_promotions_to_trainer(s, e), "member__trained_by_id"),
            records=lambda member, s, e: _trainer_records(
                _promotions_to_trainer(s, e).filter(member__trained_by=member)
            ),
            records_template="awards/records/level_changes.html",
            rule=_("Members they trained (named as trainer) who were promoted to trainer in the year."),
        ),
        per_kpmi=Counting(
            key="member__kpmi_id",
            date_field="effective_on",
            counts=lambda s, e: _grouped(_promotions_to_trainer(s, e), "member__kpmi_id"),
            records=lambda kpmi, s, e: _trainer_records(_promotions_to_trainer(s, e).filter(member__kpmi=kpmi)),
            records_template="awards/records/level_changes.html",
            rule=_("Members of the KPMI promoted to trainer in the year."),
        ),
    ),
    Achievement.PUBLICATIONS: _work(
        Kind.PUBLICATION,
        _("Approved publications the member is credited on, dated in the year."),
        _("Approved publications the KPMI took part in, dated in the year."),
    ),
    Achievement.EDUCATION: _work(
        Kind.EDUCATION,
        _("Approved ICT education sessions the member is credited on, dated in the year."),
        _("Approved ICT education sessions the KPMI took part in, dated in the year."),
    ),
    Achievement.DEPLOYMENTS: _work(
        Kind.DEPLOYMENT,
        _("Approved ICT deployments the member is credited on, dated in the year."),
        _("Approved ICT deployments the KPMI took part in, dated in the year."),
    ),
    Achievement.KPMI_FOUNDED: Measure(
        code=Achievement.KPMI_FOUNDED,
        per_member=Counting(
            key="founded_by_id",
            date_field="founded_on",
            counts=lambda s, e: _grouped(_founded(s, e).filter(founded_by__isnull=False), "founded_by_id"),
            records=lambda member, s, e: _kpmi_records(_founded(s, e).filter(founded_by=member)),
            records_template="awards/records/kpmi.html",
            rule=_("KPMI founded in the year with the member as founding pioneer."),
        ),
        per_kpmi=Counting(
            key="founded_from_id",
            date_field="founded_on",
            counts=lambda s, e: _grouped(_founded(s, e).filter(founded_from__isnull=False), "founded_from_id"),
            records=lambda kpmi, s, e: _kpmi_records(_founded(s, e).filter(founded_from=kpmi)),
            records_template="awards/records/kpmi.html",
            rule=_("KPMI founded in the year from the supervised KPMI."),
        ),
    ),
}


def count_for(achievement: str, *, supervisor: bool) -> Counting:
    measure = MEASURES[achievement]
    return measure.per_kpmi if supervisor else measure.per_member
