"""Writes for award rounds. Every change of a round's state is a service here, allowed only along
awards.models.ROUND_TRANSITIONS and audited (who, when, old -> new):

    draft -> shortlisting -> shortlisted -> in_review -> finalised -> published
                 ^   |            |
                 +---+------------+  (rebuild before the review; a failed build goes back)

- The shortlist job (shortlist_build) computes every category's ranking in the database, then
  writes, in one transaction, only the finalists that changed: running it twice changes nothing the
  second time, a failure leaves the previous shortlist, at most one build of a round is queued or
  running (a database constraint), and a worker killed half-way leaves the build `running` so that
  sending the task again finishes it.
- Starting the jury review locks the shortlist: no build is accepted after it.
- Jury members vote once per finalist (a database constraint), only in their own categories.
- The admin decides each category's winners from the jury's tally; choosing other winners than the
  tally suggests needs a written reason (audited as an override). Finalising needs a decision for
  every category and at least one winner, and refuses a decision taken as the tally suggested when
  votes cast since have moved the tally (that would be an unexplained override); it issues the
  awards with their certificate codes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log
from kpmi_si.jobs import run_lock

from . import permissions, selectors
from .certificates import new_code
from .models import (
    MAX_FINALISTS,
    MAX_MINIMUM,
    ROUND_TRANSITIONS,
    Achievement,
    Award,
    AwardCategory,
    AwardRound,
    Finalist,
    JuryMember,
    ShortlistBuild,
    Subject,
    Vote,
)

logger = logging.getLogger(__name__)

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

ACTIVE = (ShortlistBuild.Status.QUEUED, ShortlistBuild.Status.RUNNING)
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


# --- the shortlist job ---------------------------------------------------------------------------------


def _locked_message(round: AwardRound) -> str:
    return _("The shortlist of %(round)s is locked: the jury review has started (%(status)s).") % {
        "round": round,
        "status": round.get_status_display(),
    }


def shortlist_create(*, actor: Any, round: AwardRound) -> tuple[ShortlistBuild, bool]:
    """A queued build of the round's shortlist, or the one already waiting or running (created=False).
    `actor=None` is the system (the management command)."""
    if actor is not None:
        _require_admin(actor)
    with transaction.atomic():
        round = _lock(round)
        stale = ShortlistBuild.expire_stale(round=round)
        active = ShortlistBuild.objects.filter(round=round, status__in=ACTIVE).first()
        if active is not None:
            return active, False
        if round.shortlist_locked:
            raise ValidationError(_locked_message(round))
        if not round.categories.exists():
            raise ValidationError(_("Choose the round's categories first."))
        requested_by = actor if getattr(actor, "is_authenticated", False) else None
        build = ShortlistBuild.objects.create(
            round=round, requested_by=requested_by, steps_total=round.categories.count()
        )
        if round.status != AwardRound.Status.SHORTLISTING:
            _transition(round, AwardRound.Status.SHORTLISTING, actor=actor, note=f"build #{build.pk}")
        elif stale:
            audit_log(actor=actor, action="award_round.shortlisting", target=round, note=f"build #{build.pk} (stale)")
    return build, True


def shortlist_request(*, actor: Any, round: AwardRound) -> ShortlistBuild:
    """Queue a build of the round's shortlist and hand it to a worker once the request is committed."""
    from .tasks import build_shortlist_task

    with transaction.atomic():
        build, created = shortlist_create(actor=actor, round=round)
        if created:
            transaction.on_commit(lambda: build_shortlist_task.delay(build.pk))
    return build


COMPARED = ("rank", "kpmi_id", "score", "previous")


def _write_finalists(round: AwardRound, desired: dict[int, list[selectors.Ranked]]) -> int:
    """Make the stored finalists equal to `desired`, touching only the rows that differ."""
    existing = {
        (f.category_id, f.member_id, f.supervisor_id): f
        for f in Finalist.objects.filter(category__round=round).only(
            "pk", "category_id", "member_id", "supervisor_id", *COMPARED
        )
    }
    to_create, to_update = [], []
    for category_id, ranking in desired.items():
        for place in ranking:
            values = {"rank": place.rank, "kpmi_id": place.kpmi_id, "score": place.score, "previous": place.previous}
            row = existing.pop((category_id, place.member_id, place.supervisor_id), None)
            if row is None:
                to_create.append(
                    Finalist(
                        category_id=category_id, member_id=place.member_id, supervisor_id=place.supervisor_id, **values
                    )
                )
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                to_update.append(row)
    stale = [row.pk for row in existing.values()]
    if stale:
        Finalist.objects.filter(pk__in=stale).delete()
    Finalist.objects.bulk_create(to_create)
    Finalist.objects.bulk_update(to_update, list(COMPARED))
    return len(to_create) + len(to_update) + len(stale)


def shortlist_build(*, build_id: int, wait: bool = False) -> ShortlistBuild | None:
    """Run one queued (or interrupted) build to the end. Safe to call twice and after a worker was
    killed half-way: it claims the row, recomputes every category and writes only the differences.
    None when there was nothing to do: it finished already, never existed, or another process is
    building this round now (with `wait`, this call waits for that build to end)."""
    round_id = ShortlistBuild.objects.filter(pk=build_id).values_list("round_id", flat=True).first()
    if round_id is None:
        return None
    with run_lock("awards.shortlist", round_id, wait=wait) as held:
        if not held or not ShortlistBuild.claim(build_id):
            return None
        return _build(build_id)


def _build(build_id: int) -> ShortlistBuild:
    build = ShortlistBuild.objects.select_related("round", "requested_by").get(pk=build_id)
    round = build.round
    try:
        if round.shortlist_locked:
            raise ValidationError(_locked_message(round))
        categories = list(round.categories.select_related("round").order_by("position", "pk"))
        build.report_steps(done=0, total=len(categories))
        desired: dict[int, list[selectors.Ranked]] = {}
        for step, category in enumerate(categories, start=1):
            desired[category.pk] = selectors.category_ranking(category)
            build.report_steps(done=step)
        with transaction.atomic():
            # One writer per round at a time; a concurrent run of the same build waits here.
            round = _lock(round)
            current = ShortlistBuild.objects.select_for_update().get(pk=build.pk)
            if current.status != ShortlistBuild.Status.RUNNING:
                return current  # another delivery of this task finished it meanwhile
            if round.status != AwardRound.Status.SHORTLISTING:
                raise ValidationError(_locked_message(round))
            changed = _write_finalists(round, desired)
            round.shortlisted_at = timezone.now()
            _transition(
                round,
                AwardRound.Status.SHORTLISTED,
                actor=build.requested_by,
                note=f"build #{build.pk}: {changed} finalists changed",
                fields=["shortlisted_at"],
            )
            build.succeed(finalists_changed=changed)
    except Exception as exc:
        # The write transaction rolled back: the previous shortlist stands, and the round goes back
        # to where it was. Logged, not re-raised, so an in-process run (no broker) does not turn into
        # a server error for the admin who started it.
        logger.exception("Shortlist build %s of %s failed", build_id, round)
        _fail(build, exc)
    build.refresh_from_db()
    return build


def _fail(build: ShortlistBuild, exc: BaseException) -> None:
    with transaction.atomic():
        if not build.fail(exc):
            return
        message = ShortlistBuild.objects.values_list("error", flat=True).get(pk=build.pk)
        round = _lock(build.round)
        if round.status == AwardRound.Status.SHORTLISTING:
            back = AwardRound.Status.SHORTLISTED if round.shortlisted_at else AwardRound.Status.DRAFT
            _transition(round, back, actor=None, note=f"build #{build.pk} failed: {message}"[:2000])


# --- jury --------------------------------------------------------------------------------------------


@transaction.atomic
def award_round_start_review(*, actor: Any, round: AwardRound) -> AwardRound:
    """Open the jury review. From now on the shortlist is locked."""
    _require_admin(actor)
    round = _lock(round)
    if round.status != AwardRound.Status.SHORTLISTED:
        raise ValidationError(
            _("The jury review starts once the shortlist is built (now: %(status)s).")
            % {"status": round.get_status_display()}
        )
    if not Finalist.objects.filter(category__round=round).exists():
        raise ValidationError(_("The shortlist is empty: there is nothing to review."))
    round.review_started_at = timezone.now()
    return _transition(round, AwardRound.Status.IN_REVIEW, actor=actor, fields=["review_started_at"])


def _jury_open(round: AwardRound) -> None:
    if round.status in (AwardRound.Status.FINALISED, AwardRound.Status.PUBLISHED):
        raise ValidationError(_("The round is finalised; its jury can no longer change."))


@transaction.atomic
def jury_member_set(*, actor: Any, round: AwardRound, user: Any, categories: Iterable[AwardCategory]) -> JuryMember:
    """Put a user on the round's jury for some of its categories (or change their categories)."""
    _require_admin(actor)
    round = _lock(round)
    _jury_open(round)
    categories = list(categories)
    if not user.is_active:
        raise ValidationError({"user": _("This account is not active.")})
    if not categories:
        raise ValidationError({"categories": _("Choose at least one category.")})
    if any(c.round_id != round.pk for c in categories):
        raise ValidationError({"categories": _("Choose categories of this round.")})
    seat, created = JuryMember.objects.get_or_create(round=round, user=user, defaults={"added_by": actor})
    before = [] if created else list(seat.categories.order_by("position", "pk"))
    removed = {c.pk for c in before} - {c.pk for c in categories}
    if removed & set(Vote.objects.filter(jury_member=seat).values_list("finalist__category_id", flat=True)):
        raise ValidationError(
            {"categories": _("This jury member has voted in a category you removed; their votes stand, so it stays.")}
        )
    seat.categories.set(categories)
    old, new = [c.label for c in before], [c.label for c in sorted(categories, key=lambda c: (c.position, c.pk))]
    if old != new:
        audit_log(
            actor=actor,
            action="award_jury.set",
            target=round,
            changes={"jury": [None if created else f"{user}: {old}", f"{user}: {new}"]},
        )
    return seat


@transaction.atomic
def jury_member_remove(*, actor: Any, seat: JuryMember) -> None:
    _require_admin(actor)
    round = _lock(seat.round)
    _jury_open(round)
    if seat.votes.exists():
        raise ValidationError(_("%(user)s has voted already; their votes stand.") % {"user": seat.user})
    audit_log(actor=actor, action="award_jury.remove", target=round, changes={"jury": [str(seat.user), None]})
    seat.delete()


@transaction.atomic
def vote_cast(*, actor: Any, finalist: Finalist, score: int, comment: str = "") -> Vote:
    """A jury member's one vote on a finalist of their categories: a score from 1 to 5 and a comment."""
    finalist = Finalist.objects.select_related("category__round", "member").get(pk=finalist.pk)
    category = finalist.category
    seat = None
    if getattr(actor, "is_authenticated", False) and actor.is_active:
        seat = JuryMember.objects.filter(round=category.round_id, user=actor, categories=category).first()
    if seat is None:
        raise PermissionDenied
    # Locked like finalising locks it: no vote slips in after the round is finalised.
    if _lock(category.round).status != AwardRound.Status.IN_REVIEW:
        raise ValidationError(_("Votes are taken only while the jury review is open."))
    if finalist.supervisor_id == actor.pk or (finalist.member_id and finalist.member.user_id == actor.pk):
        raise ValidationError(_("You cannot vote for yourself."))
    if score is None or not 1 <= score <= 5:
        raise ValidationError({"score": _("Give a score from 1 to 5.")})
    already = _("You have already voted for this finalist.")
    if Vote.objects.filter(jury_member=seat, finalist=finalist).exists():
        raise ValidationError(already)
    vote = Vote(jury_member=seat, finalist=finalist, score=score, comment=(comment or "").strip())
    vote.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError:
        raise ValidationError(already) from None  # the same vote sent twice at once
    audit_log(actor=actor, action="award.vote", target=finalist, changes={"score": [None, score]}, note=vote.comment)
    return vote


# --- decision, finalisation, publication -----------------------------------------------------------------


@transaction.atomic
def category_decide(
    *, actor: Any, category: AwardCategory, winners: Iterable[Finalist], reason: str = ""
) -> AwardCategory:
    """The admin's choice of a category's winners during the review. The tally suggests the top
    finalists by the jury's average score; another choice (or none) needs a written reason."""
    _require_admin(actor)
    round = _lock(category.round)
    category = AwardCategory.objects.select_for_update().get(pk=category.pk)
    if round.status != AwardRound.Status.IN_REVIEW:
        raise ValidationError(_("Winners are decided during the jury review."))
    tally = selectors.category_tally(category)
    by_id = {f.pk: f for f in tally}
    chosen_ids = {w.pk for w in winners}
    if not chosen_ids <= set(by_id):
        raise ValidationError({"winners": _("Choose the winners among this category's finalists.")})
    if len(chosen_ids) > category.winners_count:
        raise ValidationError(
            {"winners": _("This category has at most %(n)s winners.") % {"n": category.winners_count}}
        )
    chosen = [f for f in tally if f.pk in chosen_ids]  # in the tally's order: that gives the places
    suggested = selectors.suggested_winner_ids(tally, category.winners_count)
    override = [f.pk for f in chosen] != suggested
    reason = (reason or "").strip()
    if not chosen and not reason:
        raise ValidationError({"reason": _("Explain why this category has no winner.")})
    if override and not reason:
        raise ValidationError({"reason": _("Your choice differs from the jury's tally: give a written reason.")})
    before = [f.name for f in tally if f.is_winner]
    Finalist.objects.filter(category=category).update(is_winner=False, place=None)
    for place, finalist in enumerate(chosen, start=1):
        finalist.is_winner, finalist.place = True, place
    Finalist.objects.bulk_update(chosen, ["is_winner", "place"])
    category.decided_at, category.decided_by, category.decision_note = timezone.now(), actor, reason
    category.save(update_fields=["decided_at", "decided_by", "decision_note"])
    audit_log(
        actor=actor,
        action="award.override" if override else "award.decide",
        target=category,
        changes={
            "winners": [before, [f.name for f in chosen]],
            "tally": [None, [by_id[pk].name for pk in suggested]],
        },
        note=reason,
    )
    return category


def categories_decide_empty(*, actor: Any, round: AwardRound, reason: str) -> int:
    """Record "no winner" with one written reason for every undecided category of the round that has
    no finalist at all (a sparse year leaves several), each decision audited as if made one by one.
    Returns how many categories were decided."""
    _require_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Explain why these categories have no winner.")})
    empty = (
        round.categories.filter(decided_at__isnull=True)
        .annotate(n=Count("finalists"))
        .filter(n=0)
        .order_by("position", "pk")
    )
    with transaction.atomic():
        decided = [category_decide(actor=actor, category=category, winners=[], reason=reason) for category in empty]
    return len(decided)


def _tally_moved_since_decision(category: AwardCategory) -> bool:
    """A category decided as the tally suggested (so without a written reason) whose tally now
    suggests other winners or another order of places: jury votes came in after the decision.
    Finalising it as it stands would be an override nobody explained."""
    if category.decision_note:
        return False  # the admin wrote why they chose these winners; that reason stands
    tally = selectors.category_tally(category)
    chosen = [f.pk for f in sorted((f for f in tally if f.is_winner), key=lambda f: f.place or 0)]
    return chosen != selectors.suggested_winner_ids(tally, category.winners_count)


def _unique_codes(n: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < n:
        candidates = {new_code() for _ in range(n - len(codes))}
        codes |= candidates - set(Award.objects.filter(code__in=candidates).values_list("code", flat=True))
    return list(codes)


@transaction.atomic
def award_round_finalise(*, actor: Any, round: AwardRound) -> AwardRound:
    """Close the review: every category decided, at least one winner. Issues the awards with their
    certificate codes."""
    _require_admin(actor)
    round = _lock(round)
    if round.status != AwardRound.Status.IN_REVIEW:
        raise ValidationError(
            _("Only a round in jury review can be finalised (now: %(status)s).")
            % {"status": round.get_status_display()}
        )
    categories = list(round.categories.order_by("position", "pk"))
    undecided = [c.label for c in categories if not c.is_decided]
    if undecided:
        raise ValidationError(
            _("Decide the winners of every category first: %(categories)s.") % {"categories": "; ".join(undecided)}
        )
    outdated = [c.label for c in categories if _tally_moved_since_decision(c)]
    if outdated:
        raise ValidationError(
            _(
                "The jury's tally changed after these categories were decided: %(categories)s. "
                "Decide them again (a choice that differs from the tally needs a written reason)."
            )
            % {"categories": "; ".join(outdated)}
        )
    winners = list(
        Finalist.objects.filter(category__round=round, is_winner=True).order_by("category__position", "place")
    )
    if not winners:
        raise ValidationError(_("No category has a winner: there is nothing to award."))
    codes = _unique_codes(len(winners))
    Award.objects.bulk_create(
        Award(finalist=w, round=round, category_id=w.category_id, place=w.place or 1, code=code)
        for w, code in zip(winners, codes, strict=True)
    )
    round.finalised_at = timezone.now()
    return _transition(
        round,
        AwardRound.Status.FINALISED,
        actor=actor,
        note=_("%(n)s awards") % {"n": len(winners)},
        fields=["finalised_at"],
    )


@transaction.atomic
def award_round_publish(*, actor: Any, round: AwardRound) -> AwardRound:
    """Publish the winners: the public page of the year, certificates and their verification."""
    _require_admin(actor)
    round = _lock(round)
    if round.status != AwardRound.Status.FINALISED:
        raise ValidationError(
            _("Only a finalised round can be published (now: %(status)s).") % {"status": round.get_status_display()}
        )
    round.published_at = timezone.now()
    return _transition(round, AwardRound.Status.PUBLISHED, actor=actor, fields=["published_at"])


@transaction.atomic
def award_citation_set(*, actor: Any, award: Award, citation: str) -> Award:
    """Write the short citation of an award (empty: the one written from the numbers). Until the
    round is published: a printed certificate must not change afterwards."""
    _require_admin(actor)
    round = _lock(award.round)
    if round.status != AwardRound.Status.FINALISED:
        raise ValidationError(_("Citations can be written after finalising and before publishing."))
    citation = (citation or "").strip()
    if len(citation) > 300:
        raise ValidationError({"citation": _("Keep the citation under 300 characters.")})
    if citation == award.citation:
        return award
    old = award.citation
    award.citation = citation
    award.save(update_fields=["citation"])
    audit_log(actor=actor, action="award.citation", target=award, changes={"citation": [old, citation]})
    return award
