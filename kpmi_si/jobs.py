"""What a background job's run records, whatever the job: the target evaluation of a period
(associations.Evaluation) and the shortlist build of an award round (awards.ShortlistBuild).

A run is queued by a request, claimed by a worker, reports its progress in steps (the progress bar
reads it), and ends succeeded or failed with the error. Each concrete run adds the object it works
on and a database rule allowing one active run per object; `run_lock` keeps a second process from
computing the same object's run while the first is alive.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A run still "queued" or "running" after this long lost its worker; a new request may replace it.
STALE_AFTER = dt.timedelta(hours=2)


class JobRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    # The run's life, written with UPDATEs by primary key: autocommitted outside the job's writing
    # transaction, so the progress bar moves while it works, and a second delivery of the same task
    # (or a worker killed half-way) finds the row as the database has it, not as a process remembers it.

    @classmethod
    def expire_stale(cls, **parent: Any) -> int:
        """Mark failed the runs of `parent` that lost their worker long ago, so they block nothing."""
        now = timezone.now()
        return cls.objects.filter(status__in=cls.ACTIVE, created_at__lt=now - STALE_AFTER, **parent).update(
            status=cls.Status.FAILED, error="stale: no worker finished it", finished_at=now
        )

    @classmethod
    def claim(cls, pk: int) -> bool:
        """Take a queued (or interrupted) run; False when it finished already or never existed."""
        return bool(
            cls.objects.filter(pk=pk, status__in=cls.ACTIVE).update(
                status=cls.Status.RUNNING, started_at=timezone.now()
            )
        )

    def report_steps(self, *, done: int, total: int | None = None) -> None:
        fields: dict[str, int] = {"steps_done": done}
        if total is not None:
            fields["steps_total"] = total
        type(self).objects.filter(pk=self.pk).update(**fields)

    def succeed(self, **counters: int) -> None:
        # A finished run's record is final: a late second writer must not replace its counters.
        type(self).objects.filter(pk=self.pk).exclude(status=self.Status.SUCCEEDED).update(
            status=self.Status.SUCCEEDED, finished_at=timezone.now(), error="", **counters
        )

    def fail(self, exc: BaseException) -> int:
        """Record why the run failed (a refusal's own words, else the exception); 1 if this call did."""
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else f"{type(exc).__name__}: {exc}"
        return (
            type(self)
            .objects.filter(pk=self.pk, status__in=self.ACTIVE)
            .update(status=self.Status.FAILED, finished_at=timezone.now(), error=message[:2000])
        )


@contextmanager
def run_lock(job: str, key: int, *, wait: bool = False) -> Iterator[bool]:
    """Hold the lock of one job's runs on one object (the evaluation of period 7) for the block, and
    say whether this process holds it; `wait` waits for a holder to finish instead of yielding False.

    A claimed run stays "running" in the table, whether its worker is alive or was killed: the row
    cannot tell a second process to keep off. A PostgreSQL session-level advisory lock can: it is
    held across the run's many transactions, and the database drops it when the holder's connection
    ends, so a killed worker's run can be taken over at once while a live one is never computed
    twice. Elsewhere (SQLite for `make run`, one process) there is nobody to keep off: always held."""
    if connection.vendor != "postgresql":
        yield True
        return
    args = [zlib.crc32(job.encode()) - 2**31, key]  # (int4, int4): the job's namespace and the object
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s::int4, %s::int4)", args)
            held = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s::int4, %s::int4)", args)
            held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            # Explicitly: with a connection pool the session outlives this run.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s::int4, %s::int4)", args)
