"""Reads for award rounds. The shortlist's ranking is computed by the database (one GROUP BY query per
category, see category_ranking); pages read stored finalists and awards in a fixed number of queries.

Scoring rule (shown on the round's pages, see templates/awards/_rule.html):
- score = the count of the category's achievement in the round's year (awards.achievements says
  what is counted and how); a finalist needs at least the category's minimum count (never less than
  1), and, when the category sets one, at least its minimum increase over the year before;
- "raising" is the change against the year before (score - previous year's count): it breaks ties
  between equal scores first, the higher increase ranking higher;
- then the longer-serving candidate ranks higher: a member's earlier join date, a supervisor's
  earlier "since" date on their role (unknown dates last); then the lower id, so the order is total
  and a rebuild on the same data gives the same shortlist.
Members compete at their level at the end of the round's year (from the level history), so a member
promoted in January after the year still competes with that year's peers. Supervisors (pembina:
KpmiRole SUPERVISOR, active users, role since before the year's end and not ended before it began)
are scored by what their KPMI achieved; a supervisor of several KPMI competes once, with the best of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.urls import reverse

from kpmi_si.audit.labels import action_label
from kpmi_si.audit.models import AuditEntry
from members.models import Kpmi, KpmiRole, LevelChange, Member
from programs.models import AssociationAward

from .achievements import Counting, count_for
from .models import Award, AwardCategory, AwardRound, Finalist, JuryMember, ShortlistBuild, Vote

# --- the shortlist --------------------------------------------------------------------------------------


def year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass(frozen=True)
class Ranked:
    """One place of a category's ranking, as the shortlist job stores it."""

    rank: int
    member_id: int | None
    supervisor_id: int | None
    kpmi_id: int
    score: int
    previous: int


def _counted(counting: Counting, category: AwardCategory, year: int) -> tuple[str, list[Any]]:
    """The counting query of awards.achievements (logged work: programs.metrics.work_counts) over the
    round's year and the year before, grouped by subject into one row each: `subject`, `score`
    (this year), `previous` (the year before); only subjects that reach the category's minimums."""
    start, end = year_span(year)
    previous_start, _previous_end = year_span(year - 1)
    date = counting.date_field
    # Counting the (never null) date rather than the id: the counting indexes hold the date, so the
    # database reads the index alone, not the table (COUNT(*) takes no FILTER in Django).
    rows = (
        counting.counts(previous_start, end)
        .annotate(
            score=Count(date, filter=Q(**{f"{date}__gte": start})),
            previous=Count(date, filter=Q(**{f"{date}__lt": start})),
        )
        .filter(score__gte=category.min_count)
    )
    if category.min_increase is not None:
        rows = rows.annotate(delta=F("score") - F("previous")).filter(delta__gte=category.min_increase)
    sql, params = rows.values(subject=F(counting.key), score=F("score"), previous=F("previous")).query.sql_with_params()
    return sql, list(params)


def _quoted(model: type[Any]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# The counting is grouped first (one pass over the year's rows), then the few thousand subjects are
# joined to the people they name. The ORM can only join the people first, once per counted row: at
# the Garut scale that made each category several times slower, hence this small SQL around the
# ORM's own counting query.
MEMBER_RANKING = """
SELECT c.subject, m.kpmi_id, c.score, c.previous
FROM ({counted}) c
JOIN {member} m ON m.id = c.subject
WHERE (
    SELECT lc.to_level FROM {levelchange} lc
    WHERE lc.member_id = m.id AND lc.effective_on <= %s
    ORDER BY lc.effective_on DESC, lc.recorded_at DESC, lc.id DESC
    LIMIT 1
) = %s
ORDER BY c.score DESC, c.score - c.previous DESC, m.joined_on, m.id
LIMIT %s
"""

# A supervisor of several KPMI competes once, with the best of them (ties: the lower KPMI id).
SUPERVISOR_RANKING = """
SELECT user_id, kpmi_id, score, previous FROM (
    SELECT r.user_id, r.kpmi_id, r.since, c.score, c.previous, ROW_NUMBER() OVER (
        PARTITION BY r.user_id
        ORDER BY c.score DESC, c.score - c.previous DESC, r.since IS NULL, r.since, r.kpmi_id
    ) AS best
    FROM ({counted}) c
    JOIN {role} r ON r.kpmi_id = c.subject
    JOIN {user} u ON u.id = r.user_id
    WHERE r.role = %s AND u.is_active AND (r.since IS NULL OR r.since <= %s) AND (r.until IS NULL OR r.until >= %s)
) ranked
WHERE best = 1
ORDER BY score DESC, score - previous DESC, since IS NULL, since, user_id
LIMIT %s
"""


def category_ranking(category: AwardCategory) -> list[Ranked]:
    """The category's finalists, best first, computed in the database from the logged data of the
    round's year and the year before (see the module's scoring rule): one query per category."""
    counting = count_for(category.achievement, supervisor=category.is_supervisor)
    year = category.round.year
    start, end = year_span(year)
    counted, params = _counted(counting, category, year)
    if category.is_supervisor:
        sql = SUPERVISOR_RANKING.format(counted=counted, role=_quoted(KpmiRole), user=_quoted(get_user_model()))
        params += [KpmiRole.Role.SUPERVISOR, end, start, category.finalists_count]
    else:
        sql = MEMBER_RANKING.format(counted=counted, member=_quoted(Member), levelchange=_quoted(LevelChange))
        params += [end, category.level, category.finalists_count]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Ranked(
            rank=rank,
            member_id=None if category.is_supervisor else subject_id,
            supervisor_id=subject_id if category.is_supervisor else None,
            kpmi_id=kpmi_id,
            score=score,
            previous=previous,
        )
        for rank, (subject_id, kpmi_id, score, previous) in enumerate(rows, start=1)
    ]


@dataclass(frozen=True)
class FinalistRecords:
    rule: Any
    template: str
    this_year: QuerySet
    previous_year: QuerySet


def finalist_records(finalist: Finalist) -> FinalistRecords:
    """The records behind a finalist's score and previous-year count: the very rows the ranking
    counts (today's data; the stored numbers are those of the last shortlist build)."""
    category = finalist.category
    counting = count_for(category.achievement, supervisor=category.is_supervisor)
    subject = finalist.kpmi if category.is_supervisor else finalist.member
    year = category.round.year
    return FinalistRecords(
        rule=counting.rule,
        template=counting.records_template,
        this_year=counting.records(subject, *year_span(year)),
        previous_year=counting.records(subject, *year_span(year - 1)),
    )


def rules_of(categories: Iterable[AwardCategory]) -> list[tuple[str, Any]]:
    """What each category counts, for the pages that explain the scores."""
    return [(c.label, count_for(c.achievement, supervisor=c.is_supervisor).rule) for c in categories]


def categories_of(*, round: AwardRound) -> QuerySet[AwardCategory]:
    return round.categories.order_by("position", "pk")


@dataclass(frozen=True)
class TrailLine:
    """One line of a round's history: who did what, when, to which category, old -> new."""

    at: dt.datetime
    actor: Any
    action: str
    label: str
    category: str
    old: str
    new: str
    note: str


def _status_label(value: Any) -> str:
    return str(AwardRound.Status(value).label) if value in AwardRound.Status.values else str(value or "")


def _names(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value or "")


def _old_new(changes: dict[str, Any]) -> tuple[str, str]:
    """The change worth a line on the page: the status, the winners, or the jury seat."""
    for key, show in (("status", _status_label), ("winners", _names), ("jury", _names)):
        pair = changes.get(key)
        if isinstance(pair, list) and len(pair) == 2:
            return show(pair[0]), show(pair[1])
    return "", ""


def round_trail(*, round: AwardRound, categories: Iterable[AwardCategory], limit: int = 30) -> list[TrailLine]:
    """The round's audit trail: its transitions, categories and jury, and the decisions on its
    categories (which category, winners before -> after, overrides with their reasons)."""
    categories = list(categories)
    labels = {str(c.pk): c.label for c in categories}
    types = ContentType.objects.get_for_models(AwardRound, AwardCategory)
    condition = Q(target_type=types[AwardRound], target_id=str(round.pk)) | Q(
        target_type=types[AwardCategory], target_id__in=list(labels)
    )
    entries = AuditEntry.objects.filter(condition).select_related("actor").order_by("-at", "-pk")[:limit]
    lines = []
    for entry in entries:
        old, new = _old_new(entry.changes or {})
        is_category = entry.target_type_id == types[AwardCategory].pk
        lines.append(
            TrailLine(
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                label=action_label(entry.action),
                category=labels.get(entry.target_id, entry.target_repr) if is_category else "",
                old=old,
                new=new,
                note=entry.note,
            )
        )
    return lines


# --- rounds, shortlists, tally ----------------------------------------------------------------------


def rounds() -> QuerySet[AwardRound]:
    return AwardRound.objects.annotate(
        n_categories=Count("categories", distinct=True), n_awards=Count("awards", distinct=True)
    ).order_by("-year")


def latest_build(*, round: AwardRound) -> ShortlistBuild | None:
    return (
        ShortlistBuild.objects.filter(round=round).select_related("requested_by").order_by("-created_at", "-pk").first()
    )


def _finalists() -> QuerySet[Finalist]:
    return Finalist.objects.select_related("member", "supervisor", "kpmi", "kpmi__kecamatan")


def with_tally(qs: QuerySet[Finalist]) -> QuerySet[Finalist]:
    return qs.annotate(n_votes=Count("votes"), avg_score=Avg("votes__score"))


TALLY_ORDER = (F("avg_score").desc(nulls_last=True), F("n_votes").desc(), "rank")


def undecided_without_finalists(categories: Iterable[AwardCategory]) -> list[AwardCategory]:
    """Of categories from round_shortlist(), those nobody reached and nobody decided yet: the ones
    services.categories_decide_empty closes with one reason."""
    return [category for category in categories if not category.shortlist and not category.is_decided]


def round_shortlist(*, round: AwardRound, tally: bool = False) -> list[AwardCategory]:
    """The round's categories, each with its finalists (`shortlist`, by rank) — and, with tally, each
    finalist's number of votes and average score. Two queries whatever the size."""
    finalists = _finalists().order_by("rank")
    if tally:
        finalists = with_tally(finalists)
    return list(
        round.categories.order_by("position", "pk").prefetch_related(
            Prefetch("finalists", queryset=finalists, to_attr="shortlist")
        )
    )


def category_tally(category: AwardCategory, *, with_votes: bool = False) -> list[Finalist]:
    """A category's finalists in the jury's order: highest average score first, then more votes,
    then the shortlist's rank (so without votes the tally follows the shortlist)."""
    qs = with_tally(_finalists().filter(category=category)).order_by(*TALLY_ORDER)
    if with_votes:
        qs = qs.prefetch_related(
            Prefetch("votes", queryset=Vote.objects.select_related("jury_member__user").order_by("created_at"))
        )
    return list(qs)


def suggested_winner_ids(tally: list[Finalist], winners_count: int) -> list[int]:
    return [f.pk for f in tally[:winners_count]]


def finalist_detail(*, pk: int) -> Finalist:
    return _finalists().select_related("category", "category__round").get(pk=pk)


def jury_of(*, round: AwardRound) -> QuerySet[JuryMember]:
    return (
        JuryMember.objects.filter(round=round)
        .select_related("user")
        .prefetch_related(Prefetch("categories", queryset=AwardCategory.objects.order_by("position", "pk")))
        .annotate(n_votes=Count("votes"))
        .order_by("user__username")
    )


def jury_seats(*, user: Any) -> QuerySet[JuryMember]:
    return (
        JuryMember.objects.filter(user=user)
        .select_related("round")
        .prefetch_related(Prefetch("categories", queryset=AwardCategory.objects.order_by("position", "pk")))
        .order_by("-round__year")
    )


def seat_finalists(*, seat: JuryMember) -> list[AwardCategory]:
    """The categories a jury member reviews, each with its finalists and the member's own vote."""
    own_votes = Vote.objects.filter(jury_member=seat)
    return list(
        seat.categories.order_by("position", "pk").prefetch_related(
            Prefetch(
                "finalists",
                queryset=_finalists()
                .order_by("rank")
                .prefetch_related(Prefetch("votes", queryset=own_votes, to_attr="my_votes")),
                to_attr="shortlist",
            )
        )
    )


# --- public: winners, certificates ------------------------------------------------------------------


def published_rounds() -> QuerySet[AwardRound]:
    return AwardRound.objects.filter(status=AwardRound.Status.PUBLISHED).order_by("-year")


def _awards() -> QuerySet[Award]:
    return Award.objects.select_related(
        "round",
        "category",
        "finalist",
        "finalist__member",
        "finalist__supervisor",
        "finalist__kpmi",
        "finalist__kpmi__kecamatan",
    )


def published_awards(*, round: AwardRound, filters: dict[str, Any] | None = None) -> QuerySet[Award]:
    from .filters import AwardFilter

    qs = _awards().filter(round=round, round__status=AwardRound.Status.PUBLISHED)
    return AwardFilter(filters, queryset=qs).qs.order_by("category__position", "category_id", "place")


def award_detail(*, pk: int) -> Award:
    return _awards().get(pk=pk)


def round_awards(*, round: AwardRound) -> QuerySet[Award]:
    return _awards().filter(round=round).order_by("category__position", "category_id", "place")


CODE_RE = re.compile(r"[^0-9A-Za-z]")


def normalise_code(raw: str) -> str:
    """Codes are printed in groups of four (ABCD-EFGH-...); people type them with or without the
    dashes, in any case."""
    return CODE_RE.sub("", raw or "").upper()


def award_by_code(code: str, *, published_only: bool = True) -> Award | None:
    code = normalise_code(code)
    if not code:
        return None
    qs = _awards().filter(code=code)
    if published_only:
        qs = qs.filter(round__status=AwardRound.Status.PUBLISHED)
    return qs.first()


# --- awards received, for the member and KPMI pages ---------------------------------------------------


@dataclass(frozen=True)
class AwardEntry:
    """An award received, whoever gave it. The member and KPMI pages list these.

    `public` says whether the award was published with the recipient's name (KOMTIK's winners page);
    an association's award was not, so public pages show it without the name (members' personal data
    stays with those who may see the member list)."""

    year: int
    title: str
    given_by: str
    recipient: str
    kpmi_name: str
    place: int | None = None
    url: str = ""
    certificate_url: str = ""
    awarded_on: dt.date | None = None
    note: str = ""
    public: bool = True


def _entry(award: Award) -> AwardEntry:
    return AwardEntry(
        year=award.round.year,
        title=award.category.label,
        given_by="KOMTIK Garut",
        recipient=award.finalist.name,
        kpmi_name=award.finalist.kpmi.name,
        place=award.place,
        url=reverse("awards:year", args=[award.round.year]),
        certificate_url=reverse("awards:certificate", args=[award.code_display]),
    )


def _round_awards_for_member(member: Member) -> Iterable[AwardEntry]:
    condition = Q(finalist__member=member)
    if member.user_id:
        condition |= Q(finalist__supervisor_id=member.user_id)
    qs = _awards().filter(condition, round__status=AwardRound.Status.PUBLISHED)
    return [_entry(award) for award in qs]


def _round_awards_for_kpmi(kpmi: Kpmi) -> Iterable[AwardEntry]:
    qs = _awards().filter(finalist__kpmi=kpmi, round__status=AwardRound.Status.PUBLISHED)
    return [_entry(award) for award in qs]


def _association_entry(award: AssociationAward) -> AwardEntry:
    return AwardEntry(
        year=award.awarded_on.year,
        title=award.name,
        given_by=award.association.name,
        recipient=award.member.full_name,
        kpmi_name=award.member.kpmi.name,
        awarded_on=award.awarded_on,
        note=award.reason,
        public=False,
    )


def _association_awards() -> QuerySet[AssociationAward]:
    return AssociationAward.objects.select_related("association", "member", "member__kpmi").order_by(
        "-awarded_on", "-pk"
    )


def _association_awards_for_member(member: Member) -> Iterable[AwardEntry]:
    return [_association_entry(award) for award in _association_awards().filter(member=member)]


def _association_awards_for_kpmi(kpmi: Kpmi) -> Iterable[AwardEntry]:
    # AssociationAward names no KPMI: it counts for the group the member belongs to now.
    return [_association_entry(award) for award in _association_awards().filter(member__kpmi=kpmi)]


# Where awards come from: KOMTIK's annual rounds, then the associations' awards (programs app). A new
# kind of award appends its source function to each list (one query each), and the pages list them all.
MEMBER_AWARD_SOURCES: list[Callable[[Member], Iterable[AwardEntry]]] = [
    _round_awards_for_member,
    _association_awards_for_member,
]
KPMI_AWARD_SOURCES: list[Callable[[Kpmi], Iterable[AwardEntry]]] = [
    _round_awards_for_kpmi,
    _association_awards_for_kpmi,
]


def _sorted(entries: Iterable[AwardEntry]) -> list[AwardEntry]:
    # Newest year first. Stable: within a year the sources keep their order (KOMTIK's annual awards
    # first) and each source its own (categories and places; the latest association award first).
    return sorted(entries, key=lambda e: -e.year)


def awards_for_member(member: Member) -> list[AwardEntry]:
    """Every award a member received across the years: KOMTIK's published annual awards (as a member,
    or as a supervisor when their login supervises a KPMI) and their associations' awards, newest first."""
    return _sorted(entry for source in MEMBER_AWARD_SOURCES for entry in source(member))


def awards_for_kpmi(kpmi: Kpmi) -> list[AwardEntry]:
    """Every award received by the KPMI's members and supervisors for their work with it: KOMTIK's
    published annual awards and the associations' awards to its members, newest first."""
    return _sorted(entry for source in KPMI_AWARD_SOURCES for entry in source(kpmi))
