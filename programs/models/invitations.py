"""Invitations to a ToT or a collaboration programme: one state machine for both."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Kpmi, Member

from .collaboration import CollaborationProgram
from .tot import TotEvent


class Invitation(models.Model):
    """An invitation of one member to one intervention (today a central ToT).

    Proposals are written by a job after an evaluation and by officers; nothing reaches the member
    until an officer sends it. The database allows one invitation per member and event, so a job
    that runs twice, or two officers at once, can never invite someone twice.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Did not pass")

    # The state machine: every service moves an invitation along one of these edges, nothing else.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PROPOSED: (Status.SENT, Status.WITHDRAWN),
        Status.SENT: (Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN),
        Status.ACCEPTED: (Status.ATTENDED, Status.ABSENT, Status.WITHDRAWN),
        Status.ATTENDED: (Status.PASSED, Status.FAILED),
        # Undo of a decline, while answers are still open (services.invitation_undo_decline).
        Status.DECLINED: (Status.SENT,),
        Status.WITHDRAWN: (),
        Status.ABSENT: (),
        Status.PASSED: (),
        Status.FAILED: (),
    }
    # The places an invitation takes at the event: proposals and refusals take none.
    HOLDS_A_SEAT = (Status.SENT, Status.ACCEPTED, Status.ATTENDED, Status.PASSED, Status.FAILED)

    # Exactly one of the two events is set (a check constraint): a ToT or a collaboration programme.
    tot_event = models.ForeignKey(
        TotEvent,
        verbose_name=_("ToT event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    program = models.ForeignKey(
        CollaborationProgram,
        verbose_name=_("collaboration programme"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="invitations")
    # Copied from the member when proposed: the officer's list groups by it, and a manager sees the
    # invitations of their group from one index.
    kpmi = models.ForeignKey(Kpmi, verbose_name=_("KPMI"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PROPOSED)
    proposed_by_evaluation = models.ForeignKey(
        "associations.Evaluation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["kpmi__name", "member__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tot_event", "member"], name="invitation_one_per_member_and_tot"),
            models.UniqueConstraint(fields=["program", "member"], name="invitation_one_per_member_and_program"),
            models.CheckConstraint(
                condition=Q(tot_event__isnull=False, program__isnull=True)
                | Q(tot_event__isnull=True, program__isnull=False),
                name="invitation_one_event",
            ),
        ]
        indexes = [models.Index(fields=["kpmi", "status"]), models.Index(fields=["member", "status"])]

    def __str__(self) -> str:
        return f"{self.member} → {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("interventions:invitation_detail", args=[self.pk])

    @property
    def event(self) -> TotEvent | CollaborationProgram:
        return self.tot_event or self.program

    @property
    def is_tot(self) -> bool:
        return self.tot_event_id is not None

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())
