"""The shortlist job: every category's ranking computed in the database, only changed finalists written."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log
from kpmi_si.jobs import run_lock
from kpmi_si.outbox.services import task_enqueue

from .. import selectors
from ..models import (
    AwardRound,
    Finalist,
    ShortlistBuild,
)
from .rounds import _lock, _require_admin, _transition

logger = logging.getLogger(__name__)

ACTIVE = (ShortlistBuild.Status.QUEUED, ShortlistBuild.Status.RUNNING)


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
    with transaction.atomic():
        build, created = shortlist_create(actor=actor, round=round)
        if created:
            task_enqueue(build_shortlist_task, build.pk)
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


# Defined beside the service it runs (no services <-> tasks import circle); awards.tasks re-exports it
# for Celery's autodiscovery under the name it has always had.
@shared_task(acks_late=True, name="awards.tasks.build_shortlist_task")
def build_shortlist_task(build_id: int) -> str:
    build = shortlist_build(build_id=build_id)
    return build.status if build else "skipped"
