"""The newsroom's pages: writing, a writer's articles, one article's history and decisions, the
editors' queue. Each view: load with a permission check, validate a form, call one service, say what
happened, redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors, post_data

from .. import permissions, selectors, services
from ..forms import ApproveForm, ArticleForm, CommentForm, CorrectionApproveForm, LinkActivityForm, ReasonForm
from ..models import Article, State


def _writer(request: HttpRequest):
    member = permissions.writer_member(request.user)
    if member is None:
        raise PermissionDenied
    return member


def _own_article(request: HttpRequest, pk: int) -> Article:
    """The writer's own article; another writer's is not found (its existence is not theirs to know)."""
    member = _writer(request)
    article = Article.objects.select_related("latest_revision", "author").filter(pk=pk, author=member).first()
    if article is None:
        raise Http404
    return article


def _article_for_newsroom(request: HttpRequest, pk: int) -> Article:
    try:
        article = selectors.newsroom_article(pk=pk)
    except Article.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_newsroom_article(request.user, article):
        raise Http404
    return article


def _saved_message(article: Article) -> str:
    if article.state == State.DRAFT or article.state == State.CHANGES_REQUESTED:
        return _("The draft was saved as version %(n)s. Nothing is sent until you press “Send to the editors”.")
    if article.state == State.CORRECTION_SUBMITTED:
        return _("The correction was sent to the editors. Readers see the published version until it is approved.")
    return _("Version %(n)s was sent to the editors.")


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    form = ArticleForm(post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            article, created = create_once(
                request,
                form,
                scope="citizen_journalism.article",
                create=lambda: services.article_write(
                    actor=request.user,
                    data=form.service_data(),
                    submit=request.POST.get("action") == "submit",
                    photos=form.photos(),
                ),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _saved_message(article) % {"n": 1})
            return redirect(article.get_manage_url())
    return render(request, "citizen_journalism/article_form.html", {"form": form, "article": None})


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _own_article(request, pk)
    if article.state not in State.WRITABLE:
        messages.error(request, _("This article is with the editors or closed: it cannot be changed now."))
        return redirect(article.get_manage_url())
    form = ArticleForm(
        post_data(request), request.FILES or None, article=article, initial=ArticleForm.initial_from(article)
    )
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_write(
                actor=request.user,
                article=article,
                data=form.service_data(),
                submit=request.POST.get("action") == "submit",
                photos=form.photos(),
                version=form.loaded_version,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _saved_message(article) % {"n": article.latest_revision.number})
            return redirect(article.get_manage_url())
    return render(request, "citizen_journalism/article_form.html", {"form": form, "article": article})


@login_required
@require_GET
def my_articles(request: HttpRequest) -> HttpResponse:
    member = _writer(request)
    page = Paginator(selectors.writer_articles(member_id=member.pk), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "citizen_journalism/my_articles.html", {"page_obj": page, "member": member})


@login_required
@require_GET
def article_manage(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_for_newsroom(request, pk)
    user = request.user
    reviewer = permissions.can_review(user, article)
    is_author = permissions.is_author(user, article)
    can_link = (is_author or reviewer) and article.first_published_at is None and article.activity_id is None
    context: dict[str, Any] = {
        "article": article,
        "is_author": is_author,
        "reviewer": reviewer,
        "own_as_editor": is_author and permissions.is_editor(user),
        "writable": is_author and article.state in State.WRITABLE,
        "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
        "approve_form": ApproveForm(),
        "correction_form": CorrectionApproveForm(initial={"correction_note": article.latest_revision.note}),
        "link_form": LinkActivityForm(activities=services.linkable_activities(article)) if can_link else None,
    }
    return render(request, "citizen_journalism/article_manage.html", context)


@login_required
@require_GET
def editor_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.is_editor(request.user):
        raise PermissionDenied
    page = Paginator(selectors.editor_queue(user=request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "citizen_journalism/queue.html", {"page_obj": page})


def _decision(
    request: HttpRequest,
    pk: int,
    form_class: type,
    run: Callable[[Article, dict[str, Any]], Article],
    done: str,
) -> HttpResponse:
    """An editor's decision on an article: the form is small, so a problem comes back as a message on
    the article's page, where the editor was."""
    article = _article_for_newsroom(request, pk)
    if not (permissions.can_review(request.user, article) or permissions.is_author(request.user, article)):
        raise PermissionDenied
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(article.get_manage_url())
    try:
        run(article, form.cleaned_data)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(article.get_manage_url())


@login_required
@require_POST
def article_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(
        request,
        pk,
        CommentForm,
        lambda a, d: services.article_request_changes(actor=request.user, article=a, comment=d["comment"]),
        _("The article went back to its writer with your comments."),
    )


@login_required
@require_POST
def article_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(
        request,
        pk,
        ApproveForm,
        lambda a, d: services.article_approve(actor=request.user, article=a, publish_at=d.get("publish_at")),
        _("The article was approved. It is public from the time you chose (now if none)."),
    )


@login_required
@require_POST
def article_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(
        request,
        pk,
        ReasonForm,
        lambda a, d: services.article_reject(actor=request.user, article=a, reason=d["reason"]),
        _("The article was rejected."),
    )


@login_required
@require_POST
def correction_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(
        request,
        pk,
        CorrectionApproveForm,
        lambda a, d: services.correction_approve(actor=request.user, article=a, note=d["correction_note"]),
        _("The correction is public, with its note."),
    )


@login_required
@require_POST
def correction_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(
        request,
        pk,
        ReasonForm,
        lambda a, d: services.correction_decline(actor=request.user, article=a, reason=d["reason"]),
        _("The correction was declined; the published version stays."),
    )


@login_required
@require_POST
def article_link_activity(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_for_newsroom(request, pk)
    if not (permissions.can_review(request.user, article) or permissions.is_author(request.user, article)):
        raise PermissionDenied

    class _Form(LinkActivityForm):
        def __init__(self, data: Any) -> None:
            super().__init__(data, activities=services.linkable_activities(article))

    return _decision(
        request,
        pk,
        _Form,
        lambda a, d: services.article_link_activity(actor=request.user, article=a, activity=d["activity"]),
        _("The article now stands for that publication: it will not be counted twice."),
    )
