"""Deciding each category from the tally, finalising (certificate codes) and publishing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log

from .. import selectors
from ..certificates import new_code
from ..models import (
    Award,
    AwardCategory,
    AwardRound,
    Finalist,
)
from .rounds import _lock, _require_admin, _transition


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
