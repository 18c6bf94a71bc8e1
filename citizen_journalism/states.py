"""The newsroom's states and every allowed move between them, in one place. Services ask `move()`
for the next state; a move not listed here is refused, whoever asks.

    draft ──submit──▶ submitted ──approve──▶ scheduled ──publish──▶ published
      ▲  save           │  │  └──reject──▶ rejected      │ reject          │
      │                 │  └─request_changes─▶ changes_requested ──submit──┘ (back to submitted)
    published ──submit_correction──▶ correction_submitted ──approve_correction──▶ published (+ note)
                                                          └──decline_correction──▶ published
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    SCHEDULED = "scheduled", _("Approved, scheduled")
    PUBLISHED = "published", pgettext_lazy("article", "Published")
    REJECTED = "rejected", _("Rejected")
    CORRECTION_SUBMITTED = "correction_submitted", _("Published, correction awaiting review")

    # Not members (a TextChoices class attribute that is a tuple would become a choice): set below.
    PUBLIC: tuple[str, ...]
    WRITABLE: tuple[str, ...]
    IN_QUEUE: tuple[str, ...]


# Readers see these (a correction under review leaves the published version on show).
State.PUBLIC = (State.PUBLISHED, State.CORRECTION_SUBMITTED)
# The writer may save a new version in these.
State.WRITABLE = (State.DRAFT, State.CHANGES_REQUESTED, State.PUBLISHED)
# The editors' queue.
State.IN_QUEUE = (State.SUBMITTED, State.SCHEDULED, State.CORRECTION_SUBMITTED)


class Action(models.TextChoices):
    SAVE = "save", _("Save as draft")
    SUBMIT = "submit", _("Send to the editors")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    APPROVE = "approve", _("Approve")
    PUBLISH = "publish", pgettext_lazy("article", "Publish")
    REJECT = "reject", _("Reject")
    SUBMIT_CORRECTION = "submit_correction", _("Send a correction")
    APPROVE_CORRECTION = "approve_correction", _("Approve the correction")
    DECLINE_CORRECTION = "decline_correction", _("Decline the correction")


# (from state, action) -> to state. Nothing else is possible.
MOVES: dict[tuple[str, str], str] = {
    (State.DRAFT, Action.SAVE): State.DRAFT,
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.CHANGES_REQUESTED, Action.SAVE): State.CHANGES_REQUESTED,
    (State.CHANGES_REQUESTED, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.REQUEST_CHANGES): State.CHANGES_REQUESTED,
    (State.SUBMITTED, Action.APPROVE): State.SCHEDULED,
    (State.SUBMITTED, Action.REJECT): State.REJECTED,
    (State.SCHEDULED, Action.PUBLISH): State.PUBLISHED,
    (State.SCHEDULED, Action.REJECT): State.REJECTED,
    (State.PUBLISHED, Action.SUBMIT_CORRECTION): State.CORRECTION_SUBMITTED,
    (State.CORRECTION_SUBMITTED, Action.APPROVE_CORRECTION): State.PUBLISHED,
    (State.CORRECTION_SUBMITTED, Action.DECLINE_CORRECTION): State.PUBLISHED,
}

# Moves an editor makes (never on their own article); the others are the writer's or the scheduler's.
EDITOR_ACTIONS = frozenset(
    {Action.REQUEST_CHANGES, Action.APPROVE, Action.REJECT, Action.APPROVE_CORRECTION, Action.DECLINE_CORRECTION}
)


def allowed(state: str, action: str) -> bool:
    return (state, action) in MOVES


def move(state: str, action: str) -> str:
    """The state `action` leads to from `state`, or a ValidationError saying the article has moved on."""
    try:
        return MOVES[(state, action)]
    except KeyError:
        raise ValidationError(
            gettext("This cannot be done to an article that is “%(state)s”. Reload the page to see where it is now.")
            % {"state": State(state).label},
            code="invalid_move",
        ) from None
