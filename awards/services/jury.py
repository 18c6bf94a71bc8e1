"""The jury review: seating jury members, their votes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log

from ..models import (
    AwardCategory,
    AwardRound,
    Finalist,
    JuryMember,
    Vote,
)
from .rounds import _lock, _require_admin, _transition


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
def jury_member_seat_new_person(
    *, actor: Any, round: AwardRound, full_name: str, categories: Iterable[AwardCategory], email: str = ""
) -> tuple[JuryMember, str]:
    """Bring a new person onto the round's jury in one step: their account (without a password), a
    one-time invitation code (returned, shown once; e-mailed when `email` is given) and their seat.
    One transaction: if the seat is refused (a finalised round, no category) no account is left behind."""
    from kpmi_si.accounts.services import person_invite

    _require_admin(actor)
    _jury_open(_lock(round))
    user, code = person_invite(actor=actor, full_name=full_name, email=email)
    seat = jury_member_set(actor=actor, round=round, user=user, categories=categories)
    return seat, code


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
