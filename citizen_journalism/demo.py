"""Demo data of the newsroom: an editor account and articles in every state, written by the demo's
pioneers (or any member with a login). Called by `manage.py seed_demo` (kpmi_si/demo), after the
members; safe to run again: an article whose title exists already is left as it is."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from members.models import Level, Member

from . import services
from .models import Article, Category, EditorRole, State

EDITOR_USERNAME = "redaksi"

# (title, lead, body, the state it ends in)
ARTICLES: list[tuple[str, str, str, str]] = [
    (
        "Internet desa kini menjangkau sawah di Cilawu",
        "Relawan KPMI memasang titik akses di saung tani, petani memantau harga cabai langsung dari ladang.",
        "Sejak bulan lalu **petani Cilawu** bisa membuka harga pasar dari saung.\n\n"
        "## Dipasang bersama warga\n\nTitik akses dipasang relawan KPMI bersama karang taruna.\n\n"
        "- harga cabai harian\n- prakiraan cuaca\n- pesan kelompok tani",
        State.PUBLISHED,
    ),
    (
        "Pelatihan membuat toko daring untuk UMKM dodol",
        "Dua puluh perajin dodol belajar memotret produk dan membuka toko di lokapasar.",
        "Pelatihan berlangsung dua hari di balai desa. Peserta membawa produk masing-masing.",
        State.CORRECTION_SUBMITTED,
    ),
    (
        "Sekolah di Cisurupan punya laboratorium komputer baru",
        "Sepuluh komputer bekas kantor diperbaiki relawan dan kini dipakai siswa kelas enam.",
        "Komputer diperbaiki di sekretariat KPMI selama tiga minggu.",
        State.SCHEDULED,
    ),
    (
        "Posyandu mencatat data balita dengan aplikasi",
        "Kader posyandu mulai meninggalkan buku tulis dan mencatat tumbuh kembang balita di ponsel.",
        "Kader mendapat pendampingan seminggu sekali dari relawan KPMI.",
        State.SUBMITTED,
    ),
    (
        "Festival layang-layang di pantai Rancabuaya",
        "Ratusan warga menonton festival tahunan.",
        "Festival digelar Minggu pagi.",
        State.CHANGES_REQUESTED,
    ),
    (
        "Catatan rapat karang taruna",
        "Ringkasan rapat bulanan.",
        "Rapat membahas jadwal ronda.",
        State.REJECTED,
    ),
    (
        "Rencana kelas menulis untuk pelajar",
        "Draf yang belum dikirim ke redaksi.",
        "Masih ditulis.",
        State.DRAFT,
    ),
]


def _photo() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 120, 70)).save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile("foto-demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _editor(password: str) -> Any:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=EDITOR_USERNAME,
        defaults={"first_name": "Redaksi", "last_name": "Garut", "email": "redaksi@demo.komtik-garut.id"},
    )
    if created:
        user.password = make_password(password)
        user.save(update_fields=["password"])
    if not EditorRole.objects.filter(user=user).exists():
        admin = user_model.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if admin is not None:
            services.editor_role_set(actor=admin, user=user, kecamatan=[])
        else:
            EditorRole.objects.create(user=user)
    return user


def _writers() -> list[Member]:
    with_login = Member.objects.filter(user__isnull=False, user__is_active=True, anonymised_at__isnull=True)
    pioneers = list(with_login.filter(level=Level.PIONEER).select_related("kpmi", "user").order_by("pk")[:3])
    return pioneers or list(with_login.select_related("kpmi", "user").order_by("-level", "pk")[:3])


def _data(member: Member, title: str, lead: str, body: str, category: Category) -> dict[str, Any]:
    return {
        "title": title,
        "lead": lead,
        "body": body,
        "category": category,
        "kecamatan": member.kpmi.kecamatan,
        "desa": member.kpmi.desa,
        "tags": "demo, kpmi",
        "note": "",
    }


def _build(member: Member, editor: Any, spec: tuple[str, str, str, str], category: Category) -> None:
    title, lead, body, goal = spec
    writer = member.user
    data = _data(member, title, lead, body, category)
    photos = [services.PhotoUpload(upload=_photo(), caption=lead[:80], credit=member.full_name)]
    article = services.article_write(
        actor=writer, data=data, submit=goal != State.DRAFT, photos=photos if goal == State.PUBLISHED else []
    )
    if goal in (State.DRAFT, State.SUBMITTED):
        return
    if goal == State.CHANGES_REQUESTED:
        services.article_request_changes(
            actor=editor, article=article, comment="Tambahkan nama panitia dan jumlah pengunjung."
        )
        return
    if goal == State.REJECTED:
        services.article_reject(actor=editor, article=article, reason="Ini catatan internal, bukan berita untuk umum.")
        return
    if goal == State.SCHEDULED:
        services.article_approve(actor=editor, article=article, publish_at=timezone.now() + dt.timedelta(days=2))
        return
    services.article_approve(actor=editor, article=article)
    if goal == State.CORRECTION_SUBMITTED:
        article.refresh_from_db()
        services.article_write(
            actor=writer,
            article=article,
            data={
                **data,
                "body": body + "\n\nPelatihan diikuti 24 perajin, bukan 20.",
                "note": "Jumlah peserta diperbaiki.",
            },
            submit=True,
        )


def seed_citizen_journalism(stdout: TextIO, *, password: str) -> None:
    """Create the editor account and the demo articles (once); print the account. Called by
    `seed_demo` (kpmi_si.demo, which passes the demo password: this app does not import upwards)."""
    writers = _writers()
    if not writers:
        stdout.write("Garut Citizen Journalism: no member with a login yet, no articles made.\n")
        return
    with transaction.atomic():
        editor = _editor(password)
        categories = list(Category.objects.filter(active=True).order_by("position", "pk"))
        made = 0
        for index, spec in enumerate(ARTICLES):
            member = writers[index % len(writers)]
            if Article.objects.filter(
                author__user__isnull=False, revisions__number=1, revisions__title=spec[0]
            ).exists():
                continue
            _build(member, editor, spec, categories[index % len(categories)])
            made += 1
    stdout.write(
        f"Garut Citizen Journalism: {made} demo articles made. Editor account: {EDITOR_USERNAME} / {password} "
        f"(queue at /berita/redaksi/antrean/); writers: {', '.join(m.user.username for m in writers)}.\n"
    )
    _seed_sales(stdout)


# --- the content market (#13): two buyers, a licence, an exclusive sale and a payout ----------------------

BUYERS = [("Garut Pos Daring", "media", "redaksi@garutpos.example"), ("Yayasan Literasi Garut", "organisation", "")]


def _seed_sales(stdout: TextIO) -> None:
    """Made once: the buyers are found by name, and nothing is sold again once a demo buyer has bought."""
    from decimal import Decimal

    from .models import Buyer, Payout, Sale

    # Sales are recorded by the KOMTIK admin (the demo's superuser), as an officer would.
    actor = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if actor is None:
        stdout.write("Garut Citizen Journalism: no admin account yet, no sales made.\n")
        return
    with transaction.atomic():
        buyers = []
        for name, kind, contact in BUYERS:
            buyer = Buyer.objects.filter(name=name).first() or services.buyer_create(
                actor=actor, data={"name": name, "kind": kind, "contact": contact}
            )
            buyers.append(buyer)
        if Sale.objects.filter(buyer__in=buyers).exists():
            return
        public = list(Article.objects.filter(state__in=State.PUBLIC).order_by("pk")[:2])
        if not public:
            return
        today = timezone.localdate()
        licence = services.sale_record(
            actor=actor, article=public[0], buyer=buyers[0], kind="licence", amount=Decimal("150000"), date=today
        )
        services.sale_record(
            actor=actor, article=public[-1], buyer=buyers[1], kind="exclusive", amount=Decimal("750000"), date=today
        )
        if not Payout.objects.filter(author=licence.author).exists():
            services.payout_record(
                actor=actor,
                author=licence.author,
                amount=licence.author_amount / 2,
                date=today,
                method="transfer",
                reference="DEMO-1",
            )
    stdout.write(f"Garut Citizen Journalism: buyers {', '.join(b.name for b in buyers)}; two sales and a payout.\n")
