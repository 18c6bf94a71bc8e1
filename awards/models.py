"""Annual award rounds (penghargaan tahunan) of KOMTIK Garut.

A round is opened for one calendar year with its categories: who competes (members at one level of
the ladder, or supervisors) times what they achieved that year (awards.achievements). A job builds
the shortlist of every category from the logged data; a jury reviews and scores the finalists; the
KOMTIK admin decides the winners, finalises and publishes; every winner gets a certificate with a
verification code. The round moves through its states only along ROUND_TRANSITIONS, each step a
service in awards.services that writes an audit entry.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kpmi_si.jobs import JobRun
from members.models import Level

VOTE_MIN, VOTE_MAX = 1, 5
MAX_FINALISTS = 20
# A bound on a category's minimums, far above a year's work of anyone, so that a typo is refused with a
# message instead of overflowing the database's integer (a server error on PostgreSQL).
MAX_MINIMUM = 10_000


class Subject(models.TextChoices):
    """Who competes in a category: the members at one level (at the end of the round's year), or
    the supervisors (pembina), who are scored by what their KPMI achieved."""

    TRAINER_CANDIDATE = "candidate", _("Trainer candidates")
    TRAINER = "trainer", _("Trainers")
    MANAGER = "manager", _("Managers")
    PIONEER = "pioneer", _("Pioneers")
    SUPERVISOR = "supervisor", _("Supervisors (pembina)")


SUBJECT_LEVELS: dict[str, int] = {
    Subject.TRAINER_CANDIDATE: Level.TRAINER_CANDIDATE,
    Subject.TRAINER: Level.TRAINER,
    Subject.MANAGER: Level.MANAGER,
    Subject.PIONEER: Level.PIONEER,
}


class Achievement(models.TextChoices):
    """What a category rewards; how each is counted lives in awards.achievements."""

    TRAINERS = "trainers", _("Trainers produced")
    PUBLICATIONS = "publications", _("Publications")
    EDUCATION = "education", _("ICT education")
    DEPLOYMENTS = "deployments", _("ICT deployments")
    KPMI_FOUNDED = "kpmi_founded", _("KPMI founded")


class AwardRound(models.Model):
    """The awards of one year. At most one round per year (a unique year)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SHORTLISTING = "shortlisting", _("Building the shortlist")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        IN_REVIEW = "in_review", _("Jury review")
        FINALISED = "finalised", _("Finalised")
        PUBLISHED = "published", pgettext_lazy("award round", "Published")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    # The last shortlist build that succeeded; cleared when the categories change (the shortlist
    # no longer matches them), so a failed rebuild knows whether there is a shortlist to go back to.
    shortlisted_at = models.DateTimeField(_("shortlisted at"), null=True, blank=True)
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="awardround_year_plausible"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "shortlisting", "shortlisted", "in_review", "finalised", "published"]),
                name="awardround_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Awards %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("awards:round_detail", args=[self.pk])

    @property
    def shortlist_locked(self) -> bool:
        """The shortlist may be (re)built only before the jury starts."""
        return self.status not in (self.Status.DRAFT, self.Status.SHORTLISTED, self.Status.SHORTLISTING)

    @property
    def categories_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SHORTLISTED)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


S = AwardRound.Status
# The only moves a round makes; awards.services.rounds._transition refuses any other.
ROUND_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SHORTLISTING}),
    # A build that succeeds -> shortlisted; one that fails goes back to where it came from.
    S.SHORTLISTING: frozenset({S.SHORTLISTED, S.DRAFT}),
    # Rebuild; start the jury review (locks the shortlist); or categories changed (shortlist outdated).
    S.SHORTLISTED: frozenset({S.SHORTLISTING, S.IN_REVIEW, S.DRAFT}),
    S.IN_REVIEW: frozenset({S.FINALISED}),
    S.FINALISED: frozenset({S.PUBLISHED}),
    S.PUBLISHED: frozenset(),
}


class AwardCategory(models.Model):
    """Who × what, with how many finalists and winners, and the minimum a finalist must reach."""

    round = models.ForeignKey(AwardRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="categories")
    subject = models.CharField(_("who"), max_length=16, choices=Subject)
    achievement = models.CharField(_("achievement"), max_length=16, choices=Achievement)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    finalists_count = models.PositiveSmallIntegerField(
        _("finalists"), default=5, validators=[MinValueValidator(1), MaxValueValidator(MAX_FINALISTS)]
    )
    winners_count = models.PositiveSmallIntegerField(
        _("winners"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_FINALISTS)]
    )
    min_count = models.PositiveIntegerField(
        _("minimum count"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("A finalist has at least this many in the year."),
    )
    min_increase = models.IntegerField(
        _("minimum increase"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Optional: at least this many more than the year before."),
    )
    # The admin's decision on the winners (awards.services.category_decide).
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        ordering = ["round", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "subject", "achievement"], name="awardcategory_unique"),
            models.CheckConstraint(
                condition=Q(winners_count__gte=1) & Q(winners_count__lte=F("finalists_count")),
                name="awardcategory_winners_within_finalists",
            ),
            models.CheckConstraint(
                condition=Q(finalists_count__gte=1, finalists_count__lte=MAX_FINALISTS),
                name="awardcategory_finalists_range",
            ),
            models.CheckConstraint(condition=Q(min_count__gte=1), name="awardcategory_min_count_positive"),
            models.CheckConstraint(
                condition=Q(min_increase__isnull=True) | Q(min_increase__gte=0),
                name="awardcategory_min_increase_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round.year} · {self.label}"

    @property
    def label(self) -> str:
        return str(
            _("%(achievement)s — %(subject)s")
            % {"achievement": self.get_achievement_display(), "subject": self.get_subject_display()}
        )

    @property
    def is_supervisor(self) -> bool:
        return self.subject == Subject.SUPERVISOR

    @property
    def level(self) -> int | None:
        return SUBJECT_LEVELS.get(self.subject)

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None


class ShortlistBuild(JobRun):
    """One run of the shortlist job for a round: its progress, and how it ended."""

    round = models.ForeignKey(AwardRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="builds")
    finalists_changed = models.PositiveIntegerField(_("finalists changed"), default=0)

    class Meta:
        verbose_name = _("shortlist build")
        verbose_name_plural = _("shortlist builds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one build of a round is waiting or running at a time.
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status__in=["queued", "running"]),
                name="shortlistbuild_one_active_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_status_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class Finalist(models.Model):
    """One place on a category's shortlist: a member, or a supervisor for one KPMI they supervise.

    `score` is the count in the round's year and `previous` the count in the year before, both as
    the shortlist job found them; awards.selectors.finalist_records lists the records behind them.
    Written only by the shortlist job (only where something changed), until the review locks it.
    """

    category = models.ForeignKey(
        AwardCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="finalists"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_finalists",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_finalists",
    )
    # The member's KPMI, or the supervised KPMI whose work is the supervisor's score.
    kpmi = models.ForeignKey(
        "members.Kpmi", verbose_name=_("KPMI"), on_delete=models.PROTECT, related_name="award_finalists"
    )
    score = models.PositiveIntegerField(_("score"))
    previous = models.PositiveIntegerField(_("previous year"))
    is_winner = models.BooleanField(_("winner"), default=False)
    place = models.PositiveSmallIntegerField(pgettext_lazy("rank", "place"), null=True, blank=True)

    class Meta:
        verbose_name = _("finalist")
        verbose_name_plural = _("finalists")
        ordering = ["category", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, supervisor__isnull=True)
                | Q(member__isnull=True, supervisor__isnull=False),
                name="finalist_member_or_supervisor",
            ),
            models.UniqueConstraint(
                fields=["category", "member"], condition=Q(member__isnull=False), name="finalist_member_once"
            ),
            models.UniqueConstraint(
                fields=["category", "supervisor"],
                condition=Q(supervisor__isnull=False),
                name="finalist_supervisor_once",
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="finalist_rank_positive"),
        ]
        indexes = [models.Index(fields=["category", "rank"], name="finalist_category_rank")]

    def __str__(self) -> str:
        return f"{self.category}: {self.rank}. {self.name}"

    @property
    def name(self) -> str:
        if self.member_id:
            return self.member.full_name
        return str(self.supervisor)

    @property
    def delta(self) -> int:
        return self.score - self.previous


class JuryMember(models.Model):
    """A user on a round's jury, for some of its categories."""

    round = models.ForeignKey(AwardRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="jury_seats"
    )
    categories = models.ManyToManyField(AwardCategory, verbose_name=_("categories"), related_name="jury")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        ordering = ["round", "user__username"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="jurymember_once_per_round")]

    def __str__(self) -> str:
        return f"{self.round} · {self.user}"


class Vote(models.Model):
    """A jury member's score (1-5) and comment on one finalist; one per jury member and finalist."""

    jury_member = models.ForeignKey(
        JuryMember, verbose_name=_("jury member"), on_delete=models.CASCADE, related_name="votes"
    )
    finalist = models.ForeignKey(Finalist, verbose_name=_("finalist"), on_delete=models.CASCADE, related_name="votes")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(VOTE_MIN), MaxValueValidator(VOTE_MAX)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("voted at"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("noun", "vote")
        verbose_name_plural = _("votes")
        ordering = ["finalist", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["jury_member", "finalist"], name="vote_once_per_finalist"),
            models.CheckConstraint(condition=Q(score__gte=VOTE_MIN, score__lte=VOTE_MAX), name="vote_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.jury_member.user} → {self.finalist}: {self.score}"


class Award(models.Model):
    """An award given: a winner of a finalised round, with the certificate's verification code."""

    finalist = models.OneToOneField(
        Finalist, verbose_name=_("finalist"), on_delete=models.PROTECT, related_name="award"
    )
    # Copies of the finalist's round and category, so public pages read awards with plain filters.
    round = models.ForeignKey(AwardRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="awards")
    category = models.ForeignKey(
        AwardCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="awards"
    )
    place = models.PositiveSmallIntegerField(pgettext_lazy("rank", "place"))
    # Empty: the citation is written from the numbers, in the reader's language (citation_text).
    citation = models.CharField(_("citation"), max_length=300, blank=True)
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("awarded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["round", "category__position", "place"]
        constraints = [models.CheckConstraint(condition=Q(place__gte=1), name="award_place_positive")]

    def __str__(self) -> str:
        return f"{self.category}: {self.finalist.name}"

    def get_absolute_url(self) -> str:
        return reverse("awards:verify_code", args=[self.code_display])

    @property
    def code_display(self) -> str:
        """The code in groups of four, as printed on the certificate."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def citation_text(self) -> str:
        return self.citation or self.default_citation()

    def default_citation(self) -> str:
        """The citation written from the numbers, in the reader's language."""
        finalist = self.finalist
        year = self.round.year
        return str(
            _("%(achievement)s: %(count)s in %(year)s, %(change)s compared with %(previous_year)s.")
            % {
                "count": finalist.score,
                "year": year,
                "change": f"{finalist.delta:+d}",
                "previous_year": year - 1,
                "achievement": self.category.get_achievement_display(),
            }
        )
