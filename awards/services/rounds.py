"""Opening a round and choosing its categories; the one way a round changes state (_transition)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log

from .. import permissions
from ..models import (
    MAX_FINALISTS,
    MAX_MINIMUM,
    ROUND_TRANSITIONS,
    Achievement,
    AwardCategory,
    AwardRound,
    Subject,
)

FIRST_YEAR = 2000


@dataclass(frozen=True)
class CategorySpec:
    """One category as the admin chooses it: who, what, how many finalists and winners, minimums."""

    subject: str
    achievement: str
    finalists_count: int = 5
    winners_count: int = 1
    min_count: int = 1
    min_increase: int | None = None


# The categories a new round starts with: every level and the supervisors, each with the
# achievements that fit its place on the ladder (candidates publish; trainers train and educate;
# managers publish, educate and deploy; pioneers found groups and train trainers; supervisors answer
# for all their KPMI does). The admin adds or removes any of the 25 combinations.
DEFAULT_CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(Subject.TRAINER_CANDIDATE, Achievement.PUBLICATIONS),
    CategorySpec(Subject.TRAINER, Achievement.TRAINERS),
    CategorySpec(Subject.TRAINER, Achievement.EDUCATION),
    CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, winners_count=3),
    CategorySpec(Subject.MANAGER, Achievement.EDUCATION, winners_count=3),
    CategorySpec(Subject.MANAGER, Achievement.DEPLOYMENTS, winners_count=3),
    CategorySpec(Subject.PIONEER, Achievement.KPMI_FOUNDED, finalists_count=3),
    CategorySpec(Subject.PIONEER, Achievement.TRAINERS),
    CategorySpec(Subject.SUPERVISOR, Achievement.TRAINERS),
    CategorySpec(Subject.SUPERVISOR, Achievement.PUBLICATIONS),
    CategorySpec(Subject.SUPERVISOR, Achievement.EDUCATION),
    CategorySpec(Subject.SUPERVISOR, Achievement.DEPLOYMENTS),
    CategorySpec(Subject.SUPERVISOR, Achievement.KPMI_FOUNDED, finalists_count=3),
)

SPEC_FIELDS = ("finalists_count", "winners_count", "min_count", "min_increase")


def _require_admin(actor: Any) -> None:
    if not permissions.can_manage_awards(actor):
        raise PermissionDenied


def _lock(round: AwardRound) -> AwardRound:
    return AwardRound.objects.select_for_update().get(pk=round.pk)


def _transition(round: AwardRound, to: str, *, actor: Any, note: str = "", fields: Sequence[str] = ()) -> AwardRound:
    """Move a (locked) round to `to` along ROUND_TRANSITIONS, saving `fields` too, and audit it."""
    old = round.status
    if to not in ROUND_TRANSITIONS[old]:
        raise ValidationError(
            _("An award round cannot go from %(old)s to %(new)s.")
            % {"old": AwardRound.Status(old).label, "new": AwardRound.Status(to).label}
        )
    round.status = to
    round.save(update_fields=["status", *fields])
    audit_log(actor=actor, action=f"award_round.{to}", target=round, changes={"status": [old, to]}, note=note)
    return round


def _position(spec: CategorySpec) -> int:
    return Subject.values.index(spec.subject) * 10 + Achievement.values.index(spec.achievement)


def _validate_specs(specs: Sequence[CategorySpec]) -> None:
    if not specs:
        raise ValidationError({"categories": _("Choose at least one category.")})
    seen = set()
    for spec in specs:
        if spec.subject not in Subject.values or spec.achievement not in Achievement.values:
            raise ValidationError({"categories": _("Unknown category.")})
        if (spec.subject, spec.achievement) in seen:
            raise ValidationError({"categories": _("Each category can be chosen once.")})
        seen.add((spec.subject, spec.achievement))
        label = f"{Achievement(spec.achievement).label} — {Subject(spec.subject).label}"
        if not 1 <= spec.finalists_count <= MAX_FINALISTS:
            raise ValidationError(
                {
                    "categories": _("%(category)s: between 1 and %(max)s finalists.")
                    % {"category": label, "max": MAX_FINALISTS}
                }
            )
        if not 1 <= spec.winners_count <= spec.finalists_count:
            raise ValidationError(
                {
                    "categories": _("%(category)s: at least 1 winner and no more winners than finalists.")
                    % {"category": label}
                }
            )
        if spec.min_count < 1:
            raise ValidationError(
                {"categories": _("%(category)s: the minimum count is at least 1.") % {"category": label}}
            )
        if spec.min_increase is not None and spec.min_increase < 0:
            raise ValidationError(
                {"categories": _("%(category)s: the minimum increase cannot be negative.") % {"category": label}}
            )
        if spec.min_count > MAX_MINIMUM or (spec.min_increase or 0) > MAX_MINIMUM:
            raise ValidationError(
                {
                    "categories": _("%(category)s: the minimums are at most %(max)s.")
                    % {"category": label, "max": MAX_MINIMUM}
                }
            )


def _spec_text(spec: CategorySpec) -> str:
    text = f"{spec.subject}/{spec.achievement} {spec.finalists_count}/{spec.winners_count} min {spec.min_count}"
    return text + (f" +{spec.min_increase}" if spec.min_increase is not None else "")


# --- rounds and categories -----------------------------------------------------------------------------


@transaction.atomic
def award_round_open(*, actor: Any, year: int, categories: Sequence[CategorySpec] | None = None) -> AwardRound:
    """Open the round of a year with its categories (the defaults when none are given)."""
    _require_admin(actor)
    specs = list(DEFAULT_CATEGORIES if categories is None else categories)
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            {"year": _("Choose a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": this_year}}
        )
    if AwardRound.objects.filter(year=year).exists():
        raise ValidationError({"year": _("The awards of %(year)s have a round already.") % {"year": year}})
    _validate_specs(specs)
    round = AwardRound(year=year, created_by=actor)
    round.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            round.save()
    except IntegrityError:
        # Two admins opening the same year at once: the unique year lets one through.
        raise ValidationError({"year": _("The awards of %(year)s have a round already.") % {"year": year}}) from None
    AwardCategory.objects.bulk_create(
        AwardCategory(round=round, position=_position(spec), **asdict(spec)) for spec in specs
    )
    audit_log(
        actor=actor,
        action="award_round.open",
        target=round,
        changes={"year": [None, year], "categories": [None, [_spec_text(s) for s in specs]]},
    )
    return round


@transaction.atomic
def award_round_set_categories(*, actor: Any, round: AwardRound, categories: Sequence[CategorySpec]) -> AwardRound:
    """Replace a round's categories (before the review). After a shortlist was built, a change sends
    the round back to draft: the shortlist no longer matches its categories and must be rebuilt."""
    _require_admin(actor)
    round = _lock(round)
    if not round.categories_editable:
        raise ValidationError(
            _("The categories of a round can change only before the shortlist is locked (%(status)s).")
            % {"status": round.get_status_display()}
        )
    specs = list(categories)
    _validate_specs(specs)
    existing = {(c.subject, c.achievement): c for c in round.categories.all()}
    before = sorted(
        _spec_text(CategorySpec(c.subject, c.achievement, **{f: getattr(c, f) for f in SPEC_FIELDS}))
        for c in existing.values()
    )
    wanted = {(s.subject, s.achievement): s for s in specs}
    removed = [c.pk for key, c in existing.items() if key not in wanted]
    changed: list[AwardCategory] = []
    for key, spec in wanted.items():
        category = existing.get(key)
        if category is None:
            changed.append(AwardCategory.objects.create(round=round, position=_position(spec), **asdict(spec)))
        elif any(getattr(category, f) != getattr(spec, f) for f in SPEC_FIELDS):
            for f in SPEC_FIELDS:
                setattr(category, f, getattr(spec, f))
            category.save(update_fields=list(SPEC_FIELDS))
            changed.append(category)
    if removed:
        AwardCategory.objects.filter(pk__in=removed).delete()
    if not (changed or removed):
        return round
    audit_log(
        actor=actor,
        action="award_round.categories",
        target=round,
        changes={"categories": [before, sorted(_spec_text(s) for s in specs)]},
    )
    if round.status == AwardRound.Status.SHORTLISTED:
        round.shortlisted_at = None
        _transition(
            round,
            AwardRound.Status.DRAFT,
            actor=actor,
            note=_("Categories changed; the shortlist must be built again."),
            fields=["shortlisted_at"],
        )
    return round
