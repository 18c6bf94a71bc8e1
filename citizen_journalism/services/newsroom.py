"""Every change of an article: a writer saving or sending a version, an editor's decisions, the
scheduled publishing, and the link to the author's work counts. Each is one transaction that checks
who may act, asks `states.move` for the next state, and writes an audit row (who, when, old -> new)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log
from kpmi_si.concurrency import record_version
from members.models import Desa
from programs import services as program_services
from programs.models import Activity, Kind
from programs.models import Status as WorkStatus

from .. import permissions, states
from ..models import (
    BODY_MAX,
    TAG_MAX,
    TAGS_MAX,
    Action,
    Article,
    ArticleNote,
    ArticleRevision,
    State,
    Tag,
    article_slug,
)
from ..rendering import render_markdown
from .photos import PhotoUpload, check_photos, files_removed_on_error, store_photos

log = logging.getLogger(__name__)

REVISION_FIELDS = ("title", "lead", "body", "category", "kecamatan", "desa", "tags", "note")
NOTE_MAX = 4000
# How far ahead an editor may schedule: a date years away is a typing slip.
SCHEDULE_MAX_DAYS = 366


def parse_tags(raw: str) -> tuple[str, list[str]]:
    """("a, b", ["a", "b"]) from what the writer typed: commas between tags, duplicates dropped."""
    seen: dict[str, str] = {}
    for part in (raw or "").split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    names = list(seen.values())
    return ", ".join(names), names


def _tag_errors(names: list[str]) -> list[str]:
    errors = []
    if len(names) > TAGS_MAX:
        errors.append(_("Use at most %(n)s tags.") % {"n": TAGS_MAX})
    if any(len(name) > TAG_MAX for name in names):
        errors.append(_("A tag may have at most %(n)s characters.") % {"n": TAG_MAX})
    return errors


def _audit(*, actor: Any, article: Article, action: str, old: str, note: str = "", **extra: list[Any]) -> None:
    changes: dict[str, list[Any]] = {"state": [old, article.state], **extra}
    audit_log(actor=actor, action=f"article.{action}", target=article, changes=changes, note=note)


def _locked(article: Article) -> Article:
    """The stored article, locked: two editors deciding at once are applied one after the other."""
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("author__kpmi", "latest_revision", "published_revision")
        .get(pk=article.pk)
    )


def _build_revision(*, actor: Any, article: Article, data: dict[str, Any], number: int) -> ArticleRevision:
    tags, names = parse_tags(str(data.get("tags") or ""))
    revision = ArticleRevision(
        article=article,
        number=number,
        title=str(data.get("title") or "").strip(),
        lead=str(data.get("lead") or "").strip(),
        body=str(data.get("body") or "").strip(),
        category=data.get("category"),
        kecamatan=data.get("kecamatan"),
        desa=data.get("desa"),
        tags=tags,
        note=str(data.get("note") or "").strip(),
        created_by=actor,
    )
    errors: dict[str, list[str]] = {}
    if len(revision.body) > BODY_MAX:
        # Checked before rendering: no time spent on a body that will be refused anyway.
        errors["body"] = [
            _("The text is too long: at most %(max)s characters, this one has %(n)s.")
            % {"max": f"{BODY_MAX:,}".replace(",", "."), "n": f"{len(revision.body):,}".replace(",", ".")}
        ]
    else:
        revision.body_html = render_markdown(revision.body)
    try:
        revision.full_clean(exclude=["article", "created_by", "body_html", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if not errors.get("body") and revision.body and not revision.body_html.strip():
        errors["body"] = [_("Write the text of the article.")]
    desa: Desa | None = revision.desa
    if desa is not None and revision.kecamatan_id and desa.kecamatan_id != revision.kecamatan_id:
        errors.setdefault("desa", []).append(_("This village is not in the chosen district."))
    if tag_errors := _tag_errors(names):
        errors.setdefault("tags", []).extend(tag_errors)
    if errors:
        raise ValidationError(errors)
    return revision


@transaction.atomic
def article_write(
    *,
    actor: Any,
    data: dict[str, Any],
    submit: bool,
    article: Article | None = None,
    photos: Sequence[PhotoUpload] = (),
    version: str | None = None,
) -> Article:
    """A writer saves a new version of their article: a new article (a draft, or sent at once), a draft
    or an answer to the editors' request (saved or sent again), or a correction of a published one,
    which goes to the editors while readers keep seeing the published version."""
    member = permissions.writer_member(actor)
    if member is None:
        raise PermissionDenied
    if article is None:
        article = Article(author=member, state=State.DRAFT)
        old_state, number = "", 1
    else:
        article = _locked(article)
        if article.author_id != member.pk:
            raise PermissionDenied
        if version is not None and version != record_version(article):
            raise ValidationError(
                _("This article was changed since you opened it. Open it again to see the latest version.")
            )
        old_state = article.state
        number = (article.latest_revision.number if article.latest_revision else 0) + 1
    # On a published article every save is a correction for the editors: no half-way public state.
    action = (
        Action.SUBMIT_CORRECTION if article.state == State.PUBLISHED else (Action.SUBMIT if submit else Action.SAVE)
    )
    if article.pk is not None and not states.allowed(article.state, action):
        states.move(article.state, action)  # raises the message saying where the article is
    errors: dict[str, list[str]] = {}
    try:
        revision = _build_revision(actor=actor, article=article, data=data, number=number)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if action == Action.SUBMIT_CORRECTION and not str(data.get("note") or "").strip():
        errors.setdefault("note", []).append(_("Say what the correction changes: readers will see it."))
    already = article.photos.count() if article.pk else 0
    for field, messages in check_photos(photos, already=already).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    article.state = states.move(article.state, action)
    with files_removed_on_error() as written:
        article.save()
        revision.article = article
        revision.submitted = action != Action.SAVE
        revision.save()
        article.latest_revision = revision
        article.save(update_fields=["latest_revision", "state", "updated_at"])
        store_photos(actor=actor, article=article, revision=revision, photos=photos, written=written)
        _audit(
            actor=actor,
            article=article,
            action=str(action),
            old=old_state,
            version=[number - 1 or None, number],
            photos=[already, already + len(photos)] if photos else [already, already],
        )
    return article


def _editor_article(*, actor: Any, article: Article, action: str) -> Article:
    stored = _locked(article)
    if permissions.is_author(actor, stored):
        raise ValidationError(_("You wrote this article: another editor must decide on it."), code="own_article")
    if not permissions.can_review(actor, stored):
        raise PermissionDenied
    states.move(stored.state, action)  # refuses a move the article no longer allows
    return stored


def _note(*, actor: Any, article: Article, kind: str, text: str) -> ArticleNote:
    note = ArticleNote(article=article, revision=article.latest_revision, kind=kind, text=text, created_by=actor)
    note.full_clean(exclude=["created_by"])
    note.save()
    return note


def _required_text(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > NOTE_MAX:
        raise ValidationError({field: _("Keep it under %(n)s characters.") % {"n": NOTE_MAX}})
    return text


@transaction.atomic
def article_request_changes(*, actor: Any, article: Article, comment: str) -> Article:
    """An editor sends the article back to its writer with what to change."""
    comment = _required_text(comment, "comment", _("Say what the writer should change."))
    stored = _editor_article(actor=actor, article=article, action=Action.REQUEST_CHANGES)
    old = stored.state
    stored.state = states.move(stored.state, Action.REQUEST_CHANGES)
    stored.save(update_fields=["state", "updated_at"])
    _note(actor=actor, article=stored, kind=ArticleNote.Kind.CHANGES_REQUESTED, text=comment)
    _audit(actor=actor, article=stored, action="request_changes", old=old, note=comment)
    return stored


@transaction.atomic
def article_reject(*, actor: Any, article: Article, reason: str) -> Article:
    """An editor turns the article down for good, saying why."""
    reason = _required_text(reason, "reason", _("Say why the article is rejected."))
    stored = _editor_article(actor=actor, article=article, action=Action.REJECT)
    old = stored.state
    stored.state = states.move(stored.state, Action.REJECT)
    stored.rejection_reason, stored.publish_at = reason, None
    stored.save(update_fields=["state", "rejection_reason", "publish_at", "updated_at"])
    _note(actor=actor, article=stored, kind=ArticleNote.Kind.REJECTED, text=reason)
    _audit(actor=actor, article=stored, action="reject", old=old, note=reason)
    return stored


@transaction.atomic
def article_approve(
    *, actor: Any, article: Article, publish_at: dt.datetime | None = None, now: dt.datetime | None = None
) -> Article:
    """An editor approves the latest version: published now, or at `publish_at` by the scheduler."""
    now = now or timezone.now()
    if publish_at is not None and publish_at > now + dt.timedelta(days=SCHEDULE_MAX_DAYS):
        raise ValidationError({"publish_at": _("Schedule it within a year.")})
    stored = _editor_article(actor=actor, article=article, action=Action.APPROVE)
    old = stored.state
    stored.state = states.move(stored.state, Action.APPROVE)
    stored.publish_at = publish_at if publish_at is not None and publish_at > now else now
    stored.approved_by = actor
    stored.save(update_fields=["state", "publish_at", "approved_by", "updated_at"])
    _note(actor=actor, article=stored, kind=ArticleNote.Kind.APPROVED, text="")
    _audit(actor=actor, article=stored, action="approve", old=old, publish_at=[None, stored.publish_at.isoformat()])
    if stored.publish_at <= now:
        _publish(actor=actor, article=stored, now=now)
    return stored


def public_url(article: Article) -> str:
    return f"{settings.SITE_URL}{article.get_absolute_url()}"


def _copy_public(article: Article, revision: ArticleRevision) -> None:
    article.published_revision = revision
    for name in ("title", "lead", "body", "body_html", "category", "kecamatan", "desa"):
        setattr(article, name, getattr(revision, name))
    article.slug = article_slug(revision.title)
    tags = [Tag.objects.get_or_create(name=name)[0] for name in revision.tag_list]
    article.tags.set(tags)


def _index_for_search(article: Article) -> None:
    if connection.vendor != "postgresql":
        return
    Article.objects.filter(pk=article.pk).update(
        search_document=SearchVector("title", weight="A", config="indonesian")
        + SearchVector("lead", weight="B", config="indonesian")
        + SearchVector("body", weight="C", config="indonesian")
    )


def _publish(*, actor: Any, article: Article, now: dt.datetime) -> None:
    """SCHEDULED -> PUBLISHED: the latest version becomes the public copy; the first time, the article
    becomes a publication of its author in the work counts (unless already linked to one)."""
    old = article.state
    article.state = states.move(article.state, Action.PUBLISH)
    _copy_public(article, article.latest_revision)
    article.published_at = now
    first = article.first_published_at is None
    if first:
        article.first_published_at = now
    article.save()
    _index_for_search(article)
    if first and article.activity_id is None:
        revision = article.published_revision
        article.activity = program_services.publication_record(
            actor=actor,
            member=article.author,
            title=revision.title,
            date=timezone.localdate(now),
            kecamatan=revision.kecamatan,
            desa=revision.desa,
            link=public_url(article),
            summary=revision.lead,
        )
        article.save(update_fields=["activity", "updated_at"])
    _audit(
        actor=actor,
        article=article,
        action="publish",
        old=old,
        version=[None, article.published_revision.number],
        activity=[None, article.activity_id] if first else [article.activity_id, article.activity_id],
    )


@transaction.atomic
def article_publish_scheduled(*, article_id: int, now: dt.datetime | None = None) -> bool:
    """Publish one scheduled article that is due. Claims the row with a lock it does not wait for, and
    re-reads its state under the lock: a second run, or a run after a killed one, finds it published
    already and does nothing. True when this call published it."""
    now = now or timezone.now()
    article = (
        Article.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("author__kpmi", "latest_revision", "approved_by")
        .filter(pk=article_id, state=State.SCHEDULED, publish_at__lte=now)
        .first()
    )
    if article is None:
        return False
    _publish(actor=article.approved_by, article=article, now=now)
    return True


def articles_publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish every scheduled article that is due, each in its own transaction: one that fails (its
    period closed in the meantime...) is logged and left scheduled, the others still go out."""
    now = now or timezone.now()
    due = list(
        Article.objects.filter(state=State.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at", "pk")
        .values_list("pk", flat=True)
    )
    published = 0
    for pk in due:
        try:
            published += article_publish_scheduled(article_id=pk, now=now)
        except ValidationError:
            log.exception("Scheduled article %s could not be published", pk)
    return published


@transaction.atomic
def correction_approve(*, actor: Any, article: Article, note: str, now: dt.datetime | None = None) -> Article:
    """An editor approves a correction: the corrected version goes public with a correction note.
    It is the same publication: no second one in the counts."""
    note = _required_text(note, "correction_note", _("Write the correction note readers will see."))
    now = now or timezone.now()
    stored = _editor_article(actor=actor, article=article, action=Action.APPROVE_CORRECTION)
    old = stored.state
    old_version = stored.published_revision.number
    stored.state = states.move(stored.state, Action.APPROVE_CORRECTION)
    _copy_public(stored, stored.latest_revision)
    stored.correction_note, stored.corrected_at, stored.published_at = note, now, now
    stored.save()
    _index_for_search(stored)
    _note(actor=actor, article=stored, kind=ArticleNote.Kind.CORRECTION_APPROVED, text=note)
    _audit(
        actor=actor,
        article=stored,
        action="approve_correction",
        old=old,
        note=note,
        version=[old_version, stored.published_revision.number],
    )
    return stored


@transaction.atomic
def correction_decline(*, actor: Any, article: Article, reason: str) -> Article:
    """An editor declines a correction: the published version stays; the writer may send another."""
    reason = _required_text(reason, "reason", _("Say why the correction is declined."))
    stored = _editor_article(actor=actor, article=article, action=Action.DECLINE_CORRECTION)
    old = stored.state
    stored.state = states.move(stored.state, Action.DECLINE_CORRECTION)
    stored.save(update_fields=["state", "updated_at"])
    _note(actor=actor, article=stored, kind=ArticleNote.Kind.CORRECTION_DECLINED, text=reason)
    _audit(actor=actor, article=stored, action="decline_correction", old=old, note=reason)
    return stored


def linkable_activities(article: Article):
    """The author's own publications logged by hand that this article may stand for."""
    return (
        Activity.objects.filter(kind=Kind.PUBLICATION, credits__member=article.author_id, article__isnull=True)
        .exclude(status=WorkStatus.REJECTED)
        .order_by("-date", "-pk")
    )


@transaction.atomic
def article_link_activity(*, actor: Any, article: Article, activity: Activity) -> Article:
    """The author logged this publication by hand already: the article is that publication, and
    publishing it will not count it a second time. Before the first publication only: afterwards the
    article has its own record in the counts."""
    stored = _locked(article)
    if not (permissions.is_author(actor, stored) or permissions.can_review(actor, stored)):
        raise PermissionDenied
    if stored.first_published_at is not None or stored.activity_id is not None:
        raise ValidationError(
            {"activity": _("This article is counted already; its work record can no longer be changed.")}
        )
    if not linkable_activities(stored).filter(pk=activity.pk).exists():
        raise ValidationError({"activity": _("Pick one of the author's own publications.")})
    stored.activity = activity
    stored.save(update_fields=["activity", "updated_at"])
    audit_log(actor=actor, action="article.link_activity", target=stored, changes={"activity": [None, activity.pk]})
    return stored
