"""Pages of the account protection (the lockout page, the rate-limited password reset) and of the
accounts' people: a KPMI's supervisors and managers, invitations to an account and their redemption."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from associations.models import Officer, OfficerTerm
from members import permissions as member_permissions
from members import services as member_services
from members.forms import apply_service_errors, post_data
from members.models import Kpmi, KpmiRole, Member

from . import permissions, services, throttle
from .forms import ActivateForm, MemberInviteForm, OfficerAssignForm, PersonInviteForm, RoleAssignForm, RoleEndForm
from .models import AccountInvitation

logger = logging.getLogger(__name__)


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None) -> HttpResponse:
    """What axes answers to a login from a locked username and address: a page of the site, not a
    bare 403 text. 429 (Too Many Requests) is what happened."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with a limit on the mail it sends. Over the limit the answer is the usual
    "check your email" (no mail goes out): a different answer would let anyone probe the limit's
    counters, and through them, which addresses were asked about."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        ip_address = throttle.client_ip(self.request)
        if throttle.password_reset_allowed(email=form.cleaned_data["email"], ip_address=ip_address):
            return super().form_valid(form)
        logger.warning("Password reset over the limit from %s; no mail sent.", ip_address)
        return HttpResponseRedirect(self.get_success_url())


def _no_store(response: HttpResponse) -> HttpResponse:
    # A page that shows a one-time code is kept by no cache, the browser's included.
    response["Cache-Control"] = "private, no-store"
    return response


# --- a KPMI's supervisors and managers -----------------------------------------------------------------------


def _kpmi_for_roles(request: HttpRequest, pk: int) -> Kpmi:
    kpmi = get_object_or_404(Kpmi, pk=pk)
    if not member_permissions.can_assign_kpmi_roles(request.user):
        raise PermissionDenied
    return kpmi


@login_required
@require_http_methods(["GET", "POST"])
def kpmi_roles(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's supervisors and managers, current and past, and the form that appoints one. A new
    person's one-time code is in this one answer only (never stored, so no later page could show it)."""
    kpmi = _kpmi_for_roles(request, pk)
    form = RoleAssignForm(post_data(request), kpmi=kpmi)
    new_code = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment, new_code = services.kpmi_person_assign(
                actor=request.user,
                kpmi=kpmi,
                role=data["role"],
                since=data["since"],
                member=data["member"],
                user=data["user"],
                full_name=data["full_name"],
                email=data["email"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s of %(kpmi)s.")
                % {"person": assignment.user, "role": assignment.get_role_display(), "kpmi": kpmi.name},
            )
            if not new_code:
                return redirect("accounts:kpmi_roles", pk=kpmi.pk)
            form = RoleAssignForm(None, kpmi=kpmi)
    roles = KpmiRole.objects.filter(kpmi=kpmi).select_related("user").order_by("until", "role", "-since", "pk")
    context = {
        "kpmi": kpmi,
        "form": form,
        "current": [r for r in roles if r.until is None],
        "past": [r for r in roles if r.until is not None],
        "new_code": new_code,
        "new_link": services.invitation_link(new_code) if new_code else "",
    }
    response = render(request, "accounts/kpmi_roles.html", context)
    return _no_store(response) if new_code else response


@login_required
@require_http_methods(["GET", "POST"])
def kpmi_role_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(KpmiRole.objects.select_related("kpmi", "user"), pk=pk)
    if not member_permissions.can_assign_kpmi_roles(request.user):
        raise PermissionDenied
    if assignment.until is not None:
        messages.error(request, _("This role has already ended."))
        return redirect("accounts:kpmi_roles", pk=assignment.kpmi_id)
    form = RoleEndForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            member_services.kpmi_role_end(actor=request.user, assignment=assignment, until=form.cleaned_data["until"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The role of %(person)s as %(role)s has ended.")
                % {"person": assignment.user, "role": assignment.get_role_display()},
            )
            return redirect("accounts:kpmi_roles", pk=assignment.kpmi_id)
    return render(request, "accounts/kpmi_role_end.html", {"assignment": assignment, "form": form})


# --- a member's account ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_account(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's login: whether they have one, the invitations made, and the button that makes one.
    Another group's member does not exist for a keeper (404), as on the member's own page."""
    member = get_object_or_404(Member.objects.select_related("kpmi", "user"), pk=pk)
    if not member_permissions.can_view_member(request.user, member):
        raise Http404
    if not member_permissions.can_manage_kpmi(request.user, member.kpmi):
        raise PermissionDenied
    form = MemberInviteForm(post_data(request), initial={"email": member.email})
    new_code = None
    if request.method == "POST" and form.is_valid():
        try:
            _invitation, new_code = services.member_account_invite(
                actor=request.user, member=member, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            member.refresh_from_db()
            messages.success(request, _("An invitation for %(name)s was made.") % {"name": member.full_name})
    invitations = (
        AccountInvitation.objects.filter(user_id=member.user_id).select_related("created_by")
        if member.user_id
        else AccountInvitation.objects.none()
    )
    context = {
        "member": member,
        "form": form,
        "has_password": bool(member.user and member.user.has_usable_password()),
        "invitations": invitations,
        "new_code": new_code,
        "new_link": services.invitation_link(new_code) if new_code else "",
    }
    response = render(request, "accounts/member_account.html", context)
    return _no_store(response) if new_code else response


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(AccountInvitation.objects.select_related("user"), pk=pk)
    if not permissions.can_invite_user(request.user, invitation.user):
        raise Http404
    try:
        services.account_invitation_revoke(actor=request.user, invitation=invitation)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The invitation was withdrawn: its code no longer works."))
    member = Member.objects.filter(user_id=invitation.user_id).first()
    if member is not None and member_permissions.can_manage_kpmi(request.user, member.kpmi):
        return redirect("accounts:member_account", pk=member.pk)
    role = KpmiRole.objects.current().filter(user_id=invitation.user_id).first()
    if role is not None and member_permissions.can_assign_kpmi_roles(request.user):
        return redirect("accounts:kpmi_roles", pk=role.kpmi_id)
    if member_permissions.is_komtik_admin(request.user):
        return redirect("accounts:officers")
    return redirect("home")


# --- association officers and accounts for new people (the KOMTIK admin) ----------------------------------


def _admin_only(request: HttpRequest) -> None:
    if not member_permissions.is_komtik_admin(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def officers(request: HttpRequest) -> HttpResponse:
    """The associations' officers, the form that appoints one, and the logins still waiting for their
    password (jurors, editors, officers…) with their invitations."""
    _admin_only(request)
    form = OfficerAssignForm(post_data(request))
    new_code = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer, new_code = services.officer_assign(
                actor=request.user,
                association=data["association"],
                user=data["user"],
                full_name=data["full_name"],
                email=data["email"],
                title=data["title"],
                since=data["since"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s is now an officer of %(association)s.")
                % {"person": officer.user, "association": officer.association},
            )
            if not new_code:
                return redirect("accounts:officers")
            form = OfficerAssignForm(None)
    response = render(
        request,
        "accounts/officers.html",
        {
            "form": form,
            "officers": Officer.objects.select_related("user", "association").order_by(
                "association_id", "user__username"
            ),
            "past_officers": OfficerTerm.objects.select_related("user", "association").order_by("-until", "-pk")[:50],
            "waiting": AccountInvitation.objects.filter(used_at__isnull=True, revoked_at__isnull=True)
            .select_related("user", "created_by")
            .order_by("-created_at")[:50],
            "new_code": new_code,
            "new_link": services.invitation_link(new_code) if new_code else "",
        },
    )
    return _no_store(response) if new_code else response


@login_required
@require_http_methods(["GET", "POST"])
def officer_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The last day of an officer's appointment (today by default): a page, as for a KPMI's roles."""
    _admin_only(request)
    officer = Officer.objects.select_related("user", "association").filter(pk=pk).first()
    if officer is None:
        # Ended meanwhile (the row goes): say so rather than a bare 404.
        messages.error(request, _("This appointment has already ended."))
        return redirect("accounts:officers")
    form = RoleEndForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_end(actor=request.user, officer=officer, until=form.cleaned_data["until"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s is no longer an officer of %(association)s.")
                % {"person": officer.user, "association": officer.association},
            )
            return redirect("accounts:officers")
    return render(request, "accounts/officer_end.html", {"officer": officer, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest) -> HttpResponse:
    """An account for someone who is not a member (a juror, an editor): the admin hands over the code;
    the person then is found by their username on the jury's or the newsroom's page."""
    _admin_only(request)
    form = PersonInviteForm(post_data(request))
    new_code = new_user = None
    if request.method == "POST" and form.is_valid():
        try:
            new_user, new_code = services.person_invite(
                actor=request.user, full_name=form.cleaned_data["full_name"], email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("An account %(username)s was made for %(name)s.")
                % {"username": new_user.username, "name": new_user.get_full_name()},
            )
            form = PersonInviteForm(None)
    context = {
        "form": form,
        "new_code": new_code,
        "new_user": new_user,
        "new_link": services.invitation_link(new_code) if new_code else "",
    }
    response = render(request, "accounts/person_invite.html", context)
    return _no_store(response) if new_code else response


# --- redeeming an invitation -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    """Where an invited person sets their password: from the link (the code filled in) or by typing the
    code. Wrong codes are counted per client address, like wrong passwords at the login."""
    ip_address = throttle.client_ip(request)
    if request.method == "POST":
        if throttle.invitation_redeem_blocked(ip_address=ip_address):
            minutes = settings.INVITATION_REDEEM_WINDOW // 60
            return render(request, "accounts/activate_locked.html", {"minutes": minutes}, status=429)
        form = ActivateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.account_invitation_redeem(
                    code=data["code"], username=data["username"], password=data["password1"]
                )
            except ValidationError as exc:
                if "code" in getattr(exc, "error_dict", {}):
                    throttle.invitation_redeem_failed(ip_address=ip_address)
                apply_service_errors(form, exc)
            else:
                login(request, user, backend="kpmi_si.accounts.backends.UserBackend")
                messages.success(request, _("Welcome, %(name)s: your password is set.") % {"name": user})
                return redirect("home")
        invitation = None
    else:
        code = request.GET.get("kode", "")
        invitation = services.account_invitation_find(code) if code else None
        if invitation is not None and not invitation.is_pending:
            invitation = None
        form = ActivateForm(initial={"code": code, "username": invitation.user.username if invitation else ""})
    return _no_store(render(request, "accounts/activate.html", {"form": form, "invitation": invitation}))
