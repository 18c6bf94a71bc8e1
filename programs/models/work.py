"""Work that managers log: publications, ICT education, ICT deployments and trainings.

One `Activity` row per piece of work, whatever its kind, holds what every kind shares (date, place,
status, who logged it) and a one-to-one detail row holds what only that kind has.

Counting and listing never need the detail tables. Two narrow tables repeat the activity's kind,
date and status so that each question is answered from one index, without joins or DISTINCT
(targets count at a million activities):
- `ActivityCredit`: one row per credited member -> a member's work;
- `ActivityKpmi`: one row per group taking part (the group that logged it and the group of every
  credited member) -> a group's work, and who sees the record.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Desa, Kecamatan, Kpmi, Member

# Only web links: a "link" that is javascript:, file: or ftp: is no evidence anyone can open.
http_url = URLValidator(schemes=["http", "https"], message=_("Enter a link that starts with http:// or https://."))


class Kind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    EDUCATION = "education", _("ICT education")
    DEPLOYMENT = "deployment", _("ICT deployment")
    TRAINING = "training", _("Training")


class Status(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Activity(models.Model):
    """A piece of logged work. `kpmi` is the group that logged it and whose keepers may change it;
    the groups that *see* it are that one and the groups of every credited member."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    # No single-column indexes where a composite index below starts with the column already.
    kpmi = models.ForeignKey(
        Kpmi, verbose_name=_("logged for KPMI"), on_delete=models.PROTECT, related_name="activities", db_index=False
    )
    title = models.CharField(_("title or topic"), max_length=200)
    date = models.DateField(_("date"))
    kecamatan = models.ForeignKey(
        Kecamatan, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    desa = models.ForeignKey(
        Desa, verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True, validators=[http_url])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="activity_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="activity_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=Status.REJECTED) | ~Q(rejection_reason=""), name="activity_rejection_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["kpmi", "date"], name="activity_kpmi_date"),
            # Every group's work, newest first (officers' list), and counts per kind or district.
            models.Index(fields=["date", "id"], name="activity_date"),
            models.Index(fields=["kind", "date"], name="activity_kind_date"),
            # The regency's approved work of one kind per month (the dashboards' trend), from the index alone.
            models.Index(fields=["kind", "date"], condition=Q(status=Status.APPROVED), name="activity_counted_kind"),
            models.Index(fields=["kecamatan", "date"], name="activity_kecamatan_date"),
            # The approval queue of a group: small, so a partial index keeps it cheap to find.
            models.Index(fields=["kpmi"], condition=Q(status=Status.PENDING), name="activity_pending_kpmi"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("programs:activity_detail", args=[self.pk])

    @property
    def detail(self) -> models.Model | None:
        """The kind's own row (Publication, EducationSession, Deployment or Training)."""
        return getattr(self, DETAIL_MODELS[self.kind]._meta.model_name, None)

    @property
    def counts(self) -> bool:
        return self.status == Status.APPROVED


class Publication(models.Model):
    """Terbitan informasi lingkungan: local-information content."""

    class Channel(models.TextChoices):
        WEBSITE = "website", _("Website")
        SOCIAL_MEDIA = "social", _("Social media")
        NEWS_PORTAL = "news", _("Online news portal")
        VIDEO = "video", _("Video channel")
        BULLETIN = "bulletin", _("Printed bulletin")
        NOTICE_BOARD = "board", _("Notice board")
        RADIO = "radio", _("Radio")
        OTHER = "other", _("Other")

    # Content on these channels lives at an address; a bulletin or a radio broadcast may not.
    ONLINE_CHANNELS = frozenset({Channel.WEBSITE, Channel.SOCIAL_MEDIA, Channel.NEWS_PORTAL, Channel.VIDEO})

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, primary_key=True, related_name="publication")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel)
    link = models.URLField(_("link"), max_length=500, blank=True, validators=[http_url])

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return str(self.activity)


class EducationSession(models.Model):
    """Edukasi TIK: a lesson given to people of the neighbourhood."""

    class Audience(models.TextChoices):
        STUDENTS = "students", _("Students")
        TEACHERS = "teachers", _("Teachers")
        FARMERS = "farmers", _("Farmers")
        VILLAGE_OFFICIALS = "officials", _("Village officials")
        WOMEN = "women", _("Women's groups (PKK)")
        YOUTH = "youth", _("Youth (karang taruna)")
        BUSINESS = "business", _("Small business owners (UMKM)")
        GENERAL = "general", _("General public")
        OTHER = "other", _("Other")

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="educationsession"
    )
    venue = models.CharField(_("venue"), max_length=150)
    participants = models.PositiveIntegerField(_("number of participants"), validators=[MinValueValidator(1)])
    audience = models.CharField(_("audience"), max_length=16, choices=Audience)

    class Meta:
        verbose_name = _("ICT education session")
        verbose_name_plural = _("ICT education sessions")
        constraints = [models.CheckConstraint(condition=Q(participants__gte=1), name="education_has_participants")]

    def __str__(self) -> str:
        return str(self.activity)


class Deployment(models.Model):
    """Penerapan TIK: an installation at a site, finished on the activity's date."""

    class DeploymentKind(models.TextChoices):
        NETWORK = "network", _("Computer network")
        WEBSITE = "website", _("Website")
        COMPUTER_LAB = "lab", _("Computer lab")
        INTERNET = "internet", _("Internet access")
        APPLICATION = "application", _("Application")
        HARDWARE = "hardware", _("Computers and devices")
        OTHER = "other", _("Other")

    class SiteType(models.TextChoices):
        SCHOOL = "school", _("School")
        VILLAGE_OFFICE = "village_office", _("Village office")
        COMMUNITY_CENTRE = "community", _("Community centre")
        RELIGIOUS = "religious", _("Mosque or pesantren")
        HEALTH = "health", _("Health post (posyandu, puskesmas)")
        BUSINESS = "business", _("Small business")
        OTHER = "other", _("Other")

    class OperationalStatus(models.TextChoices):
        IN_USE = "in_use", _("In use")
        NEEDS_MAINTENANCE = "maintenance", _("Needs maintenance")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, primary_key=True, related_name="deployment")
    deployment_kind = models.CharField(_("what was deployed"), max_length=16, choices=DeploymentKind)
    site_type = models.CharField(_("site"), max_length=16, choices=SiteType)
    site_name = models.CharField(_("site name"), max_length=150)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), validators=[MinValueValidator(1)])
    operational_status = models.CharField(
        _("status"), max_length=16, choices=OperationalStatus, default=OperationalStatus.IN_USE
    )

    class Meta:
        verbose_name = _("ICT deployment")
        verbose_name_plural = _("ICT deployments")
        constraints = [models.CheckConstraint(condition=Q(beneficiaries__gte=1), name="deployment_has_beneficiaries")]

    def __str__(self) -> str:
        return str(self.activity)


class Training(models.Model):
    """Pelatihan: credited trainers train trainer candidates or new members of the logging KPMI.
    The trainees are recorded so that "who trained whom" follows from the work itself."""

    class TraineeGroup(models.TextChoices):
        TRAINER_CANDIDATES = "candidates", _("Trainer candidates")
        NEW_MEMBERS = "new_members", _("New members")

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, primary_key=True, related_name="training")
    venue = models.CharField(_("venue"), max_length=150)
    trainee_group = models.CharField(_("trainees are"), max_length=16, choices=TraineeGroup)
    trainees = models.ManyToManyField(Member, verbose_name=_("trainees"), related_name="trainings_attended")

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return str(self.activity)


DETAIL_MODELS: dict[str, type[models.Model]] = {
    Kind.PUBLICATION: Publication,
    Kind.EDUCATION: EducationSession,
    Kind.DEPLOYMENT: Deployment,
    Kind.TRAINING: Training,
}
# The detail fields each kind's form and service handle (the trainees of a training are separate).
DETAIL_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.PUBLICATION: ("channel", "link"),
    Kind.EDUCATION: ("venue", "participants", "audience"),
    Kind.DEPLOYMENT: ("deployment_kind", "site_type", "site_name", "beneficiaries", "operational_status"),
    Kind.TRAINING: ("venue", "trainee_group"),
}
DETAIL_RELATED = tuple(model._meta.model_name for model in DETAIL_MODELS.values())


class ActivityCredit(models.Model):
    """One credited member of an activity: the unit a member's work is counted in.

    `kpmi` is the member's group when they were credited, so a later move does not rewrite which
    group did the work. `kind`, `date` and `status` copy the activity's (kept in step by
    programs.services) so the counting queries read this table and its indexes alone.
    """

    # Each column leads one of the composite indexes or the unique constraint below: no extra index.
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="credits", db_index=False
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="credits", db_index=False
    )
    kpmi = models.ForeignKey(
        Kpmi, verbose_name=_("KPMI"), on_delete=models.PROTECT, related_name="credits", db_index=False
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=Status)

    class Meta:
        verbose_name = _("activity credit")
        verbose_name_plural = _("activity credits")
        ordering = ["activity", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="credit_once_per_member"),
        ]
        indexes = [
            # A member's work, newest first; the work of a group's members one by one (per manager).
            models.Index(fields=["member", "date"], name="credit_member_date"),
            models.Index(fields=["kpmi", "date"], name="credit_kpmi_date"),
            # Counting: only approved work counts, per kind, over a date range.
            models.Index(
                fields=["member", "kind", "date"], condition=Q(status=Status.APPROVED), name="credit_counted_member"
            ),
            # Every member's count of one kind over a period (targets per manager): the member is a key
            # column so the count can be read from the index alone.
            models.Index(
                fields=["kind", "date", "member"], condition=Q(status=Status.APPROVED), name="credit_counted_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.activity}"


class ActivityKpmi(models.Model):
    """A group taking part in an activity: the group that logged it, and the group of each credited
    member (at the time). One row per group however many of its members share the work, so a
    group's work is listed and counted without DISTINCT. The group's keepers see the record.

    Kept in step with the activity and its credits by programs.services; never edited by hand.
    """

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="groups", db_index=False
    )
    kpmi = models.ForeignKey(
        Kpmi, verbose_name=_("KPMI"), on_delete=models.PROTECT, related_name="activity_links", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=Status)

    class Meta:
        verbose_name = _("KPMI taking part")
        verbose_name_plural = _("KPMI taking part")
        ordering = ["activity", "kpmi"]
        constraints = [models.UniqueConstraint(fields=["activity", "kpmi"], name="activitykpmi_once_per_kpmi")]
        indexes = [
            # "Our KPMI's work", newest first.
            models.Index(fields=["kpmi", "date"], name="activitykpmi_kpmi_date"),
            # Counting per group: approved only, per kind, over a date range.
            models.Index(
                fields=["kpmi", "kind", "date"], condition=Q(status=Status.APPROVED), name="activitykpmi_counted"
            ),
            # Every group's count of one kind over a period (awards to supervisors): read from the index
            # alone, as credit_counted_kind does for members.
            models.Index(
                fields=["kind", "date", "kpmi"], condition=Q(status=Status.APPROVED), name="activitykpmi_counted_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpmi} — {self.activity}"


def evidence_storage() -> Storage:
    """Where evidence files go: the STORAGES alias named by settings.EVIDENCE_STORAGE, so a
    deployment can point it at object storage without touching the code."""
    return storages[getattr(settings, "EVIDENCE_STORAGE", "default")]


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # A random name: nobody can guess another record's file, and two "IMG_0001.jpg" never collide.
    now = timezone.localtime()
    return f"evidence/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Evidence(models.Model):
    """A photo (up to three per activity) or one PDF. Served only through a permission-checked view."""

    class FileKind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        PDF = "pdf", _("PDF")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, storage=evidence_storage, max_length=255)
    file_kind = models.CharField(_("file type"), max_length=8, choices=FileKind)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return self.original_name
