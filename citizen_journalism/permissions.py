"""Who may do what in the newsroom, in one place; views call these and services call them again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from members.models import Member
from members.permissions import is_komtik_admin

if TYPE_CHECKING:
    from .models import Article

WHOLE_SITE = None


def writer_member(user: Any) -> Member | None:
    """The member record a user writes as: any member with a login may write."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    member = getattr(user, "member", None)
    return member if member is not None and member.anonymised_at is None else None


def can_write(user: Any) -> bool:
    return writer_member(user) is not None


def editor_scope(user: Any) -> frozenset[str] | None | bool:
    """The kecamatan codes a user edits for: None for the whole regency (an editor without districts,
    or the KOMTIK admin), a set of codes, or False for someone who is no editor. Cached on the user."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_editor_scope"):
        from .models import EditorRole

        if is_komtik_admin(user):
            scope: frozenset[str] | None | bool = WHOLE_SITE
        else:
            role = EditorRole.objects.filter(user=user).prefetch_related("kecamatan").first()
            if role is None:
                scope = False
            else:
                codes = frozenset(k.code for k in role.kecamatan.all())
                scope = codes or WHOLE_SITE
        user._editor_scope = scope
    return user._editor_scope


def is_editor(user: Any) -> bool:
    return editor_scope(user) is not False


def covers(user: Any, kecamatan_id: str | None) -> bool:
    scope = editor_scope(user)
    if scope is False:
        return False
    return scope is WHOLE_SITE or kecamatan_id in scope


def is_author(user: Any, article: Article) -> bool:
    member = writer_member(user)
    return member is not None and member.pk == article.author_id


def can_review(user: Any, article: Article) -> bool:
    """An editor whose districts include the article's (its latest version's) may review it. Never
    the author: nobody approves their own article, editor or not."""
    if is_author(user, article):
        return False
    latest = article.latest_revision
    return latest is not None and covers(user, latest.kecamatan_id)


def can_view_newsroom_article(user: Any, article: Article) -> bool:
    """The writer's and editors' page of an article (versions, notes, decisions)."""
    if is_author(user, article):
        return True
    latest = article.latest_revision
    return latest is not None and covers(user, latest.kecamatan_id)


# --- the content market (#13: sales, shares, statements, payouts) ---------------------------------------

ENTREPRENEURS = "entrepreneurs"  # associations.Association.Code.ENTREPRENEURS, without importing upward


def can_manage_sales(user: Any) -> bool:
    """Register buyers, record and cancel sales, set the shares, record payouts: the Entrepreneurs
    association's officers, who run the content market, and the KOMTIK admin."""
    from members.permissions import is_officer

    return is_komtik_admin(user) or is_officer(user, ENTREPRENEURS)


def can_view_statement(user: Any, author: Member) -> bool:
    """An author's earnings statement: the author and those who run the market."""
    member = writer_member(user)
    return (member is not None and member.pk == author.pk) or can_manage_sales(user)
