"""Award pages. Public: the years, the winners of a year, certificates and their verification.
KOMTIK admin (kelola): rounds, categories, the shortlist job, the jury, the decision, publication.
Jury (juri): the finalists of one's categories, and one vote each.

Views follow one recipe: load through a permission-aware helper, validate a form, call one service,
add a message, redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kpmi_si.accounts.services import invitation_link
from kpmi_si.confirm import confirmation
from kpmi_si.idempotency.views import create_once
from members.forms import apply_service_errors, id_from, post_data
from programs.permissions import can_view_all_work

from . import permissions, selectors, services
from .certificates import render_certificate
from .filters import AwardFilter
from .forms import (
    CategoriesForm,
    CitationForm,
    DecisionForm,
    JuryMemberForm,
    RoundOpenForm,
    VerifyForm,
    VoteForm,
    specs_of,
)
from .models import Award, AwardCategory, AwardRound, Finalist, JuryMember, ShortlistBuild


def _admin_only(request: HttpRequest) -> None:
    if not permissions.can_manage_awards(request.user):
        raise PermissionDenied


def _round_or_403(request: HttpRequest, pk: int) -> AwardRound:
    _admin_only(request)
    return get_object_or_404(AwardRound, pk=pk)


def _service_error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- public ------------------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "awards/index.html",
        {
            "rounds": selectors.published_rounds(),
            "verify_form": VerifyForm(),
            "can_manage": permissions.can_manage_awards(request.user),
            "is_jury": request.user.is_authenticated and selectors.jury_seats(user=request.user).exists(),
        },
    )


@require_GET
def year(request: HttpRequest, year: int) -> HttpResponse:
    """The winners of a published year, per category, with their KPMI and district."""
    round = selectors.published_rounds().filter(year=year).first()
    if round is None:
        raise Http404
    return render(
        request,
        "awards/year.html",
        {
            "round": round,
            "awards": selectors.published_awards(round=round, filters=request.GET),
            "filter": AwardFilter(request.GET or None, queryset=Award.objects.none()),
            "rules": selectors.rules_of(selectors.categories_of(round=round)),
        },
    )


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """A form to type a certificate's code; a valid form goes to the code's own address."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = selectors.normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("awards:verify_code", code=code)
        form.add_error("code", _("Type the code printed on the certificate."))
    return render(request, "awards/verify.html", {"form": form})


def _code_not_found(request: HttpRequest, code: str) -> HttpResponse:
    # A clear page, with the status a wrong address has: not a server error.
    return render(request, "awards/verify_not_found.html", {"code": code, "form": VerifyForm()}, status=404)


@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    award = selectors.award_by_code(code)
    if award is None:
        return _code_not_found(request, code)
    # The form again below the result: someone checking a pile of certificates types the next code.
    return render(request, "awards/verify_result.html", {"award": award, "form": VerifyForm()})


def _pdf(request: HttpRequest, award: Award) -> HttpResponse:
    verify_url = request.build_absolute_uri(reverse("awards:verify_code", args=[award.code_display]))
    response = HttpResponse(render_certificate(award, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="piagam-{award.round.year}-{award.code}.pdf"'
    return response


@require_GET
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate of a published award, by its code (the code is the key: unguessable)."""
    award = selectors.award_by_code(code)
    if award is None:
        # The same clear page as a wrong code typed on the verification page (a mistyped or shared
        # certificate link lands here), not the site's generic "page not found".
        return _code_not_found(request, code)
    return _pdf(request, award)


# --- KOMTIK admin: rounds ----------------------------------------------------------------------------


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    return render(request, "awards/manage.html", {"rounds": selectors.rounds()})


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    form = RoundOpenForm(post_data(request), specs=services.DEFAULT_CATEGORIES)
    if request.method == "POST" and form.is_valid():
        try:
            round, created = create_once(
                request,
                form,
                scope="awards.award_round",
                create=lambda: services.award_round_open(
                    actor=request.user, year=form.cleaned_data["year"], categories=form.specs()
                ),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The round of %(year)s is open.") % {"year": round.year})
            return redirect(round)
    return render(request, "awards/round_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def round_categories(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_403(request, pk)
    form = CategoriesForm(post_data(request), specs=specs_of(round))
    if request.method == "POST" and form.is_valid():
        try:
            services.award_round_set_categories(actor=request.user, round=round, categories=form.specs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Categories saved."))
            return redirect(round)
    return render(request, "awards/categories_form.html", {"form": form, "round": round})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's state and next step, its shortlist (with the tally during and after the review),
    its jury and its audit trail."""
    round = _round_or_403(request, pk)
    in_review = round.review_started_at is not None  # the tally exists from the review on
    categories = selectors.round_shortlist(round=round, tally=in_review)
    return render(
        request,
        "awards/round_detail.html",
        {
            "round": round,
            "categories": categories,
            "tally": in_review,
            # A draft with finalists: the categories changed after a build.
            "outdated": round.status == AwardRound.Status.DRAFT and any(c.shortlist for c in categories),
            "build": selectors.latest_build(round=round),
            "jury": list(selectors.jury_of(round=round)),
            "awards": selectors.round_awards(round=round) if round.finalised_at else [],
            "rules": selectors.rules_of(categories),
            # Categories nobody reached, still undecided: one reason decides them all.
            "empty_undecided": selectors.undecided_without_finalists(categories),
            "trail": selectors.round_trail(round=round, categories=categories),
            "Status": AwardRound.Status,
        },
    )


@login_required
@require_POST
def shortlist_start(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_403(request, pk)
    try:
        services.shortlist_request(actor=request.user, round=round)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.info(request, _("The shortlist of %(round)s is being built.") % {"round": round})
    return redirect(round)


@login_required
@require_GET
def build_status(request: HttpRequest, pk: int) -> JsonResponse:
    _admin_only(request)
    build = get_object_or_404(ShortlistBuild, pk=pk)
    return JsonResponse(
        {
            "status": build.status,
            "label": build.get_status_display(),
            "percent": build.percent,
            "active": build.is_active,
            "error": build.error,
        }
    )


def _transition_view(
    request: HttpRequest, pk: int, service, success: str, confirm: dict[str, Any] | None = None
) -> HttpResponse:
    round = _round_or_403(request, pk)
    if confirm is not None:
        # Every step of a round is one way: its page says what will happen first (#14).
        page = confirmation(
            request,
            title=confirm["title"] % {"round": round},
            consequences=confirm["consequences"],
            button=confirm["button"],
            back=round.get_absolute_url(),
            danger=False,
        )
        if page is not None:
            return page
    try:
        service(actor=request.user, round=round)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, success % {"round": round})
    return redirect(round)


@login_required
@require_http_methods(["GET", "POST"])
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition_view(
        request,
        pk,
        services.award_round_start_review,
        _("The jury review of %(round)s has started."),
        confirm={
            "title": _("Lock the shortlist of %(round)s and start the jury review?"),
            "consequences": [
                _("The shortlist is locked: its finalists and their numbers no longer change."),
                _("The jury can start scoring the finalists of their categories."),
            ],
            "button": _("Lock the shortlist"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition_view(
        request,
        pk,
        services.award_round_finalise,
        _("%(round)s is finalised."),
        confirm={
            "title": _("Finalise the winners of %(round)s?"),
            "consequences": [
                _("The winners of every category are fixed and their certificates are issued."),
                _("The jury can no longer change scores."),
            ],
            "button": _("Finalise the winners"),
        },
    )


@login_required
@require_POST
def categories_decide_empty(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_403(request, pk)
    try:
        n = services.categories_decide_empty(actor=request.user, round=round, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("%(n)s categories without finalists are recorded with no winner.") % {"n": n})
    return redirect(round)


@login_required
@require_http_methods(["GET", "POST"])
def round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition_view(
        request,
        pk,
        services.award_round_publish,
        _("%(round)s is published."),
        confirm={
            "title": _("Publish the winners of %(round)s?"),
            "consequences": [
                _("The winners appear on the public awards page, and anyone can verify their certificates."),
                _("A published round cannot be taken back."),
            ],
            "button": pgettext("award round", "Publish"),
        },
    )


# --- KOMTIK admin: jury, decision, citations -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def jury_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's jury and the form that seats someone: an account by username, or a new person who
    gets their account and one-time code here (shown in this one answer only, never stored)."""
    round = _round_or_403(request, pk)
    form = JuryMemberForm(post_data(request), round=round)
    new_code = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["full_name"]:
                seat, new_code = services.jury_member_seat_new_person(
                    actor=request.user,
                    round=round,
                    full_name=data["full_name"],
                    email=data["email"],
                    categories=data["categories"],
                )
            else:
                seat = services.jury_member_set(
                    actor=request.user, round=round, user=form.user, categories=data["categories"]
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(user)s is on the jury.") % {"user": seat.user})
            if not new_code:
                return redirect("awards:jury_manage", pk=round.pk)
            form = JuryMemberForm(None, round=round)
    response = render(
        request,
        "awards/jury_manage.html",
        {
            "round": round,
            "form": form,
            "jury": selectors.jury_of(round=round),
            "new_code": new_code,
            "new_link": invitation_link(new_code) if new_code else "",
            "new_user": seat.user if new_code else None,
        },
    )
    if new_code:
        # A page that shows a one-time code is kept by no cache, the browser's included.
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def jury_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    seat = get_object_or_404(JuryMember.objects.select_related("round", "user"), pk=pk)
    try:
        services.jury_member_remove(actor=request.user, seat=seat)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("%(user)s is no longer on the jury.") % {"user": seat.user})
    return redirect("awards:jury_manage", pk=seat.round_id)


@login_required
@require_http_methods(["GET", "POST"])
def category_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The jury's tally of one category, and the admin's choice of its winners."""
    _admin_only(request)
    category = get_object_or_404(AwardCategory.objects.select_related("round"), pk=pk)
    tally = selectors.category_tally(category, with_votes=True)
    suggested = selectors.suggested_winner_ids(tally, category.winners_count)
    current = [f.pk for f in tally if f.is_winner]
    form = DecisionForm(
        post_data(request),
        category=category,
        tally=tally,
        initial={"winners": current if category.is_decided else suggested, "reason": category.decision_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.category_decide(
                actor=request.user,
                category=category,
                winners=form.cleaned_data["winners"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Winners of %(category)s saved.") % {"category": category.label})
            return redirect(category.round)
    chosen = {pk for raw in form["winners"].value() or [] if (pk := id_from(raw)) is not None}
    return render(
        request,
        "awards/decide.html",
        {
            "category": category,
            "round": category.round,
            "tally": tally,
            "suggested": suggested,
            "chosen": chosen,
            "form": form,
        },
    )


def _award_or_404(pk: int) -> Award:
    try:
        return selectors.award_detail(pk=pk)
    except Award.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def award_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    award = _award_or_404(pk)
    form = CitationForm(post_data(request), initial={"citation": award.citation})
    if request.method == "POST" and form.is_valid():
        try:
            services.award_citation_set(actor=request.user, award=award, citation=form.cleaned_data["citation"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Citation saved."))
            return redirect(award.round)
    return render(request, "awards/award_edit.html", {"award": award, "round": award.round, "form": form})


@login_required
@require_GET
def award_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin's preview of a certificate, also before publication."""
    _admin_only(request)
    return _pdf(request, _award_or_404(pk))


# --- the records behind a score --------------------------------------------------------------------------


def _finalist_or_403(request: HttpRequest, pk: int) -> Finalist:
    try:
        finalist = selectors.finalist_detail(pk=pk)
    except Finalist.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_finalist(request.user, finalist):
        raise PermissionDenied
    return finalist


@login_required
@require_GET
def finalist_records(request: HttpRequest, pk: int) -> HttpResponse:
    """The records that make up a finalist's score and previous-year count."""
    finalist = _finalist_or_403(request, pk)
    return render(
        request,
        "awards/finalist_records.html",
        {
            "finalist": finalist,
            "round": finalist.category.round,
            "records": selectors.finalist_records(finalist),
            "link_activities": can_view_all_work(request.user),
            "can_manage": permissions.can_manage_awards(request.user),
        },
    )


# --- jury ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def jury_home(request: HttpRequest) -> HttpResponse:
    seats = list(selectors.jury_seats(user=request.user))
    if not seats:
        raise PermissionDenied
    return render(request, "awards/jury_home.html", {"seats": seats})


@login_required
@require_GET
def jury_round(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(AwardRound, pk=pk)
    seat = permissions.jury_seat(request.user, round)
    if seat is None:
        raise PermissionDenied
    categories = selectors.seat_finalists(seat=seat)
    return render(
        request,
        "awards/jury_round.html",
        {"round": round, "seat": seat, "categories": categories, "rules": selectors.rules_of(categories)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def jury_finalist(request: HttpRequest, pk: int) -> HttpResponse:
    """One finalist for a jury member: the score, the records behind it, and the vote."""
    finalist = _finalist_or_403(request, pk)
    round = finalist.category.round
    seat = permissions.jury_seat(request.user, round)
    if seat is None:
        raise PermissionDenied  # the admin reads the records page; only jury members vote
    vote = seat.votes.filter(finalist=finalist).first()
    form = VoteForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.vote_cast(
                actor=request.user,
                finalist=finalist,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your vote on %(name)s is saved.") % {"name": finalist.name})
            return redirect("awards:jury_round", pk=round.pk)
    return render(
        request,
        "awards/jury_finalist.html",
        {
            "finalist": finalist,
            "round": round,
            "vote": vote,
            "form": form,
            "can_vote": vote is None and round.status == AwardRound.Status.IN_REVIEW,
            "records": selectors.finalist_records(finalist),
            "link_activities": can_view_all_work(request.user),
        },
    )
