from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kpmi_si.jobs import JobRun


class Association(models.Model):
    """One of the four oversight bodies inside KOMTIK Garut (seeded by migration)."""

    class Code(models.TextChoices):
        COMMUNITIES = "communities", _("Association of Information-Society Mobilizer Communities")
        USERS = "users", _("ICT Users Association")
        PLATFORM = "platform", _("ICT Platform Developers Association")
        ENTREPRENEURS = "entrepreneurs", _("ICT Entrepreneurs Association")

    code = models.SlugField(_("code"), max_length=32, choices=Code, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("associations:home", args=[self.code])

    @property
    def name(self) -> str:
        # The name is the translated label of the code, so it follows the reader's language.
        return self.Code(self.code).label


class Officer(models.Model):
    """A user who works for exactly one association now.

    The row is the current appointment: `user.officer` is what every permission check and every
    notification to an association's officers reads, and none of them knows dates. So, as with
    KpmiRole.until, an officer's dates are never in the future: the start is today or earlier, and the
    end is recorded when it happens, moving the appointment to OfficerTerm (the history)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="officer"
    )
    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="officers"
    )
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=100, blank=True)
    # Empty for officers appointed before dates were kept (and not found in the audit trail).
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("association officer")
        verbose_name_plural = _("association officers")
        ordering = ["association", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.association})"


class OfficerTerm(models.Model):
    """An officer's ended appointment: who served which association from when until when. A person
    may serve again later (a new Officer row, then a new term here)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="officer_terms"
    )
    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="officer_terms"
    )
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=100, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"))
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("past association officer")
        verbose_name_plural = _("past association officers")
        ordering = ["-until", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(since__isnull=True) | models.Q(until__gte=models.F("since")),
                name="officerterm_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.association}, {self.since or '?'} – {self.until})"


class Period(models.Model):
    """A time span targets are set for: a year, optionally split into quarters (child periods).

    Periods at the same level never overlap (years with years, quarters of a year with each other);
    a quarter lies inside its year. Closing a period freezes its evaluation results.
    """

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("period status", "Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=50, unique=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), on_delete=models.CASCADE, null=True, blank=True, related_name="parts"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["-start", "parent_id", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="period_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


# Periods as people pick them: the newest year first, each year followed by its quarters Q1-Q4
# (Meta.ordering sorts by start alone, which puts Q4 above Q1 and a year below its first quarter).
PERIOD_ORDER = (Coalesce("parent__start", "start").desc(), models.F("parent").asc(nulls_first=True), "start")


class Target(models.Model):
    """How much of a metric is expected in a period: a default for every subject (no KPMI and no
    member), or an override for one KPMI (KPMI metrics) or one manager (manager metrics)."""

    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="targets")
    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="targets"
    )
    metric = models.CharField(_("metric"), max_length=32)
    kpmi = models.ForeignKey(
        "members.Kpmi", verbose_name=_("KPMI"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("manager"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    value = models.PositiveIntegerField(_("target"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["period", "metric", "kpmi_id", "member_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kpmi__isnull=True) | models.Q(member__isnull=True), name="target_one_subject"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
            models.UniqueConstraint(
                fields=["period", "metric"],
                condition=models.Q(kpmi__isnull=True, member__isnull=True),
                name="target_one_default",
            ),
            models.UniqueConstraint(
                fields=["period", "metric", "kpmi"], condition=models.Q(kpmi__isnull=False), name="target_one_per_kpmi"
            ),
            models.UniqueConstraint(
                fields=["period", "metric", "member"],
                condition=models.Q(member__isnull=False),
                name="target_one_per_member",
            ),
        ]

    def __str__(self) -> str:
        subject = self.kpmi or self.member or _("default")
        return f"{self.period} · {self.metric} · {subject}: {self.value}"


class Evaluation(JobRun):
    """One run of the target evaluation for a period: its progress, and how it ended."""

    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="evaluations")
    results_changed = models.PositiveIntegerField(_("results changed"), default=0)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one evaluation of a period is waiting or running at a time.
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(status__in=["queued", "running"]),
                name="evaluation_one_active_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.get_status_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class TargetResult(models.Model):
    """The stored outcome of a target for one subject (a KPMI or a manager) in a period.

    Rewritten only by the evaluation service, and only where a number changed, so that running the
    evaluation twice changes nothing the second time.

    Derived data, rebuilt from the logged work by every evaluation: its references are kept without
    database-level foreign keys. Deletes still cascade (and PROTECT still protects) through Django,
    and each evaluation deletes the results no longer due. Measured at province scale, inserting the
    82,587 results of a first evaluation takes 1.4-1.6 s; the five foreign keys' per-row checks added
    2.4-2.5 s at commit. The period, association and district need no index of their own (the
    composite indexes below lead with the period; the district and association are only read within
    a period and metric).
    """

    class Status(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        ON_TRACK = "on_track", _("On track")
        BEHIND = "behind", _("Behind")
        NOT_STARTED = "not_started", _("Not started")

    period = models.ForeignKey(
        Period,
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        related_name="results",
        db_constraint=False,
        db_index=False,
    )
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    metric = models.CharField(_("metric"), max_length=32)
    kpmi = models.ForeignKey(
        "members.Kpmi",
        verbose_name=_("KPMI"),
        on_delete=models.CASCADE,
        related_name="target_results",
        db_constraint=False,
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("manager"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="target_results",
        db_constraint=False,
        # A manager's results (the privacy export, the cascade) are found through result_one_per_member,
        # which leads with the member: one index fewer for every result an evaluation writes.
        db_index=False,
    )
    # Copied from the KPMI so the dashboard filters and groups by district from this table alone.
    kecamatan = models.ForeignKey(
        "members.Kecamatan", on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    target = models.PositiveIntegerField(_("target"))
    actual = models.PositiveIntegerField(_("actual"))
    ratio = models.DecimalField(_("ratio"), max_digits=8, decimal_places=3)
    status = models.CharField(_("status"), max_length=12, choices=Status)
    evaluated_at = models.DateTimeField(_("evaluated at"))

    class Meta:
        verbose_name = _("target result")
        verbose_name_plural = _("target results")
        ordering = ["period", "metric", "kpmi__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "metric", "kpmi"], condition=models.Q(member__isnull=True), name="result_one_per_kpmi"
            ),
            # The member first, so that this index also finds a manager's results of every period
            # (see `member`); the upserts name their conflict by columns, in any order.
            models.UniqueConstraint(
                fields=["member", "period", "metric"],
                condition=models.Q(member__isnull=False),
                name="result_one_per_member",
            ),
        ]
        indexes = [
            # The dashboard's default order and its "most done" order, page by page.
            models.Index(fields=["period", "metric", "ratio", "id"], name="result_by_ratio"),
            models.Index(fields=["period", "metric", "actual", "id"], name="result_by_actual"),
            # A KPMI's own results (its page) use the kpmi index, which the cascade needs anyway.
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.metric} · {self.member or self.kpmi}: {self.actual}/{self.target}"


class MonthlyActual(models.Model):
    """Per month, how much of a metric was done in the whole regency: the dashboard's trend line,
    stored by the evaluation so the dashboard never scans the activity tables."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="monthly_actuals")
    metric = models.CharField(max_length=32)
    month = models.DateField()
    actual = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("monthly actual")
        verbose_name_plural = _("monthly actuals")
        ordering = ["period", "metric", "month"]
        constraints = [
            models.UniqueConstraint(fields=["period", "metric", "month"], name="monthly_actual_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.metric} · {self.month:%Y-%m}: {self.actual}"


class StaleResult(models.Model):
    """A number of a period that a change moved after its last evaluation: one subject's results (a
    KPMI, or a member who is or was a manager) or one month of the regency's trend. Written in the
    transaction of the change (an approved activity, a ToT pass, a founded KPMI, a target override);
    the refresh job (associations.refresh) claims the rows, recomputes just those numbers and deletes
    the rows in the transaction that writes them, so a job killed half-way leaves them for the next.

    A thing marked twice has two rows, on purpose: each change's marks are its own and commit with it.
    With one row per thing (a unique index, INSERT ... ON CONFLICT DO NOTHING) a change whose mark met
    one already waiting wrote none, and a refresh claiming the waiting one before that change committed
    counted without it: the change was never counted. The refresh reads the marks as sets."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    # The metric whose numbers moved ("" when the change may move any: a level change, a new group).
    metric = models.CharField(max_length=32, blank=True, default="")
    kpmi_id = models.BigIntegerField(null=True, blank=True)
    member_id = models.BigIntegerField(null=True, blank=True)
    month = models.DateField(null=True, blank=True)
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stale result")
        verbose_name_plural = _("stale results")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kpmi_id__isnull=False, member_id__isnull=True, month__isnull=True)
                    | models.Q(kpmi_id__isnull=True, member_id__isnull=False, month__isnull=True)
                    | models.Q(kpmi_id__isnull=True, member_id__isnull=True, month__isnull=False)
                ),
                name="stale_result_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}: kpmi {self.kpmi_id} member {self.member_id} month {self.month}"
