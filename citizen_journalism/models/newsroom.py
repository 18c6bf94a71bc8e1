"""The newsroom: articles, their immutable revisions, editors' notes, categories, tags and editors.

What the public reads is the article's *public copy* (title, lead, body, category, place, tags), set
from one revision when an editor publishes it and left alone while a correction waits for review. What
a writer works on is the latest revision. The states and the moves between them are in `states.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Desa, Kecamatan, Member

from ..states import State

TITLE_MAX = 150
LEAD_MAX = 300
# A long feature is ~3,000 words (~20,000 characters); 40,000 leaves room and keeps a page light.
BODY_MAX = 40_000
TAGS_MAX = 8
TAG_MAX = 40


class Category(models.Model):
    """A rubric of the news site, kept by KOMTIK in the admin (a few are seeded by migration)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("citizen_journalism:category", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=TAG_MAX, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EditorRole(models.Model):
    """An editor of the news site, granted by the KOMTIK admin. With no kecamatan the editor covers the
    whole regency; otherwise only articles about those kecamatan."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="editor_role"
    )
    kecamatan = models.ManyToManyField(
        Kecamatan,
        verbose_name=_("districts"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for an editor of the whole regency."),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("editor")
        verbose_name_plural = _("editors")

    def __str__(self) -> str:
        return str(self.user)


class Article(models.Model):
    # Who wrote it: the byline. A member's article counts as their publication once published.
    author = models.ForeignKey(Member, verbose_name=_("author"), on_delete=models.PROTECT, related_name="articles")
    state = models.CharField(_("state"), max_length=24, choices=State, default=State.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    latest_revision = models.ForeignKey(
        "ArticleRevision",
        verbose_name=_("latest version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # When an editor approved it to appear later (state SCHEDULED), and who.
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    # --- the public copy: what readers see, set only when an editor publishes a revision -----------------
    published_revision = models.ForeignKey(
        "ArticleRevision",
        verbose_name=_("published version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=TITLE_MAX, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, blank=True, allow_unicode=False)
    lead = models.TextField(_("lead"), max_length=LEAD_MAX, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    body_html = models.TextField(_("body (sanitised HTML)"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    kecamatan = models.ForeignKey(
        Kecamatan, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    desa = models.ForeignKey(
        Desa, verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    first_published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    published_at = models.DateTimeField(_("last published at"), null=True, blank=True)
    correction_note = models.TextField(_("correction note"), blank=True)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    # Kept by the services on PostgreSQL only (a GIN index, added by a migration there); SQLite searches
    # with a plain match instead.
    search_document = SearchVectorField(null=True, editable=False)

    # The author's publication in the work counts (programs.Activity), made or linked once.
    activity = models.OneToOneField(
        "programs.Activity",
        verbose_name=_("counted as work"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="article",
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="article_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=State.REJECTED) | ~Q(rejection_reason=""), name="article_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state=State.SCHEDULED) | Q(publish_at__isnull=False), name="article_scheduled_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=State.PUBLIC) | Q(published_revision__isnull=False),
                name="article_public_has_revision",
            ),
        ]
        indexes = [
            # The front page, a category page, a district page, an author page: public ones, newest first.
            models.Index(
                fields=["-published_at", "-id"], condition=Q(state__in=State.PUBLIC), name="article_public_newest"
            ),
            models.Index(
                fields=["category", "-published_at"], condition=Q(state__in=State.PUBLIC), name="article_public_cat"
            ),
            models.Index(
                fields=["kecamatan", "-published_at"], condition=Q(state__in=State.PUBLIC), name="article_public_kec"
            ),
            models.Index(fields=["author", "-published_at"], name="article_author_newest"),
            # The scheduled-publishing job reads only the few scheduled ones.
            models.Index(fields=["publish_at"], condition=Q(state=State.SCHEDULED), name="article_scheduled_due"),
            models.Index(fields=["state"], name="article_state"),
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        latest = self.latest_revision
        return latest.title if latest is not None else f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("citizen_journalism:article", args=[self.pk, self.slug or "berita"])

    @property
    def is_public(self) -> bool:
        return self.state in State.PUBLIC

    def get_manage_url(self) -> str:
        return reverse("citizen_journalism:article_manage", args=[self.pk])


def article_slug(title: str) -> str:
    return slugify(title)[:80].strip("-") or "berita"


class ArticleRevision(models.Model):
    """One version a writer saved. Never changed once written: a writer sees every version they sent,
    and an editor's decision names the version it was about."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=TITLE_MAX)
    lead = models.TextField(_("lead"), max_length=LEAD_MAX)
    body = models.TextField(_("body (Markdown)"), max_length=BODY_MAX)
    body_html = models.TextField(_("body (sanitised HTML)"))
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    kecamatan = models.ForeignKey(Kecamatan, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey(
        Desa, verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tags = models.CharField(_("tags"), max_length=400, blank=True)
    note = models.TextField(_("note to the editor"), max_length=1000, blank=True)
    submitted = models.BooleanField(_("sent to the editors"), default=False)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_number_once")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("An article version is never changed; save a new one.")
        super().save(*args, **kwargs)

    @property
    def tag_list(self) -> list[str]:
        return [t for t in (part.strip() for part in self.tags.split(",")) if t]


class ArticleNote(models.Model):
    """What an editor said on a decision (changes asked, rejection, declined correction), or the
    public correction note they approved. Kept with the version it was about."""

    class Kind(models.TextChoices):
        CHANGES_REQUESTED = "changes", _("Changes requested")
        REJECTED = "rejected", _("Rejected")
        APPROVED = "approved", _("Approved")
        CORRECTION_APPROVED = "correction", _("Correction approved")
        CORRECTION_DECLINED = "declined", _("Correction declined")

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="notes")
    revision = models.ForeignKey(
        ArticleRevision, verbose_name=_("version"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    text = models.TextField(_("comment"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("editor's note")
        verbose_name_plural = _("editor's notes")
        ordering = ["article", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"
