"""Writes about accounts: recording a login lock in the audit trail and lifting one (the admin);
account invitations (creating, revoking, redeeming) and the roles they come with."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any
from urllib.parse import urlencode

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from associations.models import Association, Officer, OfficerTerm
from kpmi_si.audit.models import AuditEntry
from kpmi_si.audit.services import audit_log
from members import permissions as member_permissions
from members import services as member_services
from members.models import Kpmi, KpmiRole, Member

from . import permissions
from .models import AccountInvitation, code_hash

logger = logging.getLogger(__name__)


def _who(attempt: AccessAttempt) -> str:
    # The attempt's own text is only its time; the trail must say whose login from where.
    return f"{attempt.username} @ {attempt.ip_address}"


@transaction.atomic
def login_lock_record(*, username: str | None, ip_address: str | None) -> AuditEntry | None:
    """Audit a lock once. axes signals a lockout on every refused try while the lock lasts, so the
    lock's attempt row is audited only the first time; a lock that expired or was lifted leaves no
    row, and the next lock is a new row with its own entry."""
    attempts = AccessAttempt.objects.select_for_update().filter(username=username, ip_address=ip_address)
    attempt = attempts.order_by("-attempt_time").first()
    if attempt is None:
        return None
    already = AuditEntry.objects.filter(
        action="login.lock",
        target_type=ContentType.objects.get_for_model(AccessAttempt),
        target_id__in=[str(pk) for pk in attempts.values_list("pk", flat=True)],
    )
    if already.exists():
        return None
    return audit_log(
        actor=None,
        action="login.lock",
        target=attempt,
        changes={"failures": [None, attempt.failures_since_start]},
        note=_who(attempt),
    )


@transaction.atomic
def login_lock_lift(*, actor: Any, attempts: QuerySet[AccessAttempt]) -> int:
    """Forget the failed logins (so lift any lock) of the given attempt rows, auditing each."""
    lifted = 0
    for attempt in attempts.select_for_update():
        audit_log(
            actor=actor,
            action="login.unlock",
            target=attempt,
            changes={"failures": [attempt.failures_since_start, 0]},
            note=_who(attempt),
        )
        attempt.delete()
        lifted += 1
    return lifted


# --- account invitations ---------------------------------------------------------------------------------
# A person gets a login without Django admin: whoever may appoint or keep them creates the account
# (without a password) and an invitation; the person redeems its one-time code and sets a password.

INVITATION_VALID_FOR = dt.timedelta(days=7)
# No 0/O or 1/I/L: the code is read aloud and typed on shared phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12, about 2**59: out of reach at the redemption's rate limit


def invitation_code_normalise(raw: str) -> str:
    """The code as it is hashed: what was typed, in capitals, without spaces or dashes."""
    return "".join(ch for ch in str(raw or "").upper() if ch.isascii() and ch.isalnum())[:64]


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def invitation_link(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('accounts:activate')}?{urlencode({'kode': code})}"


def _username_for(full_name: str) -> str:
    """A free username from a person's name (they may choose another when they redeem the code)."""
    User = get_user_model()
    base = (slugify(full_name).replace("-", ".") or "pengguna")[:30]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def person_account_create(*, actor: Any, full_name: str, email: str = "") -> Any:
    """A login for a person, without a password until they redeem an invitation. Callers check who may."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationError({"full_name": _("Give the person's name.")})
    first, _sep, last = full_name.partition(" ")
    user = get_user_model()(username=_username_for(full_name), first_name=first[:150], last_name=last[:150])
    user.email = email.strip()
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_log(actor=actor, action="account.create", target=user, changes={"username": [None, user.username]})
    return user


def _send_invitation_mail(*, user_id: int, email: str, code: str) -> None:
    """The invitation's e-mail. Sent after the commit, from the request: the code exists only in memory
    (the job outbox keeps its arguments in the database, where a code must never be)."""
    User = get_user_model()
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("Your SI KPMI account")
        body = _(
            "Hello %(name)s,\n\nAn account on SI KPMI was made for you. Open this link (valid for %(days)s days, "
            "once) and choose your password:\n\n%(link)s\n\nOr open %(page)s and type the code %(code)s.\n"
        ) % {
            "name": user.get_full_name() or user.username,
            "days": INVITATION_VALID_FOR.days,
            "link": invitation_link(code),
            "page": f"{settings.SITE_URL}{reverse('accounts:activate')}",
            "code": code,
        }
    try:
        send_mail(str(subject), str(body), None, [email])
    except OSError as exc:  # the mail server is down: the code is on the inviter's screen too
        logger.warning("Invitation e-mail for user %s not sent: %s", user_id, exc)


@transaction.atomic
def account_invitation_create(*, actor: Any, user: Any, email: str = "") -> tuple[AccountInvitation, str]:
    """A one-time code for `user` to set their password. Returns the row and the code, which exists
    only in this return value (shown once to the inviter; e-mailed if `email` is given). Earlier
    pending codes of the same account stop working. Callers check who may invite whom."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        raise ValidationError(_("%(name)s already has an account with a password.") % {"name": user})
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."))
    now = timezone.now()
    for earlier in AccountInvitation.objects.select_for_update().filter(
        user=user, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ):
        earlier.revoked_at, earlier.revoked_by = now, actor
        earlier.save(update_fields=["revoked_at", "revoked_by"])
        audit_log(
            actor=actor, action="account_invitation.revoke", target=user, changes={"invitation": [earlier.pk, None]}
        )
    code = _new_code()
    invitation = AccountInvitation(
        user=user,
        email=email.strip(),
        code_hash=code_hash(invitation_code_normalise(code)),
        created_by=actor,
        expires_at=now + INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    audit_log(
        actor=actor,
        action="account_invitation.create",
        target=user,
        # Whether it went by e-mail, not the address: the trail outlives the person's data.
        changes={"invitation": [None, invitation.pk], "by_email": [None, bool(invitation.email)]},
    )
    if invitation.email:
        user_id, address = user.pk, invitation.email
        transaction.on_commit(lambda: _send_invitation_mail(user_id=user_id, email=address, code=code), robust=True)
    return invitation, code


@transaction.atomic
def account_invitation_revoke(*, actor: Any, invitation: AccountInvitation) -> AccountInvitation:
    stored = AccountInvitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if not permissions.can_invite_user(actor, stored.user):
        raise PermissionDenied
    if not stored.is_pending:
        # A double click, or a code used or expired meanwhile: nothing left to revoke.
        return stored
    stored.revoked_at, stored.revoked_by = timezone.now(), actor
    stored.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(
        actor=actor, action="account_invitation.revoke", target=stored.user, changes={"invitation": [stored.pk, None]}
    )
    return stored


@transaction.atomic
def member_account_invite(*, actor: Any, member: Member, email: str = "") -> tuple[AccountInvitation, str]:
    """Invite a member to an account: creates their login (without a password) when they have none."""
    member = Member.objects.select_for_update(of=("self",)).select_related("kpmi", "user").get(pk=member.pk)
    if not member_permissions.can_manage_kpmi(actor, member.kpmi):
        raise PermissionDenied
    if member.is_anonymised:
        raise ValidationError(_("This member's personal data was removed; it can no longer be edited."))
    if member.user is not None and member.user.has_usable_password():
        raise ValidationError(_("%(name)s already has an account.") % {"name": member.full_name})
    user = member.user
    if user is None:
        user = person_account_create(actor=actor, full_name=member.full_name, email=email or member.email)
        member.user = user
        member.save(update_fields=["user", "updated_at"])
        audit_log(actor=actor, action="member.account_link", target=member, changes={"user": [None, user.username]})
    return account_invitation_create(actor=actor, user=user, email=email)


@transaction.atomic
def kpmi_person_assign(
    *,
    actor: Any,
    kpmi: Kpmi,
    role: str,
    since: dt.date | None = None,
    member: Member | None = None,
    user: Any = None,
    full_name: str = "",
    email: str = "",
) -> tuple[KpmiRole, str | None]:
    """Give a KPMI a supervisor or manager: a member of the group, an existing account, or a new person.
    A person without a password gets an invitation; its code is returned (None when not needed)."""
    if not member_permissions.can_assign_kpmi_roles(actor):
        raise PermissionDenied
    if sum(bool(x) for x in (member, user, full_name.strip())) != 1:
        raise ValidationError(_("Choose a member, an existing account, or give a new person's name: one of them."))
    if member is not None:
        member = Member.objects.select_for_update(of=("self",)).select_related("user").get(pk=member.pk)
        if member.kpmi_id != kpmi.pk:
            raise ValidationError({"member": _("This person is a member of another KPMI.")})
        if member.is_anonymised:
            raise ValidationError({"member": _("This member's personal data was removed.")})
        user = member.user
        if user is None:
            user = person_account_create(actor=actor, full_name=member.full_name, email=email or member.email)
            member.user = user
            member.save(update_fields=["user", "updated_at"])
            audit_log(actor=actor, action="member.account_link", target=member, changes={"user": [None, user.username]})
    elif full_name.strip():
        user = person_account_create(actor=actor, full_name=full_name, email=email)
    assignment = member_services.kpmi_role_assign(actor=actor, kpmi=kpmi, user=user, role=role, since=since)
    code = None
    if user.is_active and not user.has_usable_password():
        _invitation, code = account_invitation_create(actor=actor, user=user, email=email)
    return assignment, code


def account_invitation_find(code: str) -> AccountInvitation | None:
    normalised = invitation_code_normalise(code)
    if len(normalised) != CODE_LENGTH:
        return None
    return AccountInvitation.objects.select_related("user").filter(code_hash=code_hash(normalised)).first()


def _invitation_error(invitation: AccountInvitation | None) -> str | None:
    if invitation is None or not invitation.user.is_active:
        return _("This code is not valid. Check it, or ask whoever invited you for a new one.")
    if invitation.used_at:
        return _("This code has been used already. Log in with your username and password.")
    if invitation.revoked_at:
        return _("This code was withdrawn. Ask whoever invited you for a new one.")
    if invitation.expires_at <= timezone.now():
        return _("This code has expired. Ask whoever invited you for a new one.")
    if invitation.user.has_usable_password():
        return _("This account already has a password. Log in with your username and password.")
    return None


@transaction.atomic
def account_invitation_redeem(*, code: str, username: str, password: str) -> Any:
    """Use an invitation: the person picks their username and password. Returns the account."""
    found = account_invitation_find(code)
    invitation = AccountInvitation.objects.select_for_update().get(pk=found.pk) if found else None
    error = _invitation_error(invitation)
    if error:
        raise ValidationError({"code": error})
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=invitation.user_id)
    old_username = user.username
    username = username.strip() or old_username
    errors: dict[str, list[str]] = {}
    try:
        User._meta.get_field("username").clean(username, user)
    except ValidationError as exc:
        errors["username"] = exc.messages
    if not errors and User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        errors["username"] = [_("This username is taken; choose another.")]
    user.username = username
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        errors["password1"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save(update_fields=["username", "password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit_log(
        actor=user,
        action="account_invitation.redeem",
        target=user,
        changes={"invitation": [invitation.pk, None], "username": [old_username, username]},
    )
    return user


# --- association officers and accounts for new people (the KOMTIK admin) -----------------------------------


def _require_admin(actor: Any) -> None:
    if not member_permissions.is_komtik_admin(actor):
        raise PermissionDenied


@transaction.atomic
def officer_assign(
    *,
    actor: Any,
    association: Association,
    user: Any = None,
    full_name: str = "",
    email: str = "",
    title: str = "",
    since: dt.date | None = None,
) -> tuple[Officer, str | None]:
    """Make a person an officer of one association from `since` (today by default; never in the
    future: see Officer), an existing login or a new person. A person without a password gets an
    invitation; its code is returned (None when not needed)."""
    _require_admin(actor)
    today = timezone.localdate()
    since = since or today
    if bool(user) == bool(full_name.strip()):
        raise ValidationError(_("Choose an existing account, or give a new person's name: one of them."))
    if since > today:
        raise ValidationError({"since": _("The date cannot be in the future.")})
    if user is not None:
        # The person's row is the lock: two admins appointing the same login at once get the message.
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        current = Officer.objects.select_related("association").filter(user=user).first()
        if current is not None:
            raise ValidationError(
                {
                    "user": _("%(user)s is already an officer of %(association)s.")
                    % {"user": user, "association": current.association}
                }
            )
        last = OfficerTerm.objects.filter(user=user).order_by("-until").first()
        if last is not None and since <= last.until:
            raise ValidationError(
                {
                    "since": _("%(user)s served %(association)s until %(date)s: the new appointment starts later.")
                    % {"user": user, "association": last.association, "date": last.until.strftime("%d-%m-%Y")}
                }
            )
    else:
        user = person_account_create(actor=actor, full_name=full_name, email=email)
    officer = Officer(user=user, association=association, title=title.strip(), since=since)
    officer.full_clean()
    officer.save()
    audit_log(
        actor=actor,
        action="officer.assign",
        target=association,
        changes={"officer": [None, f"{user} ({user.username})"], "since": [None, since.isoformat()]},
    )
    code = None
    if user.is_active and not user.has_usable_password():
        _invitation, code = account_invitation_create(actor=actor, user=user, email=email)
    return officer, code


@transaction.atomic
def officer_end(*, actor: Any, officer: Officer, until: dt.date | None = None) -> OfficerTerm:
    """End an officer's work for their association on `until`, their last day (today by default;
    never in the future: the pages' permission checks read the current row, not dates). The current
    row goes (an officer is one per login) and the appointment stays as history (OfficerTerm)."""
    _require_admin(actor)
    until = until or timezone.localdate()
    officer = (
        Officer.objects.select_for_update(of=("self",)).select_related("user", "association").filter(pk=officer.pk)
    ).first()
    if officer is None:
        raise ValidationError(_("This appointment has already ended."))
    if until > timezone.localdate():
        raise ValidationError({"until": _("The date cannot be in the future.")})
    if officer.since and until < officer.since:
        raise ValidationError(
            {"until": _("The end cannot be before the start (%(date)s).") % {"date": officer.since.isoformat()}}
        )
    term = OfficerTerm(
        user=officer.user,
        association=officer.association,
        title=officer.title,
        since=officer.since,
        until=until,
        ended_by=actor,
    )
    term.full_clean(exclude=["ended_by"])
    term.save()
    audit_log(
        actor=actor,
        action="officer.end",
        target=officer.association,
        changes={
            "officer": [f"{officer.user} ({officer.user.username})", None],
            "until": [None, until.isoformat()],
        },
    )
    officer.delete()
    return term


@transaction.atomic
def person_invite(*, actor: Any, full_name: str = "", email: str = "", user: Any = None) -> tuple[Any, str]:
    """An account for a new person (a juror, an editor…) or a new code for a login without a password:
    the admin's way to bring in people who are not members of a KPMI."""
    _require_admin(actor)
    if user is None:
        user = person_account_create(actor=actor, full_name=full_name, email=email)
    _invitation, code = account_invitation_create(actor=actor, user=user, email=email)
    return user, code
