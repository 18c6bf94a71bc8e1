"""Every URL of the site, who may GET and POST it, with which objects, and what a valid POST sends.

The permission matrix walks the resolver and fails on a URL missing here; the fuzzed-forms test takes
its form views from here. An outcome is an HTTP status, or LOGIN for a redirect to the login page
(what an anonymous visitor gets from every page behind a login), or REDIRECT for any other redirect
(a page's answer to a POST it carried out, or a role's landing page).

Variants: a URL that names an object is tried with an object on each side of a line the site draws
(KPMI A and KPMI B, the Communities and the Users association, the round in review and the published
one); a URL without another side says why in NO_OTHER_SIDE."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from .world import OFFICERS, ROLES

LOGIN = "login"
REDIRECT = "redirect"
OK, BAD, UNAUTHORIZED, DENIED, NOT_FOUND, NOT_ALLOWED = 200, 400, 401, 403, 404, 405

GROUPS: dict[str, tuple[str, ...]] = {
    "officers": OFFICERS,
    "keepers_a": ("manager_a", "supervisor_a"),
}

Outcomes = dict[str, Any]
Data = Callable[[SimpleNamespace, str], dict[str, Any]]


def who(default: Any, *, anonymous: Any = LOGIN, **by_role: Any) -> Outcomes:
    """Outcome per role: `default` for every signed-in role unless named (a role or a GROUPS key)."""
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = anonymous
    for key, outcome in by_role.items():
        for role in GROUPS.get(key, (key,)):
            assert role in ROLES, role
            table[role] = outcome
    return table


def everyone(outcome: Any) -> Outcomes:
    return who(outcome, anonymous=outcome)


def _allow(roles: tuple[str, ...], outcome: Any, refused: Any) -> Outcomes:
    return who(refused, **dict.fromkeys(roles, outcome))


def page(*roles: str, refused: Any = DENIED) -> tuple[Outcomes, Outcomes]:
    """A read-only page behind a login: these roles read it, the others are refused; POST is 405."""
    return _allow(roles, OK, refused), who(NOT_ALLOWED)


def form(*roles: str, refused: Any = DENIED, posted: Any = REDIRECT) -> tuple[Outcomes, Outcomes]:
    """A form behind a login: these roles open it and a valid POST carries out (`posted`)."""
    return _allow(roles, OK, refused), _allow(roles, posted, refused)


def action(*roles: str, refused: Any = DENIED, posted: Any = REDIRECT) -> tuple[Outcomes, Outcomes]:
    """A button behind a login: POST only (GET is 405 once signed in)."""
    return who(NOT_ALLOWED), _allow(roles, posted, refused)


def public_page() -> tuple[Outcomes, Outcomes]:
    return everyone(OK), everyone(NOT_ALLOWED)


@dataclass
class Variant:
    label: str
    expect: tuple[Outcomes, Outcomes]  # GET, POST
    kwargs: dict[str, Callable[[SimpleNamespace], Any] | Any] = field(default_factory=dict)
    query: Callable[[SimpleNamespace], str] | None = None
    data: Data | None = None  # what a valid POST sends; None: the URL's entry in PAYLOADS, if any
    # A 200 answer that writes a record of the request itself, on purpose: the audit entry of a member's
    # data download (axes' record of a failed login is left out of the count instead, see world.py).
    # Refusals must still write nothing.
    records_itself: bool = False

    @property
    def get(self) -> Outcomes:
        return self.expect[0]

    @property
    def post(self) -> Outcomes:
        return self.expect[1]


def V(label: str, expect: tuple[Outcomes, Outcomes], **kwargs: Any) -> Variant:  # noqa: N802 - reads as a row
    return Variant(label=label, expect=expect, **kwargs)


def kpmi(name: str) -> Callable[[SimpleNamespace], str]:
    return lambda w: f"kpmi={getattr(w, name).pk}"


def pk(name: str) -> Callable[[SimpleNamespace], int]:
    return lambda w: getattr(w, name).pk


def iso(day: dt.date) -> str:
    return day.isoformat()


# --- valid POST data, per URL ------------------------------------------------------------------------


def _kpmi_data(w: SimpleNamespace, group: Any, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "kecamatan": group.kecamatan_id,
        "desa": group.desa_id or "",
        "address": "Jl. Pembangunan 1",
        "founded_on": iso(group.founded_on),
        "status": "active",
        "latitude": "-7.2",
        "longitude": "107.9",
        "description": "",
        "founded_by": "",
        "founded_from": "",
    }


def _member_data(member: Any) -> dict[str, Any]:
    return {
        "full_name": member.full_name,
        "phone": "0812 3456 7890",
        "email": "anggota@example.org",
        "gender": member.gender,
        "birth_year": 2000,
        "joined_on": iso(member.joined_on),
        "trained_by": "",
    }


def _publication(w: SimpleNamespace, group: Any, credited: Any, prefix: str = "") -> dict[str, Any]:
    data = {
        "title": "Berita posyandu",
        "date": iso(w.today - dt.timedelta(days=1)),
        "channel": "website",
        "link": "https://desa.example.id/berita/2",
        "kecamatan": group.kecamatan_id,
        "summary": "",
    }
    if credited is not None:
        data["credited"] = [credited.pk]
    return {f"{prefix}{k}": v for k, v in data.items()}


def _targets(code: str) -> Data:
    numbers = {"communities": ("new_members", "new_trainers", "new_kpmi"), "users": ("publications", "education")}
    return lambda w, role: {"form": "defaults", **dict.fromkeys(numbers[code], 7)}


def _association_award(w: SimpleNamespace, role: str) -> dict[str, Any]:
    from associations.models import Association

    code = role.removeprefix("officer_") if role.startswith("officer_") else "platform"
    return {
        "association": Association.objects.get(code=code).pk,
        "member": w.manager_member_a.pk,
        "name": "Pengelola Teladan",
        "reason": "Rajin menerbitkan.",
        "awarded_on": iso(w.today),
    }


def _business(owner: Any) -> dict[str, Any]:
    return {"owner": owner.pk, "name": "Warnet Perintis", "kind": "internet", "started_on": "", "pledged_share": "25"}


def _business_of(side: str) -> dict[str, Callable[[SimpleNamespace], Any]]:
    return {"kpmi_pk": pk(f"kpmi_{side}"), "pk": pk(f"business_{side}")}


PAYLOADS: dict[str, Data] = {
    "login": lambda w, role: {"username": "member_a", "password": "bukan-sandinya"},
    "password_change": lambda w, role: {
        "old_password": "bukan-sandinya",
        "new_password1": "sandi-Baru-2026!",
        "new_password2": "sandi-Baru-2026!",
    },
    "password_reset": lambda w, role: {"email": "tak-terdaftar@example.org"},
    "members:kpmi_create": lambda w, role: _kpmi_data(w, w.kpmi_a, "KPMI Gamma"),
    "members:kpmi_edit": lambda w, role: _kpmi_data(w, w.kpmi_a, "KPMI Alfa Raya"),
    "members:member_create": lambda w, role: {
        **_member_data(w.member_a),
        "full_name": "Rina Anggota Baru",
        "joined_on": iso(w.today),
        "level": 1,
        "reason": "",
    },
    "members:member_edit": lambda w, role: _member_data(w.member_a),
    "members:member_level_change": lambda w, role: {
        "to_level": 3,
        "effective_on": iso(w.today),
        "reason": "Memimpin kegiatan kelompok.",
        "evidence": "",
    },
    "associations:periods": lambda w, role: {"year": w.today.year + 1},
    "associations:evaluation_start": lambda w, role: {"period": w.period.pk},
    "associations:targets": _targets("communities"),
    "programs:activity_create": lambda w, role: _publication(w, w.kpmi_a, w.member_a),
    "programs:activity_edit": lambda w, role: _publication(w, w.kpmi_a, w.member_a),
    "programs:activity_reject": lambda w, role: {"reason": "Tautan bukti tidak bisa dibuka."},
    "interventions:tot_create": lambda w, role: {
        "name": "ToT Pusat 2",
        "date": iso(w.today + dt.timedelta(days=40)),
        "venue": "KOMTIK Garut",
        "capacity": 12,
        "respond_by": "",
    },
    "interventions:tot_edit": lambda w, role: {
        "name": "ToT Pusat",
        "date": iso(w.tot.date),
        "venue": "Aula KOMTIK",
        "capacity": 12,
        "respond_by": "",
        "status": "scheduled",
    },
    "interventions:tot_add_candidate": lambda w, role: {"member": w.candidate_a2.pk, "capacity": 10},
    "interventions:tot_send": lambda w, role: {"invitations": [w.invitation_a.pk]},
    "interventions:collaboration_create": lambda w, role: {
        "name": "Kolaborasi Gamma",
        "theme": "Konten desa",
        "date": iso(w.today + dt.timedelta(days=25)),
        "venue": "Aula KOMTIK",
        "period": w.period.pk,
        "threshold": 3,
    },
    "interventions:collaboration_send": lambda w, role: {"invitations": [w.collab_invitation_a.pk]},
    "interventions:collaboration_log_work": lambda w, role: _publication(w, w.kpmi_a, None, prefix="publication-"),
    "interventions:invitation_attendance": lambda w, role: {"attended": "yes"},
    "interventions:invitation_result": lambda w, role: {"passed": "yes"},
    "interventions:project_create": lambda w, role: {
        "title": "Website Desa",
        "deployment_kind": "website",
        "site_type": "village_office",
        "site_name": "Kantor Desa Sukamaju",
        "kecamatan": w.kpmi_a.kecamatan_id,
        "desa": "",
        "needs": "Hosting dan pelatihan admin.",
        "start_date": iso(w.today + dt.timedelta(days=5)),
        "end_date": iso(w.today + dt.timedelta(days=6)),
        "team_size": 2,
    },
    "interventions:project_sign_up": lambda w, role: {"member": w.manager2_a.pk},
    "interventions:project_confirm": lambda w, role: {"signups": [w.signup_a.pk]},
    "interventions:project_complete": lambda w, role: {"date": iso(w.today), "beneficiaries": 30, "summary": ""},
    "interventions:project_cancel": lambda w, role: {"reason": "Lokasi belum siap."},
    "interventions:association_awards": _association_award,
    "interventions:competition_create": lambda w, role: {
        "title": "Lomba Edukasi",
        "period": w.period.pk,
        "kind": "education",
        "measure": "participants",
        "entrants": "managers",
        "winners": 3,
    },
    "awards:round_open": lambda w, role: {"year": w.today.year - 3, "c-manager-publications-on": "on"},
    "awards:round_categories": lambda w, role: {
        "c-manager-publications-on": "on",
        "c-manager-publications-finalists": 3,
        "c-manager-publications-winners": 1,
    },
    "awards:jury_manage": lambda w, role: {"username": "juri_dua", "categories": [w.category_draft.pk]},
    "awards:categories_decide_empty": lambda w, role: {"reason": "Tidak ada finalis."},
    "awards:category_decide": lambda w, role: {"winners": [w.finalist_review.pk], "reason": ""},
    "awards:award_edit": lambda w, role: {"citation": "Teladan bagi relawan Garut."},
    "awards:jury_finalist": lambda w, role: {"score": 4, "comment": "Konsisten sepanjang tahun."},
    # --- entrepreneurship (ledger part) ---
    "entrepreneurship:posting_create": lambda w, role: {
        "date": iso(w.today),
        "category": "rent",
        "amount": "250.000",
        "description": "Sewa sekretariat",
    },
    "entrepreneurship:posting_reverse": lambda w, role: {"reason": "Salah ketik jumlah"},
    "entrepreneurship:business_create": lambda w, role: {**_business(w.pioneer_a), "started_on": iso(w.today)},
    "entrepreneurship:business_entry_create": lambda w, role: {
        "kind": "income",
        "date": iso(w.today),
        "amount": "150.000",
        "description": "Servis laptop",
    },
    "entrepreneurship:business_close": lambda w, role: {"closed_on": iso(w.today)},
    "entrepreneurship:business_settle": lambda w, role: {"month": w.last_month.strftime("%Y-%m")},
    # --- Garut Citizen Journalism (#13) ---
    "citizen_journalism:article_create": lambda w, role: _article_form(w, "submit"),
    "citizen_journalism:article_edit": lambda w, role: _article_form(w, "save"),
    "citizen_journalism:request_changes": lambda w, role: {"comment": "Tambahkan jumlah petani."},
    "citizen_journalism:approve": lambda w, role: {"publish_at": ""},
    "citizen_journalism:reject": lambda w, role: {"reason": "Bukan berita."},
    "citizen_journalism:correction_approve": lambda w, role: {"correction_note": "Angka diperbaiki."},
    "citizen_journalism:correction_decline": lambda w, role: {"reason": "Angka lama yang benar."},
    "citizen_journalism:link_activity": lambda w, role: {"activity": w.activity_a.pk},
}

# --- the table ------------------------------------------------------------------------------------------

ALL_SIGNED_IN = ROLES[1:]
A_VIEWERS = ("member", "manager_a", "supervisor_a", *OFFICERS, "admin")  # who sees member_a / A's record
B_VIEWERS = ("manager_b", *OFFICERS, "admin")

# --- Garut Citizen Journalism (#13) ----------------------------------------------------------------------
# Writers are the roles with a member record; editors are the Entrepreneurs' officer (granted in world.py)
# and the KOMTIK admin. A newsroom page of an article is the writer's and its editors': anyone else is
# told it is not there (404), like another writer's draft.
WRITERS = ("member", "manager_a", "manager_b")
EDITORS = ("officer_entrepreneurs", "admin")


def _article_form(w: SimpleNamespace, action: str) -> dict[str, Any]:
    return {
        "title": "Panen raya di Tarogong",
        "lead": "Petani memanen padi bersama.",
        "body": "Panen berlangsung **meriah**.",
        "category": w.news_category.pk,
        "kecamatan": w.kpmi_a.kecamatan_id,
        "desa": "",
        "tags": "panen, padi",
        "note": "",
        "action": action,
    }


def _newsroom(*allowed: str, form_page: bool = False) -> tuple[Outcomes, Outcomes]:
    """A newsroom page or decision of one article: the allowed roles do it, other signed-in roles get 404."""
    if form_page:
        return _allow(allowed, OK, NOT_FOUND), _allow(allowed, REDIRECT, NOT_FOUND)
    return who(NOT_ALLOWED), _allow(allowed, REDIRECT, NOT_FOUND)


NOT_PUBLIC = (everyone(NOT_FOUND), everyone(NOT_ALLOWED))

NEWSROOM_URLS: dict[str, list[Variant]] = {
    "citizen_journalism:front": [V("", public_page())],
    "citizen_journalism:article": [
        V("published", public_page(), kwargs={"pk": pk("article_published"), "slug": "berita-alfa-terbit"}),
        V("waiting for review", NOT_PUBLIC, kwargs={"pk": pk("article_submitted"), "slug": "berita"}),
    ],
    "citizen_journalism:category": [
        V("a category", public_page(), kwargs={"slug": lambda w: w.news_category.slug}),
        V("no such category", NOT_PUBLIC, kwargs={"slug": "tidak-ada"}),
    ],
    "citizen_journalism:kecamatan": [
        V("A's district", public_page(), kwargs={"code": lambda w: w.kpmi_a.kecamatan_id}),
        V("no such district", NOT_PUBLIC, kwargs={"code": "0000000"}),
    ],
    "citizen_journalism:author": [
        V("a published writer", public_page(), kwargs={"pk": pk("member_a")}),
        V("a writer with nothing public", NOT_PUBLIC, kwargs={"pk": pk("manager_member_b")}),
    ],
    "citizen_journalism:search": [V("", public_page(), query=lambda w: "q=berita")],
    "citizen_journalism:photo": [
        V("a published photo", public_page(), kwargs={"pk": pk("news_photo_public"), "size": "s"}),
        V(
            "a photo of an article under review",
            (who(NOT_FOUND, anonymous=NOT_FOUND, **dict.fromkeys(("member", *EDITORS), OK)), everyone(NOT_ALLOWED)),
            kwargs={"pk": pk("news_photo_private"), "size": "m"},
        ),
    ],
    "citizen_journalism:feed_rss": [V("", public_page())],
    "citizen_journalism:feed_atom": [V("", public_page())],
    "citizen_journalism:sitemap": [V("", public_page())],
    "citizen_journalism:article_create": [V("", form(*WRITERS))],
    "citizen_journalism:my_articles": [V("", page(*WRITERS))],
    "citizen_journalism:queue": [V("", page(*EDITORS))],
    "citizen_journalism:article_manage": [
        V(
            "A's, under review",
            (who(NOT_FOUND, **dict.fromkeys(("member", *EDITORS), OK)), who(NOT_ALLOWED)),
            kwargs={"pk": pk("article_submitted")},
        ),
        V(
            "B's, under review",
            (who(NOT_FOUND, **dict.fromkeys(("manager_b", *EDITORS), OK)), who(NOT_ALLOWED)),
            kwargs={"pk": pk("article_b")},
        ),
    ],
    # Only the writer edits; a non-member is refused writing at all (403), another writer is told the
    # article is not there (404).
    "citizen_journalism:article_edit": [
        V(
            "A's draft",
            (
                who(DENIED, member=OK, manager_a=NOT_FOUND, manager_b=NOT_FOUND),
                who(DENIED, member=REDIRECT, manager_a=NOT_FOUND, manager_b=NOT_FOUND),
            ),
            kwargs={"pk": pk("article_draft")},
        ),
        V(
            "B's, under review: with the editors, so the writer is sent back to its page",
            (
                who(DENIED, manager_b=REDIRECT, member=NOT_FOUND, manager_a=NOT_FOUND),
                who(DENIED, manager_b=REDIRECT, member=NOT_FOUND, manager_a=NOT_FOUND),
            ),
            kwargs={"pk": pk("article_b")},
        ),
    ],
    # The writer may press an editor's button: it answers with a message (nobody decides on their own
    # article) and changes nothing.
    "citizen_journalism:request_changes": [
        V("A's", _newsroom("member", *EDITORS), kwargs={"pk": pk("article_submitted")}),
        V("B's", _newsroom("manager_b", *EDITORS), kwargs={"pk": pk("article_b")}),
    ],
    "citizen_journalism:approve": [
        V("A's", _newsroom("member", *EDITORS), kwargs={"pk": pk("article_submitted")}),
        V("B's", _newsroom("manager_b", *EDITORS), kwargs={"pk": pk("article_b")}),
    ],
    "citizen_journalism:reject": [
        V("A's", _newsroom("member", *EDITORS), kwargs={"pk": pk("article_submitted")}),
        V("B's", _newsroom("manager_b", *EDITORS), kwargs={"pk": pk("article_b")}),
    ],
    "citizen_journalism:correction_approve": [
        V("A's correction", _newsroom("member", *EDITORS), kwargs={"pk": pk("article_correction")}),
    ],
    "citizen_journalism:correction_decline": [
        V("A's correction", _newsroom("member", *EDITORS), kwargs={"pk": pk("article_correction")}),
    ],
    "citizen_journalism:link_activity": [
        V("A's", _newsroom("member", *EDITORS), kwargs={"pk": pk("article_submitted")}),
        V(
            "B's",
            _newsroom("manager_b", *EDITORS),
            kwargs={"pk": pk("article_b")},
            data=lambda w, role: {"activity": w.activity_b.pk},
        ),
    ],
}

URLS: dict[str, list[Variant]] = {
    # --- project pages and accounts ------------------------------------------------------------------
    "landing": [V("", public_page())],
    # What needs each role now; the admin has KOMTIK's overview and a plain member their own page.
    "home": [V("", (who(OK, admin=REDIRECT, member=REDIRECT), who(NOT_ALLOWED)))],
    "komtik_home": [V("", page("admin"))],
    # A member's copy of their data: the member and the admin; those who may see the member are told no
    # (403), the rest are not told the member exists (404).
    "privacy:member_data_export": [
        V(
            "member of A",
            (who(NOT_FOUND, member=OK, admin=OK, keepers_a=DENIED, officers=DENIED), who(NOT_ALLOWED)),
            kwargs={"pk": pk("member_a")},
            records_itself=True,
        ),
        V(
            "member of B",
            (who(NOT_FOUND, admin=OK, manager_b=DENIED, officers=DENIED), who(NOT_ALLOWED)),
            kwargs={"pk": pk("trainer_b")},
            records_itself=True,
        ),
    ],
    "privacy:member_anonymise": [
        V(
            "member of A",
            (
                who(NOT_FOUND, admin=OK, member=DENIED, keepers_a=DENIED, officers=DENIED),
                who(NOT_FOUND, admin=REDIRECT, member=DENIED, keepers_a=DENIED, officers=DENIED),
            ),
            kwargs={"pk": pk("member_a")},
            data=lambda w, role: {"confirm": "on"},
        ),
        V(
            "member of B",
            (
                who(NOT_FOUND, admin=OK, manager_b=DENIED, officers=DENIED),
                who(NOT_FOUND, admin=REDIRECT, manager_b=DENIED, officers=DENIED),
            ),
            kwargs={"pk": pk("trainer_b")},
            data=lambda w, role: {"confirm": "on"},
        ),
    ],
    "privacy:review_list": [V("", page("admin"))],
    "privacy:review_flag": [
        V("", form("admin"), kwargs={"pk": pk("review_flag")}, data=lambda w, role: {"text": w.activity_a.title})
    ],
    "healthz": [V("", public_page())],
    "login": [V("", (who(REDIRECT, anonymous=OK), who(REDIRECT, anonymous=OK)))],
    "logout": [V("", (everyone(NOT_ALLOWED), everyone(REDIRECT)))],
    "password_change": [V("", form(*ALL_SIGNED_IN, posted=OK))],  # a wrong old password: the form again
    "password_change_done": [V("", page(*ALL_SIGNED_IN))],
    "password_reset": [V("", (everyone(OK), everyone(REDIRECT)))],
    "password_reset_done": [V("", public_page())],
    "password_reset_complete": [V("", public_page())],
    "password_reset_confirm": [
        V(
            "the member's valid link",
            (everyone(REDIRECT), everyone(REDIRECT)),
            kwargs={"uidb64": lambda w: w.reset_uid, "token": lambda w: w.reset_token},
        ),
        V(
            "a forged token",
            (everyone(OK), everyone(OK)),  # the "link is no longer valid" page
            kwargs={"uidb64": lambda w: w.reset_uid, "token": "bukan-token"},
        ),
    ],
    # --- the public directory and the groups' records ----------------------------------------------
    "directory:kpmi_list": [V("", public_page())],
    "directory:kpmi_detail": [
        V("KPMI A", public_page(), kwargs={"pk": pk("kpmi_a")}),
        V("KPMI B", public_page(), kwargs={"pk": pk("kpmi_b")}),
    ],
    "members:kpmi_create": [V("", form("admin", "officer_communities"))],
    "members:kpmi_edit": [
        V("KPMI A", form("admin", "keepers_a", "officer_communities"), kwargs={"pk": pk("kpmi_a")}),
        V(
            "KPMI B",
            form("admin", "manager_b", "officer_communities"),
            kwargs={"pk": pk("kpmi_b")},
            data=lambda w, role: _kpmi_data(w, w.kpmi_b, "KPMI Beta Raya"),
        ),
    ],
    "members:member_list": [
        V("KPMI A", page("admin", "keepers_a", "officers"), kwargs={"kpmi_pk": pk("kpmi_a")}),
        V("KPMI B", page("admin", "manager_b", "officers"), kwargs={"kpmi_pk": pk("kpmi_b")}),
    ],
    "members:member_create": [
        V("KPMI A", form("admin", "keepers_a"), kwargs={"kpmi_pk": pk("kpmi_a")}),
        V("KPMI B", form("admin", "manager_b"), kwargs={"kpmi_pk": pk("kpmi_b")}),
    ],
    # Another group's member does not exist for those who may not see it: 404, not 403.
    "members:member_detail": [
        V("member of A", page(*A_VIEWERS, refused=NOT_FOUND), kwargs={"pk": pk("member_a")}),
        V("member of B", page(*B_VIEWERS, refused=NOT_FOUND), kwargs={"pk": pk("trainer_b")}),
    ],
    "members:member_edit": [
        V(
            "member of A",
            (
                who(NOT_FOUND, keepers_a=OK, admin=OK, member=DENIED, officers=DENIED),
                who(NOT_FOUND, keepers_a=REDIRECT, admin=REDIRECT, member=DENIED, officers=DENIED),
            ),
            kwargs={"pk": pk("member_a")},
        ),
        V(
            "member of B",
            (
                who(NOT_FOUND, manager_b=OK, admin=OK, officers=DENIED),
                who(NOT_FOUND, manager_b=REDIRECT, admin=REDIRECT, officers=DENIED),
            ),
            kwargs={"pk": pk("trainer_b")},
            data=lambda w, role: _member_data(w.trainer_b),
        ),
    ],
    # A trainer becomes a manager by their group's keepers or any officer; nobody changes their own level.
    "members:member_level_change": [
        V(
            "trainer of A",
            (
                who(NOT_FOUND, keepers_a=OK, officers=OK, admin=OK, member=DENIED),
                who(NOT_FOUND, keepers_a=REDIRECT, officers=REDIRECT, admin=REDIRECT, member=DENIED),
            ),
            kwargs={"pk": pk("member_a")},
        ),
        V(
            "trainer of B",
            form("manager_b", "officers", "admin", refused=NOT_FOUND),
            kwargs={"pk": pk("trainer_b")},
        ),
    ],
    # --- associations ---------------------------------------------------------------------------------
    "associations:periods": [V("", form("admin", "officers"))],
    "associations:period_close": [V("", action("admin"), kwargs={"pk": pk("period")})],
    "associations:evaluation_status": [V("", page("admin", "officers"), kwargs={"pk": pk("evaluation")})],
    "associations:home": [
        V("Communities", page("admin", "officer_communities"), kwargs={"code": "communities"}),
        V("Users", page("admin", "officer_users"), kwargs={"code": "users"}),
    ],
    "associations:evaluation_start": [
        V("Communities", action("admin", "officer_communities"), kwargs={"code": "communities"}),
        V("Users", action("admin", "officer_users"), kwargs={"code": "users"}),
    ],
    "associations:targets": [
        V("Communities", form("admin", "officer_communities"), kwargs={"code": "communities"}),
        V("Users", form("admin", "officer_users"), kwargs={"code": "users"}, data=_targets("users")),
    ],
    "associations:target_delete": [
        V(
            "Communities' own override",
            action("admin", "officer_communities"),
            kwargs={"code": "communities", "pk": pk("target_communities")},
        ),
        V(
            "the Users' override under the Communities' address",
            action("admin", "officer_communities", posted=NOT_FOUND),
            kwargs={"code": "communities", "pk": pk("target_users")},
        ),
    ],
    "associations:result_records": [
        V(
            "Communities' own result",
            page("admin", "officer_communities"),
            kwargs={"code": "communities", "pk": pk("result_communities")},
        ),
        V(
            "the Users' result under the Communities' address",
            (who(DENIED, admin=NOT_FOUND, officer_communities=NOT_FOUND), who(NOT_ALLOWED)),
            kwargs={"code": "communities", "pk": pk("result_users")},
        ),
    ],
    # --- logged work ------------------------------------------------------------------------------------
    "programs:work_list": [
        V(
            "their own group",
            (who(OK, member=REDIRECT, jury=DENIED), who(NOT_ALLOWED)),  # a plain member goes to their own work
        ),
        V("KPMI A", page("keepers_a", "officers", "admin"), query=kpmi("kpmi_a")),
        V("KPMI B", page("manager_b", "officers", "admin"), query=kpmi("kpmi_b")),
    ],
    "programs:my_work": [V("", page("member", "manager_a", "manager_b"))],
    "programs:log_menu": [
        V("", page("member", "keepers_a", "manager_b", "admin")),
        V("KPMI A", page("member", "keepers_a", "admin"), query=kpmi("kpmi_a")),
        V("KPMI B", page("manager_b", "admin"), query=kpmi("kpmi_b")),
    ],
    "programs:activity_create": [
        V("KPMI A", form("member", "keepers_a", "admin"), kwargs={"kind_slug": "terbitan"}, query=kpmi("kpmi_a")),
        V(
            "KPMI B",
            form("manager_b", "admin"),
            kwargs={"kind_slug": "terbitan"},
            query=kpmi("kpmi_b"),
            data=lambda w, role: _publication(w, w.kpmi_b, w.manager_member_b),
        ),
    ],
    "programs:activity_detail": [
        V("A's record", page(*A_VIEWERS), kwargs={"pk": pk("activity_a")}),
        V("B's record", page(*B_VIEWERS), kwargs={"pk": pk("activity_b")}),
    ],
    "programs:activity_edit": [
        V("A's record", form("member", "keepers_a", "admin"), kwargs={"pk": pk("activity_a")}),
        V(
            "B's record",
            form("manager_b", "admin"),
            kwargs={"pk": pk("activity_b")},
            data=lambda w, role: _publication(w, w.kpmi_b, w.manager_member_b),
        ),
    ],
    "programs:activity_delete": [
        V("A's record", form("member", "keepers_a", "admin"), kwargs={"pk": pk("activity_a")}),
        V("B's record", form("manager_b", "admin"), kwargs={"pk": pk("activity_b")}),
    ],
    "programs:activity_approve": [
        V("A's record", action("keepers_a", "admin"), kwargs={"pk": pk("activity_a")}),
        V("B's record", action("manager_b", "admin"), kwargs={"pk": pk("activity_b")}),
    ],
    "programs:activity_reject": [
        V("A's record", form("keepers_a", "admin"), kwargs={"pk": pk("activity_a")}),
        # B's record was logged by its keeper, approved at once: rejecting it gets the form and the reason why not.
        V("B's record", form("manager_b", "admin", posted=OK), kwargs={"pk": pk("activity_b")}),
    ],
    "programs:evidence_file": [
        V("A's file", page(*A_VIEWERS), kwargs={"pk": pk("activity_a"), "evidence_pk": pk("evidence_a")}),
        V("B's file", page(*B_VIEWERS), kwargs={"pk": pk("activity_b"), "evidence_pk": pk("evidence_b")}),
        V(
            "B's file under A's record",
            (who(DENIED, **dict.fromkeys(A_VIEWERS, NOT_FOUND)), who(NOT_ALLOWED)),
            kwargs={"pk": pk("activity_a"), "evidence_pk": pk("evidence_b")},
        ),
    ],
    # --- the central ToT (Communities) ----------------------------------------------------------------
    "interventions:tot_list": [V("", page("admin", "officer_communities"))],
    "interventions:tot_create": [V("", form("admin", "officer_communities"))],
    "interventions:tot_detail": [V("", page("admin", "officer_communities"), kwargs={"pk": pk("tot")})],
    "interventions:tot_edit": [V("", form("admin", "officer_communities"), kwargs={"pk": pk("tot")})],
    "interventions:tot_send": [V("", action("admin", "officer_communities"), kwargs={"pk": pk("tot")})],
    "interventions:tot_add_candidate": [V("", form("admin", "officer_communities"), kwargs={"pk": pk("tot")})],
    # --- collaboration programmes (Users) ---------------------------------------------------------------
    "interventions:collaboration_list": [V("", page("admin", "officer_users"))],
    "interventions:collaboration_create": [V("", form("admin", "officer_users"))],
    # Its officers, and the participants' side: the participant and the keepers of their group.
    "interventions:collaboration_detail": [
        V("A's manager takes part", page("admin", "officer_users", "keepers_a"), kwargs={"pk": pk("collaboration_a")}),
        V("B's manager takes part", page("admin", "officer_users", "manager_b"), kwargs={"pk": pk("collaboration_b")}),
    ],
    "interventions:collaboration_send": [
        V("", action("admin", "officer_users"), kwargs={"pk": pk("collaboration_a")}),
    ],
    "interventions:collaboration_cancel": [
        V("", action("admin", "officer_users"), kwargs={"pk": pk("collaboration_a")}),
    ],
    "interventions:collaboration_log_work": [
        V(
            "A's manager takes part",
            action("admin", "officer_users", "keepers_a"),
            kwargs={"pk": pk("collaboration_a"), "kind_slug": "terbitan"},
        ),
        V(
            "B's manager takes part",
            action("admin", "officer_users", "manager_b"),
            kwargs={"pk": pk("collaboration_b"), "kind_slug": "terbitan"},
        ),
    ],
    # --- invitations: the member's side answers, the event's officers run them ------------------------
    "interventions:invitation_list": [V("", page(*ALL_SIGNED_IN))],
    "interventions:invitation_detail": [
        V("ToT, candidate of A", page("keepers_a", "officer_communities", "admin"), kwargs={"pk": pk("invitation_a")}),
        V("ToT, candidate of B", page("manager_b", "officer_communities", "admin"), kwargs={"pk": pk("invitation_b")}),
        V(
            "collaboration (Users), manager of A",
            page("keepers_a", "officer_users", "admin"),
            kwargs={"pk": pk("collab_invitation_a")},
        ),
    ],
    "interventions:invitation_accept": [
        V("ToT, candidate of A", action("keepers_a", "admin"), kwargs={"pk": pk("invitation_a")}),
        V("ToT, candidate of B", action("manager_b", "admin"), kwargs={"pk": pk("invitation_b")}),
    ],
    "interventions:invitation_decline": [
        V("ToT, candidate of A", action("keepers_a", "admin"), kwargs={"pk": pk("invitation_a")}),
        V("ToT, candidate of B", action("manager_b", "admin"), kwargs={"pk": pk("invitation_b")}),
    ],
    "interventions:invitation_withdraw": [
        V("ToT (Communities)", action("officer_communities", "admin"), kwargs={"pk": pk("invitation_a")}),
        V("collaboration (Users)", action("officer_users", "admin"), kwargs={"pk": pk("collab_invitation_a")}),
    ],
    # Attendance and results belong to the ToT: the Users' officers record none (the service refuses).
    "interventions:invitation_attendance": [
        V("ToT (Communities)", action("officer_communities", "admin"), kwargs={"pk": pk("invitation_a")}),
        V("collaboration (Users)", action("admin"), kwargs={"pk": pk("collab_invitation_a")}),
    ],
    "interventions:invitation_result": [
        V("ToT (Communities)", action("officer_communities", "admin"), kwargs={"pk": pk("invitation_a")}),
        V("collaboration (Users)", action("admin"), kwargs={"pk": pk("collab_invitation_a")}),
    ],
    # --- volunteer projects (Platform) ---------------------------------------------------------------
    "interventions:project_list": [V("", page(*ALL_SIGNED_IN))],
    "interventions:project_create": [V("", form("admin", "officer_platform"))],
    "interventions:project_detail": [V("", page(*ALL_SIGNED_IN), kwargs={"pk": pk("project")})],
    "interventions:project_sign_up": [
        V("a manager of A", action("keepers_a", "admin"), kwargs={"pk": pk("project")}),
        V(
            "a manager of B",
            action("manager_b", "admin"),
            kwargs={"pk": pk("project")},
            data=lambda w, role: {"member": w.manager2_b.pk},
        ),
    ],
    "interventions:project_confirm": [V("", action("admin", "officer_platform"), kwargs={"pk": pk("project")})],
    "interventions:project_complete": [V("", action("admin", "officer_platform"), kwargs={"pk": pk("project")})],
    "interventions:project_cancel": [V("", form("admin", "officer_platform"), kwargs={"pk": pk("project")})],
    "interventions:project_signup_withdraw": [
        V("A's sign-up", action("keepers_a", "admin"), kwargs={"pk": pk("project"), "signup_pk": pk("signup_a")}),
        V("B's sign-up", action("manager_b", "admin"), kwargs={"pk": pk("project"), "signup_pk": pk("signup_b")}),
    ],
    # --- association awards, competitions ---------------------------------------------------------------
    "interventions:association_awards": [V("", form("admin", "officers"))],
    "interventions:competition_list": [V("", page(*ALL_SIGNED_IN))],
    "interventions:competition_create": [V("", form("admin", "officer_users"))],
    "interventions:competition_detail": [V("", page(*ALL_SIGNED_IN), kwargs={"pk": pk("competition")})],
    "interventions:competition_close": [V("", action("admin", "officer_users"), kwargs={"pk": pk("competition")})],
    # --- notifications: one's own only; another's does not exist --------------------------------------
    "notifications:notification_list": [V("", page(*ALL_SIGNED_IN))],
    "notifications:notification_read": [
        V("the member's", action("member", refused=NOT_FOUND), kwargs={"pk": pk("notification_member")}),
        V("B's manager's", action("manager_b", refused=NOT_FOUND), kwargs={"pk": pk("notification_b")}),
    ],
    # Fetched by the bell's script: an ended session gets 401, not a redirect to the login page.
    "notifications:notification_count": [V("", (who(OK, anonymous=UNAUTHORIZED), everyone(NOT_ALLOWED)))],
    "notifications:notification_read_all": [V("", action(*ALL_SIGNED_IN))],
    # --- KOMTIK's annual awards: public pages ---------------------------------------------------------
    "awards:index": [V("", public_page())],
    "awards:year": [
        V("the published year", public_page(), kwargs={"year": lambda w: w.round_published.year}),
        V(
            "the year in review",
            (everyone(NOT_FOUND), everyone(NOT_ALLOWED)),
            kwargs={"year": lambda w: w.round_review.year},
        ),
    ],
    "awards:verify": [V("", public_page())],
    "awards:verify_code": [
        V("a real code", public_page(), kwargs={"code": lambda w: w.award.code}),
        V("a made-up code", (everyone(NOT_FOUND), everyone(NOT_ALLOWED)), kwargs={"code": "ABCD2345EFGH6789"}),
    ],
    "awards:certificate": [
        V("a real code", public_page(), kwargs={"code": lambda w: w.award.code}),
        V("a made-up code", (everyone(NOT_FOUND), everyone(NOT_ALLOWED)), kwargs={"code": "ABCD2345EFGH6789"}),
    ],
    # --- KOMTIK's annual awards: the admin's pages ---------------------------------------------------
    "awards:manage": [V("", page("admin"))],
    "awards:round_open": [V("", form("admin"))],
    "awards:round_detail": [
        V("round in review", page("admin"), kwargs={"pk": pk("round_review")}),
        V("published round", page("admin"), kwargs={"pk": pk("round_published")}),
    ],
    # A round's categories change while it is a draft; later the admin's POST gets the form and a message.
    "awards:round_categories": [
        V("draft round", form("admin"), kwargs={"pk": pk("round_draft")}),
        V("published round", form("admin", posted=OK), kwargs={"pk": pk("round_published")}),
    ],
    "awards:shortlist_start": [
        V("draft round", action("admin"), kwargs={"pk": pk("round_draft")}),
        V("published round", action("admin"), kwargs={"pk": pk("round_published")}),
    ],
    "awards:jury_manage": [
        V("draft round", form("admin"), kwargs={"pk": pk("round_draft")}),
        V(
            "published round",
            form("admin", posted=OK),
            kwargs={"pk": pk("round_published")},
            data=lambda w, role: {"username": "juri_satu", "categories": [w.category_published.pk]},
        ),
    ],
    "awards:review_start": [
        V("draft round", action("admin"), kwargs={"pk": pk("round_draft")}),
        V("published round", action("admin"), kwargs={"pk": pk("round_published")}),
    ],
    "awards:round_finalise": [
        V("round in review", action("admin"), kwargs={"pk": pk("round_review")}),
        V("published round", action("admin"), kwargs={"pk": pk("round_published")}),
    ],
    "awards:categories_decide_empty": [
        V("round in review", action("admin"), kwargs={"pk": pk("round_review")}),
        V("published round", action("admin"), kwargs={"pk": pk("round_published")}),
    ],
    "awards:round_publish": [
        V("round in review", action("admin"), kwargs={"pk": pk("round_review")}),
        V("published round", action("admin"), kwargs={"pk": pk("round_published")}),
    ],
    "awards:build_status": [
        V("round in review", page("admin"), kwargs={"pk": pk("build_review")}),
        V("published round", page("admin"), kwargs={"pk": pk("build_published")}),
    ],
    "awards:jury_remove": [
        V("round in review", action("admin"), kwargs={"pk": pk("seat_review")}),
        V("published round", action("admin"), kwargs={"pk": pk("seat_published")}),
    ],
    "awards:category_decide": [
        V("round in review", form("admin"), kwargs={"pk": pk("category_review")}),
        V(
            "published round",
            form("admin", posted=OK),
            kwargs={"pk": pk("category_published")},
            data=lambda w, role: {"winners": [w.finalist_published.pk], "reason": ""},
        ),
    ],
    # The award is published: its printed citation no longer changes (the form again, with the reason).
    "awards:award_edit": [V("", form("admin", posted=OK), kwargs={"pk": pk("award")})],
    "awards:award_certificate": [V("", page("admin"), kwargs={"pk": pk("award")})],
    # --- the jury: its own round's categories; the admin reads the records but never votes -------------
    "awards:finalist_records": [
        V("finalist of the jury's category", page("admin", "jury"), kwargs={"pk": pk("finalist_review")}),
        V("finalist of another round", page("admin"), kwargs={"pk": pk("finalist_published")}),
    ],
    "awards:jury_home": [V("", page("jury"))],
    "awards:jury_round": [
        V("the jury's round", page("jury"), kwargs={"pk": pk("round_review")}),
        V("another round", page(), kwargs={"pk": pk("round_published")}),
    ],
    "awards:jury_finalist": [
        V("finalist of the jury's category", form("jury"), kwargs={"pk": pk("finalist_review")}),
        V(
            "finalist of another round",
            form(),
            kwargs={"pk": pk("finalist_published")},
            data=lambda w, role: {"score": 4, "comment": ""},
        ),
    ],
    # --- entrepreneurship (ledger part): money pages, ledger, exports, pioneers' businesses ------------
    **{
        name: [
            V("KPMI A", page("admin", "keepers_a", "officers"), kwargs={"kpmi_pk": pk("kpmi_a")}),
            V("KPMI B", page("admin", "manager_b", "officers"), kwargs={"kpmi_pk": pk("kpmi_b")}),
        ]
        for name in (
            "entrepreneurship:money",
            "entrepreneurship:ledger",
            "entrepreneurship:ledger_export",
            "entrepreneurship:orders_export",
            "entrepreneurship:business_list",
        )
    },
    "entrepreneurship:posting_create": [
        V("KPMI A", form("admin", "keepers_a"), kwargs={"kpmi_pk": pk("kpmi_a")}),
        V("KPMI B", form("admin", "manager_b"), kwargs={"kpmi_pk": pk("kpmi_b")}),
    ],
    "entrepreneurship:posting_reverse": [
        V("posting of A", form("admin", "keepers_a"), kwargs={"kpmi_pk": pk("kpmi_a"), "pk": pk("posting_a")}),
        V("posting of B", form("admin", "manager_b"), kwargs={"kpmi_pk": pk("kpmi_b"), "pk": pk("posting_b")}),
    ],
    "entrepreneurship:business_create": [
        V("KPMI A", form("admin", "keepers_a"), kwargs={"kpmi_pk": pk("kpmi_a")}),
        V(
            "KPMI B",
            form("admin", "manager_b"),
            kwargs={"kpmi_pk": pk("kpmi_b")},
            data=lambda w, role: {**_business(w.pioneer_b), "started_on": iso(w.today)},
        ),
    ],
    "entrepreneurship:business_detail": [
        V("business of A", page("admin", "keepers_a", "officers"), kwargs=_business_of("a")),
        V("business of B", page("admin", "manager_b", "officers"), kwargs=_business_of("b")),
    ],
    **{
        name: [
            V("business of A", form("admin", "keepers_a"), kwargs=_business_of("a")),
            V("business of B", form("admin", "manager_b"), kwargs=_business_of("b")),
        ]
        for name in (
            "entrepreneurship:business_entry_create",
            "entrepreneurship:business_close",
            "entrepreneurship:business_settle",
        )
    },
    **NEWSROOM_URLS,
}

# --- entrepreneurship: catalogue, orders, receipts (orders) -------------------------------------------
# A KPMI's money pages: its keepers and the admin keep them; every officer reads them too. Another
# group's record under this group's address does not exist there (404) for those who may see the address.
MONEY_A = ("keepers_a", "officers", "admin")
MONEY_B = ("manager_b", "officers", "admin")
KEEPERS_B = ("manager_b", "admin")
TEMPLATES = ("admin", "officer_entrepreneurs")


def _a(**kwargs: Any) -> dict[str, Any]:
    return {"kpmi_pk": pk("kpmi_a"), **kwargs}


def _b(**kwargs: Any) -> dict[str, Any]:
    return {"kpmi_pk": pk("kpmi_b"), **kwargs}


def _crossed(viewers: tuple[str, ...]) -> tuple[Outcomes, Outcomes]:
    """B's record under A's address: 404 for whoever may read A's page, 403 for the rest."""
    return who(DENIED, **dict.fromkeys(viewers, NOT_FOUND)), who(NOT_ALLOWED)


def _service_data(w: SimpleNamespace, service: Any) -> dict[str, Any]:
    from kpmi_si.concurrency import record_version

    service.refresh_from_db()
    return {
        "name": service.name,
        "description": "Untuk umum.",
        "unit": service.unit,
        "price": "175.000",
        "work_kind": service.work_kind,
        "is_active": "on",
        "version": record_version(service),
    }


def _template_data(w: SimpleNamespace, role: str) -> dict[str, Any]:
    from kpmi_si.concurrency import record_version

    w.template.refresh_from_db()
    return {
        "name": w.template.name,
        "description": "",
        "unit": "participant",
        "suggested_price": "160000",
        "work_kind": "training",
        "is_active": "on",
        "version": record_version(w.template),
    }


def _order_data(w: SimpleNamespace, side: str) -> dict[str, Any]:
    return {
        "client_type": "client",
        "member": "",
        "client": getattr(w, f"client_{side}").pk,
        "service": getattr(w, f"service_{side}").pk,
        "quantity": 2,
        "date": iso(w.today),
        "override_unit_price": "",
        "override_reason": "",
        "note": "",
    }


def _order_work_data(w: SimpleNamespace, side: str) -> dict[str, Any]:
    group = getattr(w, f"kpmi_{side}")
    return {
        "title": "Pelatihan perawatan komputer",
        "date": iso(w.today - dt.timedelta(days=2)),
        "kecamatan": group.kecamatan_id,
        "desa": "",
        "summary": "Pesanan sekolah.",
        "venue": "Sekretariat",
        "trainee_group": "candidates",
        "lead_trainer": getattr(w, f"manager_member_{side}").pk,
        "trainees": [getattr(w, f"candidate_{side}").pk],
        "evidence_url": "",
    }


PAYLOADS.update(
    {
        "entrepreneurship:service_create": lambda w, role: {
            "name": "Servis komputer",
            "description": "",
            "unit": "item",
            "price": "75.000",
            "work_kind": "",
            "is_active": "on",
        },
        "entrepreneurship:service_edit": lambda w, role: _service_data(w, w.service_a),
        "entrepreneurship:rule_add": lambda w, role: {"client_level": "", "client_category": "school", "kecamatan": ""},
        "entrepreneurship:service_adopt": lambda w, role: {
            "name": "Servis ponsel",
            "description": "",
            "unit": "item",
            "price": "60000",
        },
        "entrepreneurship:template_create": lambda w, role: {
            "name": "Pemasangan jaringan",
            "description": "",
            "unit": "site",
            "suggested_price": "250000",
            "work_kind": "deployment",
            "is_active": "on",
        },
        "entrepreneurship:template_edit": _template_data,
        "entrepreneurship:template_rule_add": lambda w, role: {
            "client_level": "",
            "client_category": "government",
            "kecamatan": "",
        },
        "entrepreneurship:order_create": lambda w, role: _order_data(w, "a"),
        "entrepreneurship:order_pay": lambda w, role: {"method": "cash", "paid_on": iso(w.today)},
        "entrepreneurship:order_cancel": lambda w, role: {"reason": "Sekolah membatalkan."},
        "entrepreneurship:order_log_work": lambda w, role: _order_work_data(w, "a"),
    }
)

URLS.update(
    {
        "entrepreneurship:service_list": [
            V("KPMI A", page(*MONEY_A), kwargs=_a()),
            V("KPMI B", page(*MONEY_B), kwargs=_b()),
        ],
        "entrepreneurship:service_create": [
            V("KPMI A", form("keepers_a", "admin"), kwargs=_a()),
            V("KPMI B", form(*KEEPERS_B), kwargs=_b()),
        ],
        "entrepreneurship:service_detail": [
            V("A's service", page(*MONEY_A), kwargs=_a(pk=pk("service_a"))),
            V("B's service", page(*MONEY_B), kwargs=_b(pk=pk("service_b"))),
            V("B's service under A's address", _crossed(MONEY_A), kwargs=_a(pk=pk("service_b"))),
        ],
        "entrepreneurship:service_edit": [
            V("A's service", form("keepers_a", "admin"), kwargs=_a(pk=pk("service_a"))),
            V(
                "B's service",
                form(*KEEPERS_B),
                kwargs=_b(pk=pk("service_b")),
                data=lambda w, role: _service_data(w, w.service_b),
            ),
        ],
        "entrepreneurship:rule_add": [
            V("A's service", action("keepers_a", "admin"), kwargs=_a(pk=pk("service_a"))),
            V("B's service", action(*KEEPERS_B), kwargs=_b(pk=pk("service_b"))),
        ],
        "entrepreneurship:rule_remove": [
            V("A's rule", action("keepers_a", "admin"), kwargs=_a(pk=pk("service_a"), rule_pk=pk("rule_a"))),
            V("B's rule", action(*KEEPERS_B), kwargs=_b(pk=pk("service_b"), rule_pk=pk("rule_b"))),
            V(
                "B's rule under A's service",
                action("keepers_a", "admin", posted=NOT_FOUND),
                kwargs=_a(pk=pk("service_a"), rule_pk=pk("rule_b")),
            ),
        ],
        "entrepreneurship:service_adopt": [
            V("KPMI A", form("keepers_a", "admin"), kwargs=_a(template_pk=pk("template2"))),
            V("KPMI B", form(*KEEPERS_B), kwargs=_b(template_pk=pk("template2"))),
            # Adopted already: the form again, saying so.
            V("KPMI A, adopted already", form("keepers_a", "admin", posted=OK), kwargs=_a(template_pk=pk("template"))),
        ],
        "entrepreneurship:template_list": [V("", page(*TEMPLATES))],
        "entrepreneurship:template_create": [V("", form(*TEMPLATES))],
        "entrepreneurship:template_detail": [V("", page(*TEMPLATES), kwargs={"pk": pk("template")})],
        "entrepreneurship:template_edit": [V("", form(*TEMPLATES), kwargs={"pk": pk("template")})],
        "entrepreneurship:template_rule_add": [V("", action(*TEMPLATES), kwargs={"pk": pk("template")})],
        "entrepreneurship:template_rule_remove": [
            V("", action(*TEMPLATES), kwargs={"pk": pk("template"), "rule_pk": pk("template_rule")}),
            V(
                "a service's rule under the template's address",
                action(*TEMPLATES, posted=NOT_FOUND),
                kwargs={"pk": pk("template"), "rule_pk": pk("rule_a")},
            ),
        ],
        "entrepreneurship:order_list": [
            V("KPMI A", page(*MONEY_A), kwargs=_a()),
            V("KPMI B", page(*MONEY_B), kwargs=_b()),
        ],
        "entrepreneurship:order_create": [
            V("KPMI A", form("keepers_a", "admin"), kwargs=_a()),
            V("KPMI B", form(*KEEPERS_B), kwargs=_b(), data=lambda w, role: _order_data(w, "b")),
            # A's keepers naming B's service and client in A's order: the form again, nothing saved.
            V(
                "KPMI A with B's service",
                form("keepers_a", "admin", posted=OK),
                kwargs=_a(),
                data=lambda w, role: {**_order_data(w, "a"), "service": w.service_b.pk},
            ),
        ],
        "entrepreneurship:order_detail": [
            V("A's order", page(*MONEY_A), kwargs=_a(pk=pk("order_a"))),
            V("B's order", page(*MONEY_B), kwargs=_b(pk=pk("order_b"))),
            V("B's order under A's address", _crossed(MONEY_A), kwargs=_a(pk=pk("order_b"))),
        ],
        "entrepreneurship:order_pay": [
            V("A's order", form("keepers_a", "admin"), kwargs=_a(pk=pk("order_a"))),
            V("B's order", form(*KEEPERS_B), kwargs=_b(pk=pk("order_b"))),
            V(
                "B's order under A's address",
                (
                    who(DENIED, keepers_a=NOT_FOUND, admin=NOT_FOUND),
                    who(DENIED, keepers_a=NOT_FOUND, admin=NOT_FOUND),
                ),
                kwargs=_a(pk=pk("order_b")),
            ),
        ],
        "entrepreneurship:order_cancel": [
            V("A's order", form("keepers_a", "admin"), kwargs=_a(pk=pk("order_a"))),
            V("B's order", form(*KEEPERS_B), kwargs=_b(pk=pk("order_b"))),
        ],
        "entrepreneurship:order_receipt": [
            V("A's order", page(*MONEY_A), kwargs=_a(pk=pk("order_a"))),
            V("B's order", page(*MONEY_B), kwargs=_b(pk=pk("order_b"))),
            V("B's order under A's address", _crossed(MONEY_A), kwargs=_a(pk=pk("order_b"))),
            V("an order that does not exist", _crossed(MONEY_A), kwargs=_a(pk=lambda w: 999_999)),
        ],
        "entrepreneurship:order_log_work": [
            V("A's order", form("keepers_a", "admin"), kwargs=_a(pk=pk("order_a"))),
            V(
                "B's order",
                form(*KEEPERS_B),
                kwargs=_b(pk=pk("order_b")),
                data=lambda w, role: _order_work_data(w, "b"),
            ),
        ],
    }
)

# URLs that name an object but have no other side to try it from, and why.
NO_OTHER_SIDE: dict[str, str] = {
    "privacy:review_flag": "review flags are KOMTIK's: only the admin reviews them",
    "associations:period_close": "periods are KOMTIK's, shared by the four associations; closing is the admin's",
    "associations:evaluation_status": "an evaluation covers every association; any officer follows it",
    "interventions:tot_detail": "every ToT is the Communities association's; its candidates are tried via invitations",
    "interventions:tot_edit": "every ToT is the Communities association's",
    "interventions:tot_send": "every ToT is the Communities association's",
    "interventions:tot_add_candidate": "every ToT is the Communities association's",
    "interventions:collaboration_send": "every programme is the Users association's; its sides are tried via detail",
    "interventions:collaboration_cancel": "every programme is the Users association's",
    "interventions:project_detail": "projects are open to the managers of every KPMI; sign-ups are per group",
    "interventions:project_confirm": "every project is the Platform association's",
    "interventions:project_complete": "every project is the Platform association's",
    "interventions:project_cancel": "every project is the Platform association's",
    "interventions:competition_detail": "competitions are open to every signed-in user",
    "interventions:competition_close": "every competition is the Users association's",
    "awards:award_edit": "only a finalised round has awards, and only the admin reaches them",
    "awards:award_certificate": "only a finalised round has awards, and only the admin reaches them",
    # --- entrepreneurship (orders) ---
    "entrepreneurship:template_list": "KOMTIK's templates are one set for every KPMI",
    "entrepreneurship:template_detail": "KOMTIK's templates are one set for every KPMI",
    "entrepreneurship:template_edit": "KOMTIK's templates are one set for every KPMI",
    "entrepreneurship:template_rule_add": "KOMTIK's templates are one set for every KPMI",
    "citizen_journalism:correction_approve": "one correction is enough: its writer's and its editors' sides are tried",
    "citizen_journalism:correction_decline": "one correction is enough: its writer's and its editors' sides are tried",
}

# POSTs that carry no input but the URL (buttons). Every other URL that takes a POST has a valid
# payload in PAYLOADS (or its variant's data): the base that tests/project/test_fuzz_forms.py mutates.
BUTTONS: dict[str, str] = dict.fromkeys(
    (
        "logout",
        "associations:period_close",
        "associations:target_delete",
        "programs:activity_delete",
        "programs:activity_approve",
        "interventions:collaboration_cancel",
        "interventions:invitation_accept",
        "interventions:invitation_decline",
        "interventions:invitation_withdraw",
        "interventions:project_signup_withdraw",
        "interventions:competition_close",
        "notifications:notification_read",
        "notifications:notification_read_all",
        "awards:shortlist_start",
        "awards:review_start",
        "awards:round_finalise",
        "awards:round_publish",
        "awards:jury_remove",
        "entrepreneurship:rule_remove",
        "entrepreneurship:template_rule_remove",
    ),
    "a button: the URL names what it acts on",
)
BUTTONS["password_reset_confirm"] = "the link only redirects to Django's own set-password form"

# Patterns the matrix does not walk, each with the reason.
SKIPPED: dict[str, str] = {
    "admin:*": "Django's admin site guards itself (is_staff) and is tested by tests/project/test_admin.py",
    "set_language": "Django's i18n language switch: no data, no permission, the same answer for everyone",
    "static": "static files are served by whitenoise, outside the URL resolver",
}


def takes_input(name: str) -> bool:
    """Whether some role's POST to this URL is carried out or answered with a form (not refused); 201:
    carried out by a JSON endpoint (the offline sync)."""
    return any(outcome in (OK, REDIRECT, BAD, 201) for v in URLS[name] for outcome in v.post.values())


# --- Garut Citizen Journalism: sales (#13) ---
# The content market is run by the Entrepreneurs association's officers and the KOMTIK admin (one
# market for every KPMI); an author's statement is theirs and the author's, and anyone else is told it
# is not there (404).
SELLERS = ("officer_entrepreneurs", "admin")


def _buyer_data(w: SimpleNamespace, role: str) -> dict[str, Any]:
    from kpmi_si.concurrency import record_version

    return {
        "name": "Garut Pos Daring",
        "kind": "media",
        "contact": "",
        "active": "on",
        "version": record_version(w.buyer),
    }


def _statement(*authors: str) -> tuple[Outcomes, Outcomes]:
    return _allow((*authors, *SELLERS), OK, NOT_FOUND), who(NOT_ALLOWED)


PAYLOADS.update(
    {
        "citizen_journalism:sale_create": lambda w, role: {
            "article": w.article_published.pk,
            "buyer": w.buyer.pk,
            "kind": "licence",
            "amount": "150.000",
            "date": iso(w.today),
        },
        "citizen_journalism:sale_cancel": lambda w, role: {"reason": "Salah catat."},
        "citizen_journalism:buyer_create": lambda w, role: {
            "name": "Yayasan Literasi Garut",
            "kind": "organisation",
            "contact": "0262 000",
            "active": "on",
        },
        "citizen_journalism:buyer_edit": _buyer_data,
        "citizen_journalism:shares": lambda w, role: {
            "scope": "default",
            "kpmi": "",
            "author": "",
            "author_percent": "55",
        },
        "citizen_journalism:payout_create": lambda w, role: {
            "amount": "10.000",
            "date": iso(w.today),
            "method": "transfer",
            "reference": "TRF-1",
        },
    }
)
BUTTONS["citizen_journalism:share_remove"] = "a button: the URL names the override it removes"

URLS.update(
    {
        "citizen_journalism:sale_list": [V("", page(*SELLERS))],
        "citizen_journalism:sale_create": [V("", form(*SELLERS))],
        "citizen_journalism:sale_cancel": [V("", form(*SELLERS), kwargs={"pk": pk("sale")})],
        "citizen_journalism:buyer_list": [V("", page(*SELLERS))],
        "citizen_journalism:buyer_create": [V("", form(*SELLERS))],
        "citizen_journalism:buyer_edit": [V("", form(*SELLERS), kwargs={"pk": pk("buyer")})],
        "citizen_journalism:shares": [V("", form(*SELLERS))],
        "citizen_journalism:share_remove": [V("", action(*SELLERS), kwargs={"pk": pk("share_kpmi")})],
        **{
            name: [
                V("member_a's", _statement("member"), kwargs={"pk": pk("member_a")}),
                V("B's manager's", _statement("manager_b"), kwargs={"pk": pk("manager_member_b")}),
            ]
            for name in (
                "citizen_journalism:statement",
                "citizen_journalism:statement_pdf",
                "citizen_journalism:statement_xlsx",
            )
        },
        "citizen_journalism:payout_create": [
            V("member_a, with a balance", form(*SELLERS), kwargs={"pk": pk("member_a")}),
            # Nothing earned: the form again with the message, nothing saved.
            V("B's manager, nothing earned", form(*SELLERS, posted=OK), kwargs={"pk": pk("manager_member_b")}),
        ],
    }
)
NO_OTHER_SIDE.update(
    dict.fromkeys(
        (
            "citizen_journalism:sale_cancel",
            "citizen_journalism:buyer_edit",
            "citizen_journalism:share_remove",
        ),
        "the content market is one for every KPMI, run by the Entrepreneurs association",
    )
)


# --- Garut Citizen Journalism: buyers' API (#13) ---
# The API answers only a buyer's token: a browser session (every role here, signed in or not) gets a
# JSON 401, for GET and POST alike (DRF authenticates before it looks at the method). Its schema is
# public: it describes the API and holds no data. Tokens are issued and revoked by those who run the
# market; issuing answers 200 with the new key on the page (never a redirect: the key is not stored,
# so no later page could show it), which is the page's record of the request on purpose.


def _api() -> tuple[Outcomes, Outcomes]:
    return everyone(UNAUTHORIZED), everyone(UNAUTHORIZED)


URLS.update(
    {
        "buyers_api:article_list": [V("", _api())],
        "buyers_api:article": [V("a licensed article", _api(), kwargs={"pk": pk("article_published")})],
        "buyers_api:schema": [V("", public_page())],
        "citizen_journalism:buyer_tokens": [
            V("", form(*SELLERS, posted=OK), kwargs={"pk": pk("buyer")}, records_itself=True)
        ],
        "citizen_journalism:buyer_token_revoke": [
            V("", action(*SELLERS), kwargs={"pk": pk("buyer"), "token_pk": pk("buyer_token")})
        ],
    }
)
BUTTONS.update(
    {
        "citizen_journalism:buyer_tokens": "a button: the URL names the buyer; a token takes no input",
        "citizen_journalism:buyer_token_revoke": "a button: the URL names the token it revokes",
    }
)
NO_OTHER_SIDE.update(
    dict.fromkeys(
        ("buyers_api:article", "citizen_journalism:buyer_tokens", "citizen_journalism:buyer_token_revoke"),
        "the content market is one for every KPMI; the API's sides are a buyer's tokens, tested in "
        "tests/citizen_journalism/test_api.py",
    )
)


# --- a group's people: supervisors and managers, account invitations (#14) ---
# The KOMTIK admin and the Communities association appoint and end a KPMI's supervisors and managers
# (a group's own keepers may not appoint more keepers); a group's keepers invite their own members to
# an account, and another group's member does not exist for them (404). The invitation page shows the
# new code on the page (never a redirect: the code is not stored), which is its record of the request.
# The activation page is public: the code names the person; a valid code logs in whoever sends it.
APPOINTERS = ("admin", "officer_communities")
_PASSWORD = "Sandi-Kopi-2026!"


def _keepers_of(*keepers: str, posted: Any) -> tuple[Outcomes, Outcomes]:
    return (
        who(NOT_FOUND, admin=OK, officers=DENIED, **dict.fromkeys(keepers, OK)),
        who(NOT_FOUND, admin=posted, officers=DENIED, **dict.fromkeys(keepers, posted)),
    )


URLS.update(
    {
        "accounts:activate": [
            V(
                "",
                (everyone(OK), everyone(REDIRECT)),
                data=lambda w, role: {
                    "code": w.account_code_a,
                    "username": "",
                    "password1": _PASSWORD,
                    "password2": _PASSWORD,
                },
            )
        ],
        "accounts:kpmi_roles": [
            V("KPMI A", form(*APPOINTERS), kwargs={"pk": pk("kpmi_a")}),
            V("KPMI B", form(*APPOINTERS), kwargs={"pk": pk("kpmi_b")}),
        ],
        "accounts:kpmi_role_end": [
            V("A's supervisor", form(*APPOINTERS), kwargs={"pk": pk("role_supervisor_a")}),
            V("B's manager", form(*APPOINTERS), kwargs={"pk": pk("role_manager_b")}),
        ],
        "accounts:member_account": [
            V(
                "A's member without a login",
                _keepers_of("keepers_a", posted=OK),
                kwargs={"pk": pk("newcomer_a")},
                records_itself=True,
            ),
            V(
                "B's member without a login",
                _keepers_of("manager_b", posted=OK),
                kwargs={"pk": pk("newcomer_b")},
                records_itself=True,
            ),
        ],
        "accounts:invitation_revoke": [
            V(
                "A's member's invitation",
                action("keepers_a", "admin", refused=NOT_FOUND),
                kwargs={"pk": pk("account_invitation_a")},
            ),
            V(
                "B's member's invitation",
                action("manager_b", "admin", refused=NOT_FOUND),
                kwargs={"pk": pk("account_invitation_b")},
            ),
        ],
    }
)
PAYLOADS.update(
    {
        "accounts:kpmi_roles": lambda w, role: {
            "role": "supervisor",
            "member": "",
            "user": w.jury.pk,
            "full_name": "",
            "email": "",
            "since": iso(w.today),
        },
        "accounts:kpmi_role_end": lambda w, role: {"until": iso(w.today)},
        "accounts:member_account": lambda w, role: {"email": ""},
    }
)
BUTTONS["accounts:invitation_revoke"] = "a button: the URL names the invitation it withdraws"
NO_OTHER_SIDE["accounts:activate"] = "a public page: the code it is sent names the person, not the URL"

# The KOMTIK admin's pages of people who are not a group's: association officers, and accounts for new
# people (jurors, editors). The new person's code is on the page (records_itself), as above.
URLS.update(
    {
        "accounts:officers": [V("", form("admin"))],
        "accounts:officer_end": [V("", action("admin"), kwargs={"pk": lambda w: w.officer_users.officer.pk})],
        "accounts:person_invite": [V("", form("admin", posted=OK), records_itself=True)],
    }
)
PAYLOADS.update(
    {
        "accounts:officers": lambda w, role: {
            "association": w.association_platform.pk,
            "user": w.jury.pk,
            "full_name": "",
            "email": "",
            "title": "Staf",
        },
        "accounts:person_invite": lambda w, role: {"full_name": "Juri Baru", "email": ""},
    }
)
BUTTONS["accounts:officer_end"] = "a button: the URL names the officer whose role it ends"
NO_OTHER_SIDE["accounts:officer_end"] = "the KOMTIK admin's page: every association's officers are theirs"

# --- Logging without a signal (#15) ---
# The phone's outbox sends each queued entry to the logging form's JSON twin: 201 when it logs the
# work now (200 when its key was sent before), the form's field messages with 400, and JSON refusals
# a script can read: 401 for an ended session (the entry waits for a new login), 403 for a group the
# user does not (or no longer) log for, 405 for anything but a POST. The service worker and the
# manifest are the same for everyone (the worker holds no data; the phone keeps what the lists and
# the pages give the signed-in user, rows below).
CREATED = 201


def _sync(*roles: str) -> tuple[Outcomes, Outcomes]:
    return who(NOT_ALLOWED, anonymous=UNAUTHORIZED), _allow(roles, CREATED, DENIED) | {"anonymous": UNAUTHORIZED}


def _queued(group: str, credited: str) -> Data:
    import uuid

    return lambda w, role: {
        **_publication(w, getattr(w, group), getattr(w, credited)),
        "idempotency_key": str(uuid.uuid4()),
    }


PAYLOADS["programs:activity_sync"] = _queued("kpmi_a", "member_a")
URLS.update(
    {
        "programs:activity_sync": [
            V("KPMI A", _sync("member", "keepers_a", "admin"), kwargs={"kind_slug": "terbitan"}, query=kpmi("kpmi_a")),
            V(
                "KPMI B",
                _sync("manager_b", "admin"),
                kwargs={"kind_slug": "terbitan"},
                query=kpmi("kpmi_b"),
                data=_queued("kpmi_b", "manager_member_b"),
            ),
        ],
        "programs:outbox": [V("", page("member", "keepers_a", "manager_b", "admin"))],
        "programs:offline_lists": [V("", page("member", "keepers_a", "manager_b", "admin"))],
        "service_worker": [V("", public_page())],
        "manifest": [V("", public_page())],
    }
)


# --- Safe and quick actions (#14) ---
# A keeper answers a ToT's invitations for their groups on one page; each keeper's POST names the row
# of their own group (another group's row is not on their form, so it would be ignored).
def _tot_answers(w: SimpleNamespace, role: str) -> dict[str, Any]:
    invitation = w.invitation_b if role == "manager_b" else w.invitation_a
    return {f"answer_{invitation.pk}": "accept"}


PAYLOADS["interventions:tot_answer"] = _tot_answers
URLS.update(
    {
        "interventions:tot_answer": [
            V("", form("keepers_a", "manager_b", "admin"), kwargs={"pk": pk("tot")}),
        ],
        # The world's invitations are sent, not declined: the service refuses with a message (a redirect).
        "interventions:invitation_undo_decline": [
            V("ToT, candidate of A", action("keepers_a", "admin"), kwargs={"pk": pk("invitation_a")}),
            V("ToT, candidate of B", action("manager_b", "admin"), kwargs={"pk": pk("invitation_b")}),
        ],
    }
)
BUTTONS["interventions:invitation_undo_decline"] = "a button: the URL names the invitation"
NO_OTHER_SIDE["interventions:tot_answer"] = (
    "one ToT for every group: each keeper's form lists only their own group's rows (tests/programs/test_tot_answer.py)"
)

# Steps that cannot be undone answer GET with a page that says what will happen, and act only on a
# POST carrying that page's confirmation (#14): the rows below replace the buttons' rows above.
_CONFIRMED = {"confirm": "yes"}
for _name in (
    "interventions:competition_close",
    "interventions:collaboration_cancel",
    "interventions:invitation_decline",
    "awards:review_start",
    "awards:round_finalise",
    "awards:round_publish",
):
    BUTTONS.pop(_name, None)
    PAYLOADS[_name] = lambda w, role: dict(_CONFIRMED)
PAYLOADS["interventions:invitation_result"] = lambda w, role: {"passed": "yes", **_CONFIRMED}
URLS.update(
    {
        "interventions:competition_close": [
            V("", form("admin", "officer_users"), kwargs={"pk": pk("competition")}),
        ],
        "interventions:collaboration_cancel": [
            V("", form("admin", "officer_users"), kwargs={"pk": pk("collaboration_a")}),
        ],
        "interventions:invitation_decline": [
            V("ToT, candidate of A", form("keepers_a", "admin"), kwargs={"pk": pk("invitation_a")}),
            V("ToT, candidate of B", form("manager_b", "admin"), kwargs={"pk": pk("invitation_b")}),
        ],
        # The world's invitation is sent, not attended: the confirmed POST is refused with a message.
        "interventions:invitation_result": [
            V("ToT (Communities)", form("officer_communities", "admin"), kwargs={"pk": pk("invitation_a")}),
            V("collaboration (Users)", form("admin"), kwargs={"pk": pk("collab_invitation_a")}),
        ],
        "awards:review_start": [
            V("draft round", form("admin"), kwargs={"pk": pk("round_draft")}),
            V("published round", form("admin"), kwargs={"pk": pk("round_published")}),
        ],
        "awards:round_finalise": [
            V("round in review", form("admin"), kwargs={"pk": pk("round_review")}),
            V("published round", form("admin"), kwargs={"pk": pk("round_published")}),
        ],
        "awards:round_publish": [
            V("round in review", form("admin"), kwargs={"pk": pk("round_review")}),
            V("published round", form("admin"), kwargs={"pk": pk("round_published")}),
        ],
    }
)

# The picker's searches (#14): JSON for the logging forms (names and KPMI only, for a group the user
# logs work for) and a district's villages (reference data, behind the login like the forms).
URLS.update(
    {
        "programs:member_search": [
            V(
                "for KPMI A",
                page("member", "keepers_a", "admin"),
                query=lambda w: f"kpmi={w.kpmi_a.pk}&kind=publication&field=credited_other&q=an",
            ),
            V(
                "for KPMI B",
                page("manager_b", "admin"),
                query=lambda w: f"kpmi={w.kpmi_b.pk}&kind=training&field=lead_trainer&q=an",
            ),
        ],
        "members:desa_options": [
            V("", page(*ALL_SIGNED_IN), query=lambda w: f"kecamatan={w.kpmi_a.kecamatan_id}"),
        ],
    }
)
NO_OTHER_SIDE["members:desa_options"] = "villages are public reference data (BPS), the same for everyone"

# Cancelling a ToT is its own step behind a confirmation page (#14): the edit form has no status.
PAYLOADS["interventions:tot_edit"] = lambda w, role: {
    "name": "ToT Pusat",
    "date": iso(w.tot.date),
    "venue": "Aula KOMTIK",
    "capacity": 12,
    "respond_by": "",
}
PAYLOADS["interventions:tot_cancel"] = lambda w, role: dict(_CONFIRMED)
URLS["interventions:tot_cancel"] = [
    V("", form("admin", "officer_communities"), kwargs={"pk": pk("tot")}),
]
NO_OTHER_SIDE["interventions:tot_cancel"] = "every ToT is the Communities association's"

# An officer's appointment ends on a date chosen on its own page (#14), as a KPMI's roles do.
BUTTONS.pop("accounts:officer_end", None)
PAYLOADS["accounts:officer_end"] = lambda w, role: {"until": iso(w.today)}
URLS["accounts:officer_end"] = [V("", form("admin"), kwargs={"pk": lambda w: w.officer_users.officer.pk})]

# Completing a volunteer project closes it for good: its form's POST answers with a page that says
# what will happen, and the confirming POST (the same values and confirm=yes) completes it (#14).
PAYLOADS["interventions:project_complete"] = lambda w, role: {
    "date": iso(w.today),
    "beneficiaries": 30,
    "summary": "",
    **_CONFIRMED,
}
