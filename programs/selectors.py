"""Reads for logged work. Lists load each page in a fixed number of queries whatever its length;
counting is programs.metrics' job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kpmi_si.audit.models import AuditEntry
from kpmi_si.audit.selectors import audit_entries_for
from members.models import Kpmi, Level, Member
from members.permissions import managed_kpmi_ids

from . import metrics
from .models import (
    DETAIL_MODELS,
    DETAIL_RELATED,
    Activity,
    ActivityCredit,
    ActivityKpmi,
    AssociationAward,
    CollaborationProgram,
    CollaborationWork,
    Competition,
    Evidence,
    Invitation,
    Kind,
    Notification,
    ProjectSignup,
    Status,
    TotEvent,
    VolunteerProject,
)


def _credits_prefetch(through: str = "") -> Prefetch:
    return Prefetch(
        f"{through}credits",
        queryset=ActivityCredit.objects.select_related("member", "kpmi").order_by("position", "pk"),
    )


def _filtered(qs: QuerySet, filters: dict[str, Any] | None, members: QuerySet[Member] | None) -> QuerySet:
    from .filters import ActivityFilter

    return ActivityFilter(filters, queryset=qs, members=members).qs


def _rows(model: type[ActivityCredit] | type[ActivityKpmi]) -> QuerySet:
    """Lists of a member's or a group's work page through that member's or group's own rows,
    newest first, along an index: a page costs the same at a hundred records or a million."""
    return (
        model.objects.select_related("activity__kpmi", "activity__kecamatan")
        .prefetch_related(_credits_prefetch("activity__"))
        .order_by("-date", "-activity_id")
    )


def kpmi_work(*, kpmi: Kpmi, filters: dict[str, Any] | None = None) -> QuerySet[ActivityKpmi]:
    """ "Our KPMI's work": what the group logged and what its members are credited on, one row per
    activity (see activities_of)."""
    return _filtered(_rows(ActivityKpmi).filter(kpmi=kpmi), filters, filter_members(kpmi=kpmi))


def member_work(*, member: Member, filters: dict[str, Any] | None = None) -> QuerySet[ActivityCredit]:
    """ "My work": what a member is credited on, whatever its status, one row per activity."""
    return _filtered(_rows(ActivityCredit).filter(member=member), filters, None)


def all_work(*, filters: dict[str, Any] | None = None) -> QuerySet[Activity]:
    """Every group's work, for officers and the KOMTIK admin."""
    qs = (
        Activity.objects.select_related("kpmi", "kecamatan")
        .prefetch_related(_credits_prefetch())
        .order_by("-date", "-pk")
    )
    return _filtered(qs, filters, filter_members(kpmi=None))


def activities_of(rows: Iterable[Any]) -> list[Activity]:
    """The activities behind a page of list rows (which may be activities already)."""
    return [row if isinstance(row, Activity) else row.activity for row in rows]


def list_activity_ids(rows: QuerySet) -> list[int]:
    """The ids of a filtered list's activities, in list order: read from the list's own index."""
    column = "pk" if rows.model is Activity else "activity_id"
    return list(rows.values_list(column, flat=True))


def filter_members(*, kpmi: Kpmi | None) -> QuerySet[Member]:
    qs = Member.objects.select_related("kpmi").order_by("kpmi__name", "full_name", "pk")
    return qs.filter(kpmi=kpmi) if kpmi is not None else qs


def pending_count(*, kpmi: Kpmi) -> int:
    return Activity.objects.filter(kpmi=kpmi, status=Status.PENDING).count()


def export_batch(ids: Sequence[int]) -> list[Activity]:
    """Activities with everything an export row shows, in the order of `ids`. Downloads fetch by
    id in batches: every query is a primary-key lookup, whatever the size of the tables."""
    # A correlated count per row: a Count() join would GROUP BY every column of every joined table.
    n_evidence = Evidence.objects.filter(activity=OuterRef("pk")).order_by().values("activity").annotate(n=Count("pk"))
    loaded = (
        Activity.objects.filter(pk__in=ids)
        .select_related("kpmi", "kecamatan", "desa", "created_by", *DETAIL_RELATED)
        .prefetch_related(
            _credits_prefetch(),
            Prefetch("training__trainees", queryset=Member.objects.order_by("full_name", "pk")),
        )
        .annotate(n_evidence=Coalesce(Subquery(n_evidence.values("n")), 0))
    )
    by_id = {activity.pk: activity for activity in loaded}
    return [by_id[pk] for pk in ids if pk in by_id]


def activity_detail(*, pk: int) -> Activity:
    return (
        Activity.objects.select_related("kpmi", "kecamatan", "desa", "created_by", "decided_by", *DETAIL_RELATED)
        .prefetch_related(
            _credits_prefetch(),
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk")),
            Prefetch("training__trainees", queryset=Member.objects.order_by("full_name", "pk")),
        )
        .get(pk=pk)
    )


def activity_for_permission(*, pk: int) -> Activity:
    """Just enough to decide who may act on the record."""
    return Activity.objects.select_related("kpmi").prefetch_related("credits").get(pk=pk)


# --- choices for the forms ----------------------------------------------------------------------------


def members_of(*, kpmi: Kpmi) -> QuerySet[Member]:
    return Member.objects.filter(kpmi=kpmi).select_related("kpmi").order_by("full_name", "pk")


def members_elsewhere(*, kpmi: Kpmi) -> QuerySet[Member]:
    """Members of every other group, ordered for a select grouped by KPMI."""
    return Member.objects.exclude(kpmi=kpmi).select_related("kpmi").order_by("kpmi__name", "full_name", "pk")


def trainer_choices(*, kpmi: Kpmi) -> QuerySet[Member]:
    """Trainers and above of every group, the logging group's first."""
    return (
        Member.objects.filter(level__gte=Level.TRAINER)
        .select_related("kpmi")
        .annotate(elsewhere=Case(When(kpmi=kpmi, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("elsewhere", "kpmi__name", "full_name", "pk")
    )


def grouped_choices(members: QuerySet[Member]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Choices grouped by KPMI (an <optgroup> each): a long list stays usable without JavaScript,
    and the browser's type-ahead still finds a name."""
    return [
        (kpmi_name, [(m.pk, m.full_name) for m in items])
        for kpmi_name, items in groupby(members, key=lambda m: m.kpmi.name)
    ]


# --- a member's and a group's totals ------------------------------------------------------------------


@dataclass
class TotalsTable:
    """Counts per year (rows, newest first) and kind (columns), for a template to lay out."""

    kinds: list[tuple[str, str]]
    rows: list[tuple[int, list[int], int]] = field(default_factory=list)

    @property
    def grand_total(self) -> int:
        return sum(total for _year, _counts, total in self.rows)


def totals_table(rows: Any) -> TotalsTable:
    """Shape metrics rows of (year, kind, n) into a table: the counting was done by the database."""
    kinds = list(Kind.choices)
    by_year: dict[int, dict[str, int]] = {}
    for row in rows:
        by_year.setdefault(row["year"], {})[row["kind"]] = row["n"]
    table = TotalsTable(kinds=kinds)
    for year in sorted(by_year, reverse=True):
        counts = [by_year[year].get(kind, 0) for kind, _label in kinds]
        table.rows.append((year, counts, sum(counts)))
    return table


RECENT_WORK = 10


def member_work_summary(*, member: Member) -> dict[str, Any]:
    """What a member's page shows of their work: the latest records and the totals per kind and year."""
    recent = activities_of(_rows(ActivityCredit).filter(member=member)[:RECENT_WORK])
    return {
        "recent": recent,
        "totals": totals_table(metrics.work_counts(by=("year", "kind"), member=member)),
        "has_more": len(recent) == RECENT_WORK,
    }


def kpmi_year_summary(*, kpmi: Kpmi, year: int | None = None) -> dict[str, Any]:
    year = year or timezone.localdate().year
    counts = metrics.per_kind(kpmi=kpmi, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    return {"year": year, "per_kind": [(label, counts.get(kind, 0)) for kind, label in Kind.choices]}


# --- the audit history, readable ----------------------------------------------------------------------

_EXTRA_LABELS = {
    "credited": _("Credited members"),
    "trainees": _("Trainees"),
    "evidence": _("Evidence files"),
}


def _field_meta(name: str) -> tuple[str, dict[str, str]]:
    """The label of a changed field and, for a field with choices, the labels of its values."""
    if name in _EXTRA_LABELS:
        return str(_EXTRA_LABELS[name]), {}
    for model in (Activity, *DETAIL_MODELS.values()):
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        choices = {str(k): str(v) for k, v in (model_field.choices or [])}
        return str(model_field.verbose_name), choices
    return name, {}


def _text(value: Any, choices: dict[str, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, dict):
        return str(value.get("text", value.get("id")))
    if isinstance(value, list):
        return ", ".join(_text(v, choices) for v in value)
    return choices.get(str(value), str(value))


@dataclass
class HistoryEntry:
    entry: AuditEntry
    changes: list[tuple[str, str, str]]


def activity_history(*, activity: Activity) -> list[HistoryEntry]:
    """Who changed what and when, old -> new, with field names and choice values as people read them."""
    history = []
    for entry in audit_entries_for(activity):
        changes = []
        for name, pair in (entry.changes or {}).items():
            label, choices = _field_meta(name)
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            old_text, new_text = _text(old, choices), _text(new, choices)
            if old_text != new_text:  # e.g. None -> "" when a record is logged with an empty field
                changes.append((capfirst(label), old_text, new_text))
        history.append(HistoryEntry(entry=entry, changes=changes))
    return history


# --- Interventions ----------------------------------------------------------------------------------


def tot_event_list() -> QuerySet[TotEvent]:
    return TotEvent.objects.annotate(
        proposed=Count("invitations", filter=Q(invitations__status=Invitation.Status.PROPOSED)),
        seats_taken=Count("invitations", filter=Q(invitations__status__in=Invitation.HOLDS_A_SEAT)),
    ).order_by("-date", "-pk")


def tot_candidates(event: TotEvent, *, kpmi_id: int | None = None) -> QuerySet[Member]:
    """Trainer candidates who may be proposed for a ToT: not on its list yet, and not waiting for
    another upcoming ToT (invited or accepted). Whoever declined, missed or failed an earlier ToT
    is a candidate again; the same ToT never lists anyone twice (a database constraint)."""
    waiting = Invitation.objects.filter(
        status__in=[Invitation.Status.SENT, Invitation.Status.ACCEPTED], tot_event__date__gte=timezone.localdate()
    ).values("member_id")
    rows = (
        Member.objects.filter(level=Level.TRAINER_CANDIDATE)
        .exclude(invitations__tot_event=event)
        .exclude(pk__in=waiting)
    )
    return rows.filter(kpmi_id=kpmi_id) if kpmi_id is not None else rows


def tot_places_used(event: TotEvent) -> int:
    """Seats taken plus proposals waiting to be sent: what the ToT's list fills once sent."""
    return event.invitations.filter(status__in=(Invitation.Status.PROPOSED, *Invitation.HOLDS_A_SEAT)).count()


def tot_invitations_by_kpmi(event: Any) -> list[tuple[Kpmi, list[Invitation]]]:
    """The officer's review page: every invitation of a ToT (or a collaboration programme), grouped
    by KPMI."""
    rows = event.invitations.select_related("kpmi", "member").order_by("kpmi__name", "member__full_name", "pk")
    return [(kpmi, list(group)) for kpmi, group in groupby(rows, key=lambda inv: inv.kpmi)]


def invitations_for_user(user: Any) -> QuerySet[Invitation]:
    """Invitations a user answers: their own, and those of the members of the groups they keep."""
    mine = Q(member__user=user) if user.is_authenticated else Q(pk__in=[])
    return (
        Invitation.objects.filter(mine | Q(kpmi_id__in=managed_kpmi_ids(user)))
        .exclude(status=Invitation.Status.PROPOSED)
        .select_related("tot_event", "program", "member", "kpmi")
        .order_by("-created_at", "kpmi__name", "member__full_name")
    )


def invitation_for_permission(*, pk: int) -> Invitation:
    return Invitation.objects.select_related("tot_event", "program", "member__kpmi", "member__user", "kpmi").get(pk=pk)


def unread_notification_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def projects_for_user(user: Any) -> QuerySet[VolunteerProject]:
    """Volunteer projects, those in the districts of the user's groups first (for a manager: the
    projects near their KPMI), then by start date."""
    kecamatan_ids: set[str] = set(
        Kpmi.objects.filter(pk__in=managed_kpmi_ids(user)).values_list("kecamatan_id", flat=True)
    )
    member = getattr(user, "member", None) if user.is_authenticated else None
    if member is not None:
        kecamatan_ids.add(member.kpmi.kecamatan_id)
    return (
        VolunteerProject.objects.select_related("kecamatan", "desa")
        .annotate(
            taken=Count("signups", filter=Q(signups__status__in=ProjectSignup.TAKES_A_PLACE)),
            near=Case(
                When(kecamatan_id__in=kecamatan_ids, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("near", "start_date", "pk")
    )


def project_detail(*, pk: int) -> VolunteerProject:
    return VolunteerProject.objects.select_related("kecamatan", "desa", "activity").get(pk=pk)


def project_signups(project: VolunteerProject) -> list[ProjectSignup]:
    return list(project.signups.select_related("member__kpmi", "kpmi").order_by("created_at", "pk"))


def managers_user_may_sign_up(user: Any, project: VolunteerProject) -> list[Member]:
    """Managers the user may put forward: themselves, and the managers of the groups they keep."""
    if not user.is_authenticated:
        return []
    mine = Q(user=user) | Q(kpmi_id__in=managed_kpmi_ids(user))
    return list(
        Member.objects.filter(mine, level__gte=Level.MANAGER)
        # Whoever withdrew may sign up again.
        .exclude(pk__in=project.signups.exclude(status=ProjectSignup.Status.WITHDRAWN).values("member_id"))
        .select_related("kpmi")
        .order_by("kpmi__name", "full_name")
    )


@dataclass
class InvitationHistoryRow:
    """One line of a member's invitations, as their page shows it."""

    invitation: Invitation
    answer: str
    result: str


def _invitation_answer(invitation: Invitation) -> str:
    S = Invitation.Status
    if invitation.status == S.SENT:
        return str(_("Awaiting answer"))
    if invitation.status in (S.DECLINED, S.WITHDRAWN):
        return invitation.get_status_display()
    return str(S.ACCEPTED.label)  # attended, absent, passed and failed all accepted first


def _invitation_result(invitation: Invitation, works: int) -> str:
    S = Invitation.Status
    if invitation.is_tot:
        if invitation.status == S.ATTENDED:
            return str(_("Attended, result pending"))
        if invitation.status in (S.ABSENT, S.PASSED, S.FAILED):
            return invitation.get_status_display()
        return ""
    if invitation.status == S.ACCEPTED and works:
        return ngettext("%(n)s piece of work credited", "%(n)s pieces of work credited", works) % {"n": works}
    return ""


def member_invitations(member: Member) -> list[InvitationHistoryRow]:
    """A member's invitations to a ToT or a collaboration programme, the latest event first, in one
    query: the event comes along, and the programme work credited to the member is counted by a
    subquery. Proposals nobody has sent yet are the officers' drafts, not invitations."""
    credited_work = (
        CollaborationWork.objects.filter(program=OuterRef("program_id"), activity__credits__member=member)
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Invitation.objects.filter(member=member)
        .exclude(status=Invitation.Status.PROPOSED)
        .select_related("tot_event", "program")
        .annotate(
            event_date=Coalesce("tot_event__date", "program__date"),
            works=Coalesce(Subquery(credited_work), 0),
        )
        .order_by("-event_date", "-pk")
    )
    history = []
    for invitation in rows:
        invitation.member = member  # the page has it: no query per row for permission checks
        history.append(
            InvitationHistoryRow(
                invitation=invitation,
                answer=_invitation_answer(invitation),
                result=_invitation_result(invitation, invitation.works),
            )
        )
    return history


def association_awards(*, association_code: str | None = None) -> QuerySet[AssociationAward]:
    rows = AssociationAward.objects.select_related("association", "member__kpmi").order_by("-awarded_on", "-pk")
    return rows.filter(association__code=association_code) if association_code else rows


def association_awards_of(member: Member) -> list[AssociationAward]:
    return list(member.association_awards.select_related("association").order_by("-awarded_on", "-pk"))


@dataclass
class Standing:
    rank: int
    score: int
    kpmi: Kpmi
    member: Member | None = None
    is_winner: bool = False


LEADERBOARD_SIZE = 50


def competition_leaderboard(competition: Competition) -> list[Standing]:
    """The frozen standings of a closed competition, or the live ones computed from the logged work
    (programs.metrics, the one definition of how much work) while it runs."""
    if competition.status == Competition.Status.CLOSED:
        return [
            Standing(rank=s.rank, score=s.score, kpmi=s.kpmi, member=s.member, is_winner=s.is_winner)
            for s in competition.standings.select_related("kpmi", "member")
        ]
    return live_standings(competition)


def live_standings(competition: Competition, limit: int = LEADERBOARD_SIZE) -> list[Standing]:
    period = competition.period
    filters = {"kinds": [competition.kind], "start": period.start, "end": period.end, "measure": competition.measure}
    if competition.entrants == Competition.Entrants.KPMI:
        rows = list(metrics.work_scores(by=("kpmi",), **filters).order_by("-n", "kpmi_id")[:limit])
        groups = Kpmi.objects.in_bulk([r["kpmi_id"] for r in rows])
        board = [(r["n"], groups[r["kpmi_id"]], None) for r in rows]
    else:
        # Only managers (and pioneers) compete: candidates and trainers credited on work do not.
        managers = Member.objects.filter(level__gte=Level.MANAGER).values("pk")
        rows = list(
            metrics.work_scores(by=("member",), **filters)
            .filter(member_id__in=managers)
            .order_by("-n", "member_id")[:limit]
        )
        people = Member.objects.select_related("kpmi").in_bulk([r["member_id"] for r in rows])
        board = [(r["n"], people[r["member_id"]].kpmi, people[r["member_id"]]) for r in rows]
    standings: list[Standing] = []
    for index, (score, kpmi, member) in enumerate(board):
        # Equal scores share a rank (1, 2, 2, 4).
        rank = standings[-1].rank if standings and standings[-1].score == score else index + 1
        standings.append(Standing(rank=rank, score=score, kpmi=kpmi, member=member))
    return standings


def competitions_list() -> QuerySet[Competition]:
    return Competition.objects.select_related("period").order_by("-created_at", "-pk")


def collaboration_participants(program: CollaborationProgram) -> list[Member]:
    """The managers taking part: those whose invitation is accepted, in the order they accepted
    (the first one's group holds the officer's records of the joint work)."""
    return [
        invitation.member
        for invitation in program.invitations.filter(status=Invitation.Status.ACCEPTED)
        .select_related("member__kpmi")
        .order_by("answered_at", "pk")
    ]


def collaboration_works(program: CollaborationProgram) -> list[Activity]:
    """The programme's logged work, oldest first, with what its list shows."""
    return [
        work.activity
        for work in program.works.select_related("activity__kpmi", "activity__educationsession").order_by(
            "activity__date", "pk"
        )
    ]


def collaboration_list() -> QuerySet[CollaborationProgram]:
    return CollaborationProgram.objects.select_related("period").annotate(
        proposed=Count("invitations", filter=Q(invitations__status=Invitation.Status.PROPOSED)),
        accepted=Count("invitations", filter=Q(invitations__status=Invitation.Status.ACCEPTED)),
    )
