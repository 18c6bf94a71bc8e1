"""Reads for personal data: everything the system holds about one member (their copy, UU 27/2022 art. 7
and 13), and the texts waiting for review after an anonymisation.

`member_data` asks each source of MEMBER_DATA_SOURCES for one section, a few queries each. A new app
that keeps data about members appends its source here (tests/privacy/test_registry.py lists every
relation to a member or a login and fails on one no source reads).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import JSONField, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from associations.metrics import METRICS
from associations.models import Officer, OfficerTerm, TargetResult
from awards.models import AwardRound, Finalist, JuryMember, Vote
from citizen_journalism.models import EditorRole
from kpmi_si.accounts.models import AccountInvitation
from kpmi_si.audit.models import AuditEntry
from kpmi_si.links import site_absolute
from kpmi_si.notifications.models import Notification
from members.models import Kpmi, KpmiRole, LevelChange, Member, User
from programs.models import (
    DETAIL_FIELDS,
    DETAIL_RELATED,
    ActivityCredit,
    AssociationAward,
    CompetitionStanding,
    Invitation,
    ProjectSignup,
    Training,
)

from .models import ReviewFlag
from .sections import Section
from .sections import section as _section
from .sources_entrepreneurs import _articles, _businesses, _earnings, _services_received


def _display(obj: Any, field: str) -> Any:
    """A field's value as people read it: the label of a choice, the value otherwise."""
    getter = getattr(obj, f"get_{field}_display", None)
    return str(getter()) if getter else getattr(obj, field)


# --- the sources, one per kind of data -------------------------------------------------------------------


def _profile(member: Member) -> Section:
    user = member.user
    columns = (
        ("id", _("Member number")),
        ("full_name", _("full name")),
        ("phone", _("phone")),
        ("email", _("email")),
        ("gender", _("gender")),
        ("birth_year", _("birth year")),
        ("kpmi", _("KPMI")),
        ("district", _("district")),
        ("level", _("level")),
        ("joined_on", _("join date")),
        ("trained_by", _("trained by")),
        ("members_trained", _("Members trained")),
        ("username", _("Username")),
        ("login_email", _("Login e-mail")),
        ("language", _("language")),
        ("login_since", _("Login since")),
        ("last_login", _("Last login")),
        ("anonymised_at", _("anonymised at")),
    )
    row = {
        "id": member.pk,
        "full_name": member.full_name,
        "phone": member.phone,
        "email": member.email,
        "gender": member.get_gender_display(),
        "birth_year": member.birth_year,
        "kpmi": member.kpmi.name,
        "district": member.kpmi.kecamatan.name,
        "level": member.get_level_display(),
        "joined_on": member.joined_on,
        "trained_by": member.trained_by.full_name if member.trained_by else "",
        # Who they trained is theirs to know as a number; the trainees' names are the trainees' data.
        "members_trained": member.trainees.count(),
        "username": user.username if user else "",
        "login_email": user.email if user else "",
        "language": user.get_language_display() if user else "",
        "login_since": user.date_joined if user else None,
        "last_login": user.last_login if user else None,
        "anonymised_at": member.anonymised_at,
    }
    return _section("profile", _("Profile"), columns, [row])


def _level_history(member: Member) -> Section:
    columns = (
        ("effective_on", _("effective date")),
        ("kind", _("kind")),
        ("from_level", _("from level")),
        ("to_level", _("to level")),
        ("reason", _("reason")),
        ("evidence", _("evidence")),
        ("recorded_by", _("recorded by")),
        ("recorded_at", _("recorded at")),
    )
    rows = [
        {
            "effective_on": change.effective_on,
            "kind": change.get_kind_display(),
            "from_level": change.get_from_level_display() or "",
            "to_level": change.get_to_level_display(),
            "reason": change.reason,
            "evidence": site_absolute(change.evidence),
            "recorded_by": str(change.recorded_by) if change.recorded_by else "",
            "recorded_at": change.recorded_at,
        }
        for change in LevelChange.objects.filter(member=member)
        .select_related("recorded_by")
        .order_by("effective_on", "pk")
    ]
    return _section("level_history", _("Level history"), columns, rows)


def _roles(member: Member) -> Section:
    columns = (("role", _("role")), ("of", _("Of")), ("since", _("since")), ("until", _("until")))
    rows: list[dict[str, Any]] = []
    if member.user_id:
        for role in KpmiRole.objects.filter(user_id=member.user_id).select_related("kpmi").order_by("kpmi__name"):
            rows.append(
                {"role": role.get_role_display(), "of": role.kpmi.name, "since": role.since, "until": role.until}
            )
        for officer in Officer.objects.filter(user_id=member.user_id).select_related("association"):
            rows.append(
                {
                    "role": officer.title or str(_("association officer")),
                    "of": officer.association.name,
                    "since": officer.since,
                }
            )
        # Ended appointments are roles the person held too (kept as OfficerTerm).
        for term in (
            OfficerTerm.objects.filter(user_id=member.user_id).select_related("association").order_by("until", "pk")
        ):
            rows.append(
                {
                    "role": term.title or str(_("association officer")),
                    "of": term.association.name,
                    "since": term.since,
                    "until": term.until,
                }
            )
        for seat in JuryMember.objects.filter(user_id=member.user_id).select_related("round").order_by("round__year"):
            rows.append({"role": str(_("jury member")), "of": str(seat.round), "since": seat.added_at})
        for editor in EditorRole.objects.filter(user_id=member.user_id).prefetch_related("kecamatan"):
            places = ", ".join(k.name for k in editor.kecamatan.all()) or str(_("Garut regency"))
            rows.append({"role": str(_("news editor")), "of": places, "since": editor.granted_at})
    for kpmi in Kpmi.objects.filter(founded_by=member).order_by("founded_on"):
        rows.append({"role": str(_("founding pioneer")), "of": kpmi.name, "since": kpmi.founded_on})
    return _section("roles", _("Roles"), columns, rows)


def _work(member: Member) -> Section:
    columns = (
        ("activity_id", _("ID")),
        ("kind", _("kind")),
        ("status", _("status")),
        ("date", _("date")),
        ("title", _("title or topic")),
        ("logged_for_kpmi", _("logged for KPMI")),
        ("credited_as_member_of", _("Credited as a member of")),
        ("district", _("district")),
        ("village", _("village")),
        ("summary", _("summary")),
        ("details", _("Details")),
        ("evidence_link", _("evidence link")),
        ("evidence_files", _("Evidence files")),
        ("logged_at", _("logged at")),
    )
    credits = (
        ActivityCredit.objects.filter(member=member)
        .select_related(
            "kpmi",
            "activity__kpmi",
            "activity__kecamatan",
            "activity__desa",
            *(f"activity__{name}" for name in DETAIL_RELATED),
        )
        .prefetch_related("activity__evidence")
        .order_by("-date", "-activity_id")
    )
    rows = []
    for credit in credits:
        activity = credit.activity
        detail = activity.detail
        rows.append(
            {
                "activity_id": activity.pk,
                "kind": activity.get_kind_display(),
                "status": activity.get_status_display(),
                "date": activity.date,
                "title": activity.title,
                "logged_for_kpmi": activity.kpmi.name,
                "credited_as_member_of": credit.kpmi.name,
                "district": activity.kecamatan.name,
                "village": activity.desa.name if activity.desa else "",
                "summary": activity.summary,
                "details": {name: _display(detail, name) for name in DETAIL_FIELDS[activity.kind]} if detail else {},
                "evidence_link": site_absolute(activity.evidence_url),
                "evidence_files": [evidence.original_name for evidence in activity.evidence.all()],
                "logged_at": activity.created_at,
            }
        )
    return _section("work", _("Work credited"), columns, rows)


def _trainings_attended(member: Member) -> Section:
    columns = (("activity_id", _("ID")), ("date", _("date")), ("title", _("title or topic")), ("kpmi", _("KPMI")))
    trainings = Training.objects.filter(trainees=member).select_related("activity__kpmi").order_by("-activity__date")
    rows = [
        {"activity_id": t.activity_id, "date": t.activity.date, "title": t.activity.title, "kpmi": t.activity.kpmi.name}
        for t in trainings
    ]
    return _section("trainings_attended", _("Trainings attended"), columns, rows)


def _invitations(member: Member) -> Section:
    columns = (
        ("event", _("Event")),
        ("date", _("date")),
        ("status", _("status")),
        ("proposed_at", _("proposed at")),
        ("sent_at", _("sent at")),
        ("answered_at", _("answered at")),
        ("note", _("note")),
    )
    invitations = Invitation.objects.filter(member=member).select_related("tot_event", "program").order_by("created_at")
    rows = [
        {
            "event": str(invitation.event),
            "date": invitation.event.date,
            "status": invitation.get_status_display(),
            "proposed_at": invitation.created_at,
            "sent_at": invitation.sent_at,
            "answered_at": invitation.answered_at,
            "note": invitation.note,
        }
        for invitation in invitations
    ]
    return _section("invitations", _("Invitations"), columns, rows)


def _project_signups(member: Member) -> Section:
    columns = (
        ("project", _("volunteer project")),
        ("kpmi", _("KPMI")),
        ("status", _("status")),
        ("at", _("signed up at")),
    )
    signups = ProjectSignup.objects.filter(member=member).select_related("project", "kpmi").order_by("created_at")
    rows = [
        {"project": s.project.title, "kpmi": s.kpmi.name, "status": s.get_status_display(), "at": s.created_at}
        for s in signups
    ]
    return _section("project_signups", _("Project sign-ups"), columns, rows)


def _competitions(member: Member) -> Section:
    columns = (("competition", _("competition")), ("rank", _("rank")), ("score", _("score")), ("winner", _("winner")))
    standings = CompetitionStanding.objects.filter(member=member).select_related("competition").order_by("pk")
    rows = [
        {"competition": s.competition.title, "rank": s.rank, "score": s.score, "winner": s.is_winner} for s in standings
    ]
    return _section("competitions", _("Competitions"), columns, rows)


def _association_awards(member: Member) -> Section:
    columns = (
        ("association", _("association")),
        ("award", _("award")),
        ("reason", _("reason")),
        ("awarded_on", _("date")),
    )
    awards = AssociationAward.objects.filter(member=member).select_related("association").order_by("awarded_on")
    rows = [
        {"association": a.association.name, "award": a.name, "reason": a.reason, "awarded_on": a.awarded_on}
        for a in awards
    ]
    return _section("association_awards", _("Association awards"), columns, rows)


def _annual_awards(member: Member) -> Section:
    columns = (
        ("year", _("year")),
        ("category", _("category")),
        ("as", _("Competed as")),
        ("rank", _("rank")),
        ("score", _("score")),
        ("previous_year", _("previous year")),
        ("winner", _("winner")),
        ("place", pgettext_lazy("rank", "place")),
        ("certificate_code", _("verification code")),
        ("citation", _("citation")),
    )
    condition = Q(member=member)
    if member.user_id:
        condition |= Q(supervisor_id=member.user_id)
    # Only published rounds: before that the shortlist is the jury's working paper, not yet a decision
    # about anyone; once published, the member's places in it are theirs to have.
    finalists = (
        Finalist.objects.filter(condition, category__round__status=AwardRound.Status.PUBLISHED)
        .select_related("category__round", "award", "award__category", "award__round", "award__finalist")
        .order_by("category__round__year", "category__position", "rank")
    )
    rows = []
    for finalist in finalists:
        award = getattr(finalist, "award", None)
        rows.append(
            {
                "year": finalist.category.round.year,
                "category": finalist.category.label,
                "as": str(_("Supervisor (pembina)")) if finalist.supervisor_id else str(_("member")),
                "rank": finalist.rank,
                "score": finalist.score,
                "previous_year": finalist.previous,
                "winner": finalist.is_winner,
                "place": finalist.place,
                "certificate_code": award.code_display if award else "",
                "citation": award.citation_text() if award else "",
            }
        )
    return _section("annual_awards", _("Annual awards"), columns, rows)


def _targets(member: Member) -> Section:
    columns = (
        ("period", _("period")),
        ("metric", _("metric")),
        ("target", _("target")),
        ("actual", _("actual")),
        ("status", _("status")),
        ("evaluated_at", _("evaluated at")),
    )
    results = TargetResult.objects.filter(member=member).select_related("period").order_by("period__start", "metric")
    rows = [
        {
            "period": r.period.name,
            "metric": str(METRICS[r.metric].label) if r.metric in METRICS else r.metric,
            "target": r.target,
            "actual": r.actual,
            "status": r.get_status_display(),
            "evaluated_at": r.evaluated_at,
        }
        for r in results
    ]
    return _section("targets", _("Targets"), columns, rows)


def _jury_votes(member: Member) -> Section:
    columns = (
        ("year", _("year")),
        ("category", _("category")),
        ("finalist", _("finalist")),
        ("score", _("score")),
        ("comment", _("comment")),
        ("voted_at", _("voted at")),
    )
    votes = (
        Vote.objects.filter(jury_member__user_id=member.user_id)
        .select_related("finalist__category__round", "finalist__member", "finalist__supervisor")
        .order_by("created_at")
        if member.user_id
        else Vote.objects.none()
    )
    rows = [
        {
            "year": v.finalist.category.round.year,
            "category": v.finalist.category.label,
            "finalist": v.finalist.name,
            "score": v.score,
            "comment": v.comment,
            "voted_at": v.created_at,
        }
        for v in votes
    ]
    return _section("jury_votes", _("Jury votes"), columns, rows)


def _notifications(member: Member) -> Section:
    columns = (
        ("message", _("message")),
        ("link", _("link")),
        ("at", _("time")),
        ("read_at", _("read at")),
        ("emailed_at", _("e-mailed at")),
    )
    notifications = Notification.objects.filter(recipient_id=member.user_id).order_by("created_at", "pk")
    rows = [
        {"message": n.message, "link": n.link, "at": n.created_at, "read_at": n.read_at, "emailed_at": n.emailed_at}
        for n in (notifications if member.user_id else [])
    ]
    return _section("notifications", _("Notifications"), columns, rows)


def _account_invitations(member: Member) -> Section:
    columns = (
        ("created_at", _("created at")),
        ("email", _("email")),
        ("expires_at", _("expires at")),
        ("state", _("status")),
    )
    invitations = AccountInvitation.objects.filter(user_id=member.user_id).order_by("created_at", "pk")
    rows = [
        {"created_at": i.created_at, "email": i.email, "expires_at": i.expires_at, "state": i.get_state_display()}
        for i in (invitations if member.user_id else [])
    ]
    return _section("account_invitations", _("Account invitations"), columns, rows)


def audit_entries_about(member: Member) -> QuerySet[AuditEntry]:
    """The audit trail where the member is the target, or their login the actor or the target."""
    condition = Q(target_type=ContentType.objects.get_for_model(Member), target_id=str(member.pk))
    if member.user_id:
        condition |= Q(actor_id=member.user_id)
        condition |= Q(target_type=ContentType.objects.get_for_model(User), target_id=str(member.user_id))
    return AuditEntry.objects.filter(condition).select_related("actor")


def _audit(member: Member) -> Section:
    columns = (
        ("at", _("time")),
        ("by", _("by")),
        ("action", _("action")),
        ("record", pgettext_lazy("noun", "record")),
        ("changes", _("changes")),
        ("note", _("note")),
    )
    rows = [
        {
            "at": entry.at,
            "by": str(entry.actor) if entry.actor else "",
            "action": entry.action,
            "record": entry.target_repr,
            "changes": entry.changes,
            "note": entry.note,
        }
        for entry in audit_entries_about(member).order_by("at", "pk")
    ]
    return _section("audit", _("Audit trail"), columns, rows)


# Every kind of data the system keeps about a member, in the order the file lists them. A new kind
# appends a function here: Member -> Section.
MEMBER_DATA_SOURCES: list[Callable[[Member], Section]] = [
    _profile,
    _level_history,
    _roles,
    _work,
    _trainings_attended,
    _invitations,
    _project_signups,
    _competitions,
    _association_awards,
    _annual_awards,
    _targets,
    _jury_votes,
    _notifications,
    _account_invitations,
    _audit,
    _articles,
    _earnings,
    _services_received,
    _businesses,
]


# Every relation of a record to a member or a login, and the section that reads it. A relation that is
# in neither this nor ACTIONS_OF fails tests/privacy/test_registry.py: a new kind of data about members
# is a new source (or a reason why not).
READ_BY_SECTION: dict[str, str] = {
    "members.Member.user": "profile",
    "members.Member.trained_by": "profile",
    "members.LevelChange.member": "level_history",
    "members.KpmiRole.user": "roles",
    "members.Kpmi.founded_by": "roles",
    "associations.Officer.user": "roles",
    "associations.OfficerTerm.user": "roles",
    "awards.JuryMember.user": "roles",
    "programs.ActivityCredit.member": "work",
    "programs.Training.trainees": "trainings_attended",
    "programs.Invitation.member": "invitations",
    "programs.ProjectSignup.member": "project_signups",
    "programs.CompetitionStanding.member": "competitions",
    "programs.AssociationAward.member": "association_awards",
    "awards.Finalist.member": "annual_awards",
    "awards.Finalist.supervisor": "annual_awards",
    # A target set for one manager shows as its result, with the number that was asked.
    "associations.Target.member": "targets",
    "associations.TargetResult.member": "targets",
    "notifications.Notification.recipient": "notifications",
    "accounts.AccountInvitation.user": "account_invitations",
    "audit.AuditEntry.actor": "audit",
    "citizen_journalism.Article.author": "articles",
    "citizen_journalism.EditorRole.user": "roles",
    "citizen_journalism.Sale.author": "earnings",
    "citizen_journalism.Earning.author": "earnings",
    "citizen_journalism.Payout.author": "earnings",
    "citizen_journalism.AuthorBalance.author": "earnings",
    "citizen_journalism.RevenueShare.author": "earnings",
    "entrepreneurship.Order.member": "services_received",
    "entrepreneurship.Business.owner": "businesses",
}
# Relations that say who *did* something to others' records (logged, decided, granted, recorded): each
# such act is in the audit trail, which the member gets as the "audit" section (as actor).
ACTIONS_OF: frozenset[str] = frozenset(
    {
        "members.LevelChange.recorded_by",
        "associations.OfficerTerm.ended_by",
        "associations.Evaluation.requested_by",
        "programs.AssociationAward.granted_by",
        "programs.Activity.created_by",
        "programs.Activity.decided_by",
        "programs.Evidence.uploaded_by",
        "programs.CollaborationProgram.created_by",
        "programs.Competition.created_by",
        "programs.TotEvent.created_by",
        "programs.Invitation.answered_by",
        "programs.VolunteerProject.created_by",
        "programs.ProjectSignup.signed_up_by",
        "awards.AwardRound.created_by",
        "awards.AwardCategory.decided_by",
        "awards.ShortlistBuild.requested_by",
        "awards.JuryMember.added_by",
        "privacy.ReviewFlag.reviewed_by",
        "citizen_journalism.Article.approved_by",
        "citizen_journalism.ArticleRevision.created_by",
        "citizen_journalism.ArticleNote.created_by",
        "citizen_journalism.ArticlePhoto.uploaded_by",
        "citizen_journalism.Sale.created_by",
        "citizen_journalism.Sale.cancelled_by",
        "citizen_journalism.Payout.created_by",
        "entrepreneurship.Service.created_by",
        "entrepreneurship.Order.created_by",
        "entrepreneurship.Business.created_by",
        "entrepreneurship.BusinessEntry.created_by",
        "entrepreneurship.BusinessSettlement.settled_by",
        "entrepreneurship.Posting.created_by",
        # --- Garut Citizen Journalism: buyers' API (#13): an officer issuing or revoking a token ---
        "citizen_journalism.BuyerToken.created_by",
        "citizen_journalism.BuyerToken.revoked_by",
        # --- account invitations (#14): a keeper inviting or withdrawing an invitation ---
        "accounts.AccountInvitation.created_by",
        "accounts.AccountInvitation.revoked_by",
        # Written only once the member's identity is gone: nothing of theirs is left in it.
        "privacy.ReviewFlag.member",
    }
)


def member_data(member: Member) -> list[Section]:
    """Everything the system holds about the member, one section per source."""
    member = Member.objects.select_related("kpmi__kecamatan", "trained_by", "user").get(pk=member.pk)
    return [source(member) for source in MEMBER_DATA_SOURCES]


# --- review after anonymising ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FlaggedText:
    """A flag as the review list shows it: the record, where to open it, the field and its text now."""

    flag: ReviewFlag
    record: Any
    url: str
    field_label: str
    text: str | None  # None: the record was deleted since


def field_text(record: Any, name: str) -> str:
    value = getattr(record, name)
    if isinstance(record._meta.get_field(name), JSONField):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return value or ""


def _record_url(record: Any) -> str:
    if hasattr(record, "get_absolute_url"):
        return record.get_absolute_url()
    meta = record._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


def flagged_texts(flags: Iterable[ReviewFlag]) -> list[FlaggedText]:
    """The flags with their records, one query per kind of record however many flags."""
    flags = list(flags)
    wanted: dict[int, set[str]] = {}
    for flag in flags:
        wanted.setdefault(flag.content_type_id, set()).add(flag.object_id)
    records: dict[tuple[int, str], Any] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for record in model._default_manager.filter(pk__in=ids):
            records[(content_type_id, str(record.pk))] = record
    rows = []
    for flag in flags:
        record = records.get((flag.content_type_id, flag.object_id))
        model = flag.content_type.model_class()
        label = str(model._meta.get_field(flag.field).verbose_name) if model else flag.field
        rows.append(
            FlaggedText(
                flag=flag,
                record=record,
                url=_record_url(record) if record is not None else "",
                field_label=label,
                text=field_text(record, flag.field) if record is not None else None,
            )
        )
    return rows


def review_flags(*, open_only: bool = True) -> QuerySet[ReviewFlag]:
    flags = ReviewFlag.objects.select_related("content_type", "member", "reviewed_by")
    if open_only:
        flags = flags.filter(reviewed_at__isnull=True)
    return flags.order_by("-created_at", "content_type_id", "object_id", "field")


def open_review_count() -> int:
    return ReviewFlag.objects.filter(reviewed_at__isnull=True).count()
