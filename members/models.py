from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BIRTH_YEAR_MIN = 1900


class User(AbstractUser):
    """A login. Roles come from related records (KPMI roles, association officer, own member)."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Level(models.IntegerChoices):
    """The functional ladder (jenjang fungsional). Integers so that "at least a trainer" is a `>=`."""

    TRAINER_CANDIDATE = 1, _("Trainer candidate")
    TRAINER = 2, _("Trainer")
    MANAGER = 3, _("Manager")
    PIONEER = 4, _("Pioneer")


class Kecamatan(models.Model):
    """A district of Garut regency, keyed by its BPS code (reference data, loaded by migration)."""

    code = models.CharField(_("BPS code"), max_length=7, primary_key=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("district (kecamatan)")
        verbose_name_plural = _("districts (kecamatan)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Desa(models.Model):
    """A village (desa/kelurahan) of Garut regency, keyed by its BPS code."""

    code = models.CharField(_("BPS code"), max_length=10, primary_key=True)
    kecamatan = models.ForeignKey(Kecamatan, verbose_name=_("district"), on_delete=models.PROTECT, related_name="desa")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("village (desa)")
        verbose_name_plural = _("villages (desa)")
        ordering = ["kecamatan__name", "name"]
        constraints = [models.UniqueConstraint(fields=["kecamatan", "name"], name="desa_unique_name_in_kecamatan")]

    def __str__(self) -> str:
        return self.name


def kpmi_display_name(name: str) -> str:
    """ "Cikajang Digital" -> "KPMI Cikajang Digital"; "KPMI SMKN 1 Garut" and "kpmi …" stay as they are."""
    first = name.split(maxsplit=1)[0] if name.strip() else ""
    return name if first.casefold() == "kpmi" else f"KPMI {name}"


class Kpmi(models.Model):
    """A KPMI: a volunteer group in a district of Garut."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        DISSOLVED = "dissolved", _("Dissolved")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kecamatan = models.ForeignKey(
        Kecamatan, verbose_name=_("district"), on_delete=models.PROTECT, related_name="kpmi_set"
    )
    desa = models.ForeignKey(
        Desa, verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    founded_on = models.DateField(_("founding date"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ACTIVE)
    description = models.TextField(_("description"), blank=True)
    founded_from = models.ForeignKey(
        "self",
        verbose_name=_("founded from KPMI"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offshoots",
    )
    founded_by = models.ForeignKey(
        "Member",
        verbose_name=_("founding pioneer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpmi_founded",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("KPMI")
        verbose_name_plural = _("KPMI")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(founded_from=F("pk")), name="kpmi_not_founded_from_itself"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="kpmi_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="kpmi_longitude_range",
            ),
        ]
        indexes = [models.Index(fields=["kecamatan", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:kpmi_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The name with the word KPMI in front once, for running text ("Founded KPMI …"): most groups
        are named "KPMI <something>" already, and "KPMI KPMI SMKN 1 Garut" reads as a typo."""
        return kpmi_display_name(self.name)


class KpmiRoleQuerySet(models.QuerySet):
    def current(self) -> KpmiRoleQuerySet:
        """Roles not ended: the ones that let a user keep a KPMI. Ended roles stay as dated history."""
        return self.filter(until__isnull=True)


class KpmiRole(models.Model):
    """A user who keeps a KPMI's records: one of its managers, or a supervisor (pembina).

    Supervisors are usually teachers who mentor a school's KPMI; they need not be members. A role is
    ended by dating it (`until`), never deleted: who kept the group when is history (awards, audit).
    """

    class Role(models.TextChoices):
        MANAGER = "manager", _("KPMI manager")
        SUPERVISOR = "supervisor", _("Supervisor (pembina)")

    kpmi = models.ForeignKey(Kpmi, verbose_name=_("KPMI"), on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="kpmi_roles"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role)
    since = models.DateField(_("since"), null=True, blank=True)
    # The last day of the role; empty while it lasts. Never in the future (an end is recorded when it
    # happens), so "current" is simply "not ended".
    until = models.DateField(_("until"), null=True, blank=True)

    objects = KpmiRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("KPMI role")
        verbose_name_plural = _("KPMI roles")
        ordering = ["kpmi__name", "role"]
        constraints = [
            # One current role per person, group and kind; ended ones may repeat (served twice).
            models.UniqueConstraint(
                fields=["kpmi", "user", "role"], condition=Q(until__isnull=True), name="kpmirole_unique_current"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="kpmirole_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} {self.kpmi}"


class Member(models.Model):
    """A volunteer in one KPMI. `level` only changes through members.services, with a history row."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    kpmi = models.ForeignKey(Kpmi, verbose_name=_("KPMI"), on_delete=models.PROTECT, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender)
    # Empty only once the member is anonymised (kpmi_si.privacy); forms still require it.
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True)
    joined_on = models.DateField(_("join date"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level, default=Level.TRAINER_CANDIDATE)
    trained_by = models.ForeignKey(
        "self",
        verbose_name=_("trained by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainees",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the member left and their identity was removed (kpmi_si.privacy.services.member_anonymise):
    # the row stays so that the work, the level history and every count keep their subject.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="member_level_valid"),
            models.CheckConstraint(
                condition=Q(birth_year__gte=BIRTH_YEAR_MIN, birth_year__lte=2100),
                name="member_birth_year_plausible",
            ),
            models.CheckConstraint(condition=~Q(trained_by=F("pk")), name="member_not_trained_by_self"),
        ]
        indexes = [
            models.Index(fields=["kpmi", "level"]),
            models.Index(fields=["joined_on"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("members:member_detail", args=[self.pk])

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class LevelChange(models.Model):
    """One dated step in a member's ladder history: registration, promotion, or correction."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        PROMOTION = "promotion", _("Promotion")
        CORRECTION = "correction", _("Correction")

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="level_changes")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    from_level = models.PositiveSmallIntegerField(_("from level"), choices=Level, null=True, blank=True)
    to_level = models.PositiveSmallIntegerField(_("to level"), choices=Level)
    effective_on = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"))
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("level change")
        verbose_name_plural = _("level changes")
        ordering = ["effective_on", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="registration", from_level__isnull=True)
                | (~Q(kind="registration") & Q(from_level__isnull=False) & ~Q(from_level=F("to_level"))),
                name="levelchange_consistent_kind",
            ),
        ]
        indexes = [models.Index(fields=["to_level", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_from_level_display() or '—'} → {self.get_to_level_display()}"
