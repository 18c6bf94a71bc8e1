"""One small Garut with a record of every kind, for the tests that walk every URL of the site (the
permission matrix and the fuzzed forms). Built once per module through the services, like the users
would build it; the tests run each request in a savepoint and roll it back, so the world stays as
built.

Every object a URL can name exists twice where the site draws a line between owners: once in KPMI A
(or the Communities association, or the award round in review) and once on the other side of the line.
Members carry personal data no public page may show (see PERSONAL)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kpmi_si.privacy.models import ReviewFlag
from members.models import KpmiRole, Level, Member
from tests import factories
from tests.programs.factories import make_activity, photo

# The fixed cast of the matrix, in the order its report lists them.
ROLES = (
    "anonymous",
    "member",
    "manager_a",
    "manager_b",
    "supervisor_a",
    "officer_communities",
    "officer_users",
    "officer_platform",
    "officer_entrepreneurs",
    "jury",
    "admin",
)
OFFICERS = ("officer_communities", "officer_users", "officer_platform", "officer_entrepreneurs")

# Personal data that must never reach an anonymous visitor: distinctive enough that a match in a page
# can only be a leak (no other number on a page looks like these).
_serial = itertools.count(1)


def _personal() -> dict[str, Any]:
    n = next(_serial) % 60 + 1  # birth years 1931-1990, whichever module builds the world
    return {
        "phone": f"0877 9{n:03d} 4321",
        "email": f"rahasia.pribadi{n:03d}@surel-anggota.example",
        "birth_year": 1930 + n,
    }


def personal_data_of(members: list[Member]) -> list[str]:
    values = []
    for member in members:
        values += [member.phone, member.email, str(member.birth_year)]
    return values


def _member(kpmi, level: int, full_name: str, **kwargs: Any) -> Member:
    return factories.MemberFactory(kpmi=kpmi, level=level, full_name=full_name, **_personal(), **kwargs)


def build_world() -> SimpleNamespace:
    from associations import services as association_services
    from associations.models import Association, Evaluation, Target, TargetResult
    from awards import selectors as award_selectors
    from awards import services as award_services
    from awards.models import Achievement, AwardCategory, Finalist, ShortlistBuild, Subject
    from kpmi_si.notifications.models import Notification
    from kpmi_si.notifications.services import notification_send
    from programs import services as program_services
    from programs.models import Kind
    from programs.services.invitations import _propose

    w = SimpleNamespace()
    today = timezone.localdate()
    w.today = today
    w.kpmi_a = factories.KpmiFactory(name="KPMI Alfa", kecamatan=factories.kecamatan("Tarogong Kidul"))
    w.kpmi_b = factories.KpmiFactory(name="KPMI Beta", kecamatan=factories.kecamatan("Cibatu"))

    # --- the cast -----------------------------------------------------------------------------------
    w.admin = factories.UserFactory(username="admin", is_superuser=True, is_staff=True)
    for code in ("communities", "users", "platform", "entrepreneurs"):
        setattr(w, f"officer_{code}", factories.make_officer(code))
    w.manager_a = factories.make_keeper(w.kpmi_a, KpmiRole.Role.MANAGER, username="manager_a", **_personal())
    w.supervisor_a = factories.make_keeper(w.kpmi_a, KpmiRole.Role.SUPERVISOR, username="supervisor_a")
    w.manager_b = factories.make_keeper(w.kpmi_b, KpmiRole.Role.MANAGER, username="manager_b", **_personal())
    w.member = factories.UserFactory(username="member_a")
    w.member_a = _member(w.kpmi_a, Level.TRAINER, "Euis Anggota", user=w.member)
    w.jury = factories.UserFactory(username="juri_satu", first_name="Juri")
    w.jury_other = factories.UserFactory(username="juri_dua", first_name="Juri Lain")
    w.anonymous = None

    w.manager_member_a = w.manager_a.member
    w.manager_member_b = w.manager_b.member
    w.trainer_b = _member(w.kpmi_b, Level.TRAINER, "Ujang Pelatih")
    w.candidate_a = _member(w.kpmi_a, Level.TRAINER_CANDIDATE, "Dede Calon")
    w.candidate_a2 = _member(w.kpmi_a, Level.TRAINER_CANDIDATE, "Dian Calon")
    w.candidate_b = _member(w.kpmi_b, Level.TRAINER_CANDIDATE, "Cecep Calon")
    # Managers without a login, whom their group's keepers sign up for a project.
    w.manager2_a = _member(w.kpmi_a, Level.MANAGER, "Asep Pengelola")
    w.manager2_b = _member(w.kpmi_b, Level.MANAGER, "Budi Pengelola")
    w.members = list(Member.objects.all())

    # --- a period, targets and their evaluation ------------------------------------------------------
    communities = Association.objects.get(code="communities")
    users = Association.objects.get(code="users")
    w.period = association_services.period_open_year(actor=w.admin, year=today.year)
    association_services.target_set(
        actor=w.officer_communities, period=w.period, association=communities, metric="new_members", value=2
    )
    w.target_communities = association_services.target_set(
        actor=w.officer_communities,
        period=w.period,
        association=communities,
        metric="new_members",
        value=5,
        kpmi=w.kpmi_a,
    )
    association_services.target_set(
        actor=w.officer_users, period=w.period, association=users, metric="publications", value=3
    )
    w.target_users = association_services.target_set(
        actor=w.officer_users,
        period=w.period,
        association=users,
        metric="publications",
        value=4,
        member=w.manager_member_b,
    )
    evaluation, _created = association_services.evaluation_create(actor=None, period=w.period)
    association_services.period_evaluate(evaluation_id=evaluation.pk)
    w.evaluation = Evaluation.objects.get(pk=evaluation.pk)
    w.result_communities = TargetResult.objects.filter(association=communities, kpmi=w.kpmi_a).first()
    w.result_users = TargetResult.objects.filter(association=users, member=w.manager_member_b).first()
    assert isinstance(w.target_communities, Target) and w.result_communities and w.result_users

    # --- logged work with evidence: a member's own record waiting in A, a keeper's record in B ------
    recent = today - dt.timedelta(days=3)

    def publication(title: str) -> dict[str, Any]:
        return {
            "title": title,
            "date": recent,
            "kecamatan": None,
            "desa": None,
            "summary": "",
            "evidence_url": "",
            "channel": "website",
            "link": "https://desa.example.id/berita/1",
        }

    data_a = {**publication("Berita desa Alfa"), "kecamatan": w.kpmi_a.kecamatan}
    w.activity_a = program_services.activity_log(
        actor=w.member,
        kind=Kind.PUBLICATION,
        kpmi=w.kpmi_a,
        data=data_a,
        credited=[w.member_a],
        files=[photo(size=(40, 30))],
    )
    data_b = {**publication("Berita desa Beta"), "kecamatan": w.kpmi_b.kecamatan}
    w.activity_b = program_services.activity_log(
        actor=w.manager_b,
        kind=Kind.PUBLICATION,
        kpmi=w.kpmi_b,
        data=data_b,
        credited=[w.manager_member_b],
        files=[photo(size=(40, 30))],
    )
    w.evidence_a = w.activity_a.evidence.get()
    w.evidence_b = w.activity_b.evidence.get()

    # --- the central ToT: one invitation sent to a candidate of each group ---------------------------
    w.tot = program_services.tot_event_create(
        actor=w.officer_communities, name="ToT Pusat", date=today + dt.timedelta(days=30), capacity=10
    )
    w.invitation_a = program_services.invitation_propose(actor=w.officer_communities, event=w.tot, member=w.candidate_a)
    w.invitation_b = program_services.invitation_propose(actor=w.officer_communities, event=w.tot, member=w.candidate_b)
    program_services.invitations_send(
        actor=w.officer_communities, event=w.tot, invitation_ids=[w.invitation_a.pk, w.invitation_b.pk]
    )

    # --- collaboration programmes: A's manager takes part in one, B's manager in the other ----------
    def programme(name: str, member: Member, keeper) -> Any:
        program = program_services.collaboration_create(
            actor=w.officer_users,
            name=name,
            theme="Literasi digital",
            date=today + dt.timedelta(days=20),
            venue="Aula KOMTIK",
            period=w.period,
            threshold=3,
        )
        _propose(program, member.kpmi_id, [member.pk], w.evaluation)
        invitation = program.invitations.get()
        program_services.invitations_send(actor=w.officer_users, event=program, invitation_ids=[invitation.pk])
        invitation.refresh_from_db()
        program_services.invitation_accept(actor=keeper, invitation=invitation)
        return program, invitation

    w.collaboration_a, w.collab_invitation_a = programme("Kolaborasi Alfa", w.manager_member_a, w.manager_a)
    w.collaboration_b, w.collab_invitation_b = programme("Kolaborasi Beta", w.manager_member_b, w.manager_b)

    # --- a volunteer project with a sign-up from each group, a competition, an association award ----
    w.project = program_services.project_publish(
        actor=w.officer_platform,
        data={
            "title": "Jaringan SDN 2",
            "deployment_kind": "network",
            "site_type": "school",
            "site_name": "SDN 2 Cibatu",
            "kecamatan": w.kpmi_b.kecamatan,
            "desa": None,
            "needs": "Kabel dan router.",
            "start_date": today + dt.timedelta(days=10),
            "end_date": today + dt.timedelta(days=12),
            "team_size": 3,
        },
    )
    w.signup_a = program_services.project_sign_up(actor=w.manager_a, project=w.project, member=w.manager_member_a)
    w.signup_b = program_services.project_sign_up(actor=w.manager_b, project=w.project, member=w.manager_member_b)
    w.competition = program_services.competition_create(
        actor=w.officer_users, title="Lomba Terbitan", period=w.period, kind="publication", entrants="managers"
    )
    w.association_award = program_services.association_award_grant(
        actor=w.officer_platform,
        association=Association.objects.get(code="platform"),
        member=w.manager_member_a,
        name="Relawan Penerapan TIK",
        reason="Jaringan sekolah.",
        awarded_on=recent,
    )

    # --- notifications: one for the member, one for B's manager --------------------------------------
    notification_send(recipient=w.member, message=lambda: "Catatan Anda disetujui.", link="/kegiatan/")
    notification_send(recipient=w.manager_b, message=lambda: "Undangan baru.", link="/undangan/")
    w.notification_member = Notification.objects.filter(recipient=w.member).latest("pk")
    w.notification_b = Notification.objects.filter(recipient=w.manager_b).latest("pk")

    # --- awards: two years ago published (with certificates), last year in the jury's review --------
    published_year, review_year = today.year - 2, today.year - 1
    for year in (published_year, review_year):
        for member, months in ((w.manager_member_a, (1, 2, 3)), (w.manager_member_b, (4, 5))):
            for month in months:
                make_activity(kpmi=member.kpmi, credited=[member], date=dt.date(year, month, 10))
    spec = award_services.CategorySpec(Subject.MANAGER, Achievement.PUBLICATIONS, finalists_count=2)

    def shortlisted(year: int):
        round = award_services.award_round_open(actor=w.admin, year=year, categories=[spec])
        build, _created = award_services.shortlist_create(actor=w.admin, round=round)
        award_services.shortlist_build(build_id=build.pk)
        round.refresh_from_db()
        return round, AwardCategory.objects.get(round=round)

    w.round_published, w.category_published = shortlisted(published_year)
    w.seat_published = award_services.jury_member_set(
        actor=w.admin, round=w.round_published, user=w.jury_other, categories=[w.category_published]
    )
    award_services.award_round_start_review(actor=w.admin, round=w.round_published)
    tally = award_selectors.category_tally(w.category_published)
    winners = [f for f in tally if f.pk in award_selectors.suggested_winner_ids(tally, 1)]
    award_services.category_decide(actor=w.admin, category=w.category_published, winners=winners)
    award_services.award_round_finalise(actor=w.admin, round=w.round_published)
    w.round_published = award_services.award_round_publish(actor=w.admin, round=w.round_published)
    w.award = w.round_published.awards.get()

    w.round_review, w.category_review = shortlisted(review_year)
    w.seat_review = award_services.jury_member_set(
        actor=w.admin, round=w.round_review, user=w.jury, categories=[w.category_review]
    )
    w.round_review = award_services.award_round_start_review(actor=w.admin, round=w.round_review)
    w.finalist_review = Finalist.objects.filter(category=w.category_review).order_by("rank").first()
    w.finalist_published = Finalist.objects.filter(category=w.category_published).order_by("rank").first()
    w.build_review = ShortlistBuild.objects.get(round=w.round_review)
    w.build_published = ShortlistBuild.objects.get(round=w.round_published)
    # This year's round, still a draft: the one whose categories and jury the admin may still change.
    w.round_draft = award_services.award_round_open(actor=w.admin, year=today.year, categories=[spec])
    w.category_draft = AwardCategory.objects.get(round=w.round_draft)
    # A free text the admin is asked to review after an anonymisation (kpmi_si.privacy).
    w.review_flag = ReviewFlag.objects.create(
        member=w.member_a,
        content_type=ContentType.objects.get_for_model(w.activity_a),
        object_id=str(w.activity_a.pk),
        field="title",
    )

    # --- entrepreneurship: catalogue and orders (orders) ---------------------------------------------
    from decimal import Decimal

    from entrepreneurship.services import catalogue as catalogue_services
    from entrepreneurship.services import orders as order_services

    # KOMTIK's own template (the seeded ones may have been flushed by a transactional test), adopted by
    # both groups, and a second one neither has adopted yet.
    w.template = catalogue_services.template_create(
        actor=w.admin,
        data={
            "name": "Pelatihan perawatan komputer",
            "unit": "participant",
            "work_kind": "training",
            "suggested_price": Decimal("150000"),
            "is_active": True,
        },
    )
    w.template_rule = catalogue_services.rule_add(
        actor=w.admin, template=w.template, client_level=Level.TRAINER_CANDIDATE
    )
    w.template2 = catalogue_services.template_create(
        actor=w.admin,
        data={"name": "Servis ponsel", "unit": "item", "suggested_price": Decimal("50000"), "is_active": True},
    )
    for side, keeper in (("a", w.manager_a), ("b", w.manager_b)):
        group = getattr(w, f"kpmi_{side}")
        service = catalogue_services.service_adopt(
            actor=keeper,
            kpmi=group,
            template=w.template,
            data={"name": "Pelatihan perawatan komputer", "unit": "participant", "price": Decimal("150000")},
        )
        client = order_services.client_create(
            actor=keeper,
            kpmi=group,
            data={"name": f"SDN 1 {group.kecamatan}", "category": "school", "kecamatan": group.kecamatan},
        )
        setattr(w, f"service_{side}", service)
        setattr(w, f"rule_{side}", service.rules.get())
        setattr(w, f"client_{side}", client)
        setattr(
            w,
            f"order_{side}",
            order_services.order_create(
                actor=keeper, kpmi=group, service=service, quantity=2, date=recent, client=client
            ),
        )

    # --- entrepreneurship (ledger part): a pioneer's business and a posting on each side ----------------
    from entrepreneurship.models import Category
    from entrepreneurship.services import businesses as business_services
    from entrepreneurship.services.ledger import posting_record

    last_month = business_services.previous_month(today)
    # Not through _member(): its counter gives the birth years that the matrix looks for in anonymous
    # pages (a certificate PDF's byte offsets among them); two more draws would shift every later world's.
    w.pioneer_a = factories.MemberFactory(kpmi=w.kpmi_a, level=Level.PIONEER, full_name="Asep Perintis")
    w.pioneer_b = factories.MemberFactory(kpmi=w.kpmi_b, level=Level.PIONEER, full_name="Ujang Perintis")
    for side, keeper in (("a", w.manager_a), ("b", w.manager_b)):
        kpmi = getattr(w, f"kpmi_{side}")
        business = business_services.business_register(
            actor=keeper,
            kpmi=kpmi,
            owner=getattr(w, f"pioneer_{side}"),
            name=f"Servis Komputer {side.upper()}",
            kind="repair",
            started_on=last_month,
            pledged_share=20,
        )
        business_services.business_entry_record(
            actor=keeper, business=business, date=last_month, kind="income", amount=150000, description="Servis"
        )
        setattr(w, f"business_{side}", business)
        posting = posting_record(
            actor=keeper, kpmi=kpmi, date=today, category=Category.RENT, amount=250000, description="Sewa"
        )
        setattr(w, f"posting_{side}", posting)
    w.last_month = last_month
    _build_newsroom(w)
    _build_sales(w)
    _build_buyers_api(w)
    _build_accounts(w)
    return w


def _build_newsroom(w: SimpleNamespace) -> None:
    """Garut Citizen Journalism (#13): the Entrepreneurs' officer is a whole-site editor (the admin is
    one by office); member_a's articles in each state, and one by B's manager waiting for review."""
    from citizen_journalism import services as news_services
    from citizen_journalism.models import Category, EditorRole

    EditorRole.objects.create(user=w.officer_entrepreneurs)
    w.news_category = Category.objects.get_or_create(slug="teknologi", defaults={"name": "Teknologi & TIK"})[0]

    def news(title: str, user, kpmi, *, submit: bool = True, with_photo: bool = False):
        photos = [news_services.PhotoUpload(upload=photo(size=(40, 30)), caption="Foto", credit="Euis")]
        data = {
            "title": title,
            "lead": "Teras berita.",
            "body": "Isi berita.",
            "category": w.news_category,
            "kecamatan": kpmi.kecamatan,
            "desa": None,
            "tags": "desa",
            "note": "",
        }
        return news_services.article_write(actor=user, data=data, submit=submit, photos=photos if with_photo else [])

    w.article_draft = news("Draf berita Alfa", w.member, w.kpmi_a, submit=False)
    w.article_submitted = news("Berita Alfa menunggu", w.member, w.kpmi_a, with_photo=True)
    w.article_published = news_services.article_approve(
        actor=w.officer_entrepreneurs, article=news("Berita Alfa terbit", w.member, w.kpmi_a, with_photo=True)
    )
    w.article_correction = news_services.article_approve(
        actor=w.officer_entrepreneurs, article=news("Berita Alfa dikoreksi", w.member, w.kpmi_a)
    )
    w.article_correction = news_services.article_write(
        actor=w.member,
        article=w.article_correction,
        data={
            "title": "Berita Alfa dikoreksi",
            "lead": "Teras berita.",
            "body": "Isi yang dikoreksi.",
            "category": w.news_category,
            "kecamatan": w.kpmi_a.kecamatan,
            "tags": "",
            "note": "Angka diperbaiki.",
        },
        submit=True,
    )
    w.article_b = news("Berita Beta menunggu", w.manager_b, w.kpmi_b)
    w.news_photo_public = w.article_published.photos.get()
    w.news_photo_private = w.article_submitted.photos.get()


# --- Garut Citizen Journalism: sales (#13) ---


def _build_sales(w: SimpleNamespace) -> None:
    """The content market: a buyer, KPMI A's share override (authors get 60 %), and a licence of
    member_a's published article (so member_a has Rp 60.000 to be paid)."""
    from decimal import Decimal

    from citizen_journalism import services as news_services

    w.buyer = news_services.buyer_create(
        actor=w.officer_entrepreneurs, data={"name": "Garut Pos", "kind": "media", "contact": "redaksi"}
    )
    w.share_kpmi = news_services.revenue_share_set(actor=w.officer_entrepreneurs, percent=Decimal("60"), kpmi=w.kpmi_a)
    w.sale = news_services.sale_record(
        actor=w.officer_entrepreneurs,
        article=w.article_published,
        buyer=w.buyer,
        kind="licence",
        amount=Decimal("100000"),
        date=w.today,
    )


# --- Garut Citizen Journalism: buyers' API (#13) ---


def _build_buyers_api(w: SimpleNamespace) -> None:
    """A token of the buyer (the one that licensed member_a's article), for the revoke button."""
    from citizen_journalism import services as news_services

    w.buyer_token, _key = news_services.buyer_token_issue(actor=w.officer_entrepreneurs, buyer=w.buyer)


# --- a group's people: roles and account invitations (#14) ---


def _build_accounts(w: SimpleNamespace) -> None:
    """Members without a login: one of each group with a waiting invitation (its code kept for the
    activation page's POST), one of each with none yet; the keepers' roles, to end."""
    from associations.models import Association
    from kpmi_si.accounts import services as account_services

    w.invitee_a = _member(w.kpmi_a, Level.TRAINER_CANDIDATE, "Lilis Diundang")
    w.invitee_b = _member(w.kpmi_b, Level.TRAINER_CANDIDATE, "Odang Diundang")
    w.newcomer_a = _member(w.kpmi_a, Level.TRAINER_CANDIDATE, "Nenden Baru")
    w.newcomer_b = _member(w.kpmi_b, Level.TRAINER_CANDIDATE, "Jajang Baru")
    w.members += [w.invitee_a, w.invitee_b, w.newcomer_a, w.newcomer_b]
    w.account_invitation_a, w.account_code_a = account_services.member_account_invite(
        actor=w.manager_a, member=w.invitee_a
    )
    w.account_invitation_b, _code = account_services.member_account_invite(actor=w.manager_b, member=w.invitee_b)
    w.role_supervisor_a = KpmiRole.objects.get(kpmi=w.kpmi_a, user=w.supervisor_a)
    w.role_manager_b = KpmiRole.objects.get(kpmi=w.kpmi_b, user=w.manager_b)
    w.association_platform = Association.objects.get(code="platform")


def logged_in_clients(w: SimpleNamespace) -> dict[str, tuple[Client, SimpleCookie]]:
    """A client per role, logged in once, with its cookies to put back before every request (a
    request may log out or leave messages behind; the next one starts as the role again)."""
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        user = getattr(w, role)
        if user is not None:
            client.force_login(user)
        clients[role] = (client, SimpleCookie(client.cookies.output(header="", sep="\n")))
    # A password reset link of the member: made after the logins, which change the token's input.
    w.member.refresh_from_db()
    w.reset_uid = urlsafe_base64_encode(force_bytes(w.member.pk))
    w.reset_token = default_token_generator.make_token(w.member)
    return clients


# --- did a request write anything? ----------------------------------------------------------------------


# django-axes records every failed login on purpose (that is how it throttles): a refused login may write
# there and nowhere else.
LOGIN_RECORDS = "axes_"
# A create that carries an idempotency key claims the key's row first and loses it with everything
# else when the service refuses (kpmi_si/idempotency: that order is what stops two concurrent sends
# from both creating). The transaction's counters keep the rolled-back insert, so this one table is
# compared by its rows: a refused send must leave no key behind.
IDEMPOTENCY_KEYS = "idempotency_idempotencykey"


def writes_so_far(*, besides: str | None = None) -> Any:
    """A fingerprint of every row written in the current transaction. On PostgreSQL, the
    transaction's own counters of inserted, updated and deleted rows per table (an UPDATE that
    changes a value shows, not only a new or deleted row). SQLite keeps no per-table counters, and
    its count of changed rows keeps what a savepoint rolled back (a refused create's claimed
    idempotency key), so there the fingerprint is every table's rows, hashed: the world is small.
    `besides`: leave out the tables whose names start so."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
                "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY relname"
            )
            counted = tuple(
                row
                for row in cursor.fetchall()
                if not (besides and row[0].startswith(besides)) and row[0] != IDEMPOTENCY_KEYS
            )
            cursor.execute(f'SELECT COUNT(*) FROM "{IDEMPOTENCY_KEYS}"')  # noqa: S608 - a constant name
            return (*counted, (IDEMPOTENCY_KEYS, cursor.fetchone()[0]))
        tables = [
            name for name in connection.introspection.table_names(cursor) if not (besides and name.startswith(besides))
        ]
        return tuple(
            (name, hash(tuple(cursor.execute(f'SELECT * FROM "{name}"').fetchall())))  # noqa: S608 - names from the schema
            for name in tables
        )


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run a request and forget what it wrote, so the next request meets the world as built."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def resolve_kwargs(kwargs: dict[str, Callable[[SimpleNamespace], Any]], w: SimpleNamespace) -> dict[str, Any]:
    return {name: value(w) if callable(value) else value for name, value in kwargs.items()}
