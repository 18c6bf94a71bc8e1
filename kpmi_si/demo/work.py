"""Deterministic demo work for the demo groups: a few thousand publications, education sessions,
deployments and trainings over the past years, credited to plausible members, some of it joint work
of two groups, some of the latest still awaiting approval. Called by `manage.py seed_demo`."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from members.models import Desa, Kpmi, KpmiRole, Level, Member, User
from programs.models import (
    Activity,
    ActivityCredit,
    ActivityKpmi,
    Deployment,
    EducationSession,
    Kind,
    Publication,
    Status,
    Training,
)

SEED = 2026
YEARS_BACK = 5
PER_YEAR = (14, 32)  # records per group per year
JOINT_SHARE = 0.12  # share of work done together with a member of another group
BATCH = 500

KIND_WEIGHTS = [(Kind.PUBLICATION, 40), (Kind.EDUCATION, 30), (Kind.DEPLOYMENT, 14), (Kind.TRAINING, 16)]

PUBLICATION_TOPICS = [
    "Jadwal posyandu",
    "Info harga gabah dan sayuran",
    "Profil UMKM keripik",
    "Profil UMKM kopi",
    "Pengumuman musyawarah desa",
    "Kerja bakti bersih kampung",
    "Potensi wisata curug",
    "Info beasiswa pelajar",
    "Jadwal vaksinasi ternak",
    "Kegiatan karang taruna",
    "Hasil panen raya",
    "Festival budaya Sunda",
    "Lowongan kerja dari BLK",
    "Jadwal pasar murah",
    "Laporan penyaluran bantuan",
]
CHANNEL_WEIGHTS = [
    (Publication.Channel.SOCIAL_MEDIA, 40),
    (Publication.Channel.WEBSITE, 25),
    (Publication.Channel.NEWS_PORTAL, 10),
    (Publication.Channel.VIDEO, 8),
    (Publication.Channel.NOTICE_BOARD, 7),
    (Publication.Channel.BULLETIN, 5),
    (Publication.Channel.RADIO, 5),
]
EDUCATION_TOPICS = [
    "Internet sehat dan aman",
    "Membuat dan memakai email",
    "Bertransaksi digital dengan aman",
    "Pemasaran online untuk UMKM",
    "Mengenali dan melawan hoaks",
    "Google Maps untuk usaha desa",
    "Mengetik surat dengan pengolah kata",
    "Literasi digital untuk orang tua",
    "Membuat CV dan melamar kerja daring",
    "Aplikasi cuaca dan harga untuk petani",
]
AUDIENCE_WEIGHTS = [
    (EducationSession.Audience.STUDENTS, 28),
    (EducationSession.Audience.FARMERS, 14),
    (EducationSession.Audience.WOMEN, 14),
    (EducationSession.Audience.YOUTH, 12),
    (EducationSession.Audience.BUSINESS, 10),
    (EducationSession.Audience.VILLAGE_OFFICIALS, 8),
    (EducationSession.Audience.TEACHERS, 6),
    (EducationSession.Audience.GENERAL, 8),
]
DEPLOYMENT_WORDS = {
    Deployment.DeploymentKind.NETWORK: "Jaringan komputer",
    Deployment.DeploymentKind.WEBSITE: "Website",
    Deployment.DeploymentKind.COMPUTER_LAB: "Laboratorium komputer",
    Deployment.DeploymentKind.INTERNET: "Akses internet",
    Deployment.DeploymentKind.APPLICATION: "Aplikasi administrasi",
    Deployment.DeploymentKind.HARDWARE: "Pemasangan komputer dan printer",
}
SITE_WEIGHTS = [
    (Deployment.SiteType.SCHOOL, 35),
    (Deployment.SiteType.VILLAGE_OFFICE, 25),
    (Deployment.SiteType.COMMUNITY_CENTRE, 12),
    (Deployment.SiteType.RELIGIOUS, 12),
    (Deployment.SiteType.HEALTH, 8),
    (Deployment.SiteType.BUSINESS, 8),
]
TRAINING_TOPICS = [
    "Dasar-dasar komputer",
    "Merakit dan merawat komputer",
    "Jaringan komputer dasar",
    "Membuat website desa",
    "Desain grafis untuk promosi",
    "Menulis berita warga",
    "Mengelola media sosial kelompok",
]
REJECTION_REASONS = ["Foto bukti tidak sesuai kegiatan.", "Tanggal kegiatan tidak tepat.", "Jumlah peserta meragukan."]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in weighted], [w for _value, w in weighted])[0]


def work_present() -> bool:
    return Activity.objects.exists()


class WorkDemoBuilder:
    def __init__(self, today: dt.date | None = None) -> None:
        self.rng = random.Random(SEED)
        self.today = today or timezone.localdate()

    def _site_name(self, site: str, desa: str) -> str:
        rng = self.rng
        return {
            Deployment.SiteType.SCHOOL: f"{rng.choice(['SDN', 'SMPN', 'MI', 'SMK'])} {rng.randint(1, 4)} {desa}",
            Deployment.SiteType.VILLAGE_OFFICE: f"Kantor Desa {desa}",
            Deployment.SiteType.COMMUNITY_CENTRE: f"Balai Warga RW {rng.randint(1, 12):02d} {desa}",
            Deployment.SiteType.RELIGIOUS: f"{rng.choice(['Masjid Al-Ikhlas', 'Pesantren Miftahul Huda'])} {desa}",
            Deployment.SiteType.HEALTH: f"Posyandu {rng.choice(['Melati', 'Mawar', 'Anggrek'])} {desa}",
            Deployment.SiteType.BUSINESS: f"Koperasi Tani {desa}",
        }[site]

    def _noon_after(self, day: dt.date) -> dt.datetime:
        moment = dt.datetime.combine(min(day + dt.timedelta(days=1), self.today), dt.time(12))
        return timezone.make_aware(moment)

    def _date(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    @transaction.atomic
    def build(self) -> int:
        rng = self.rng
        groups = list(Kpmi.objects.select_related("kecamatan").order_by("pk"))
        if not groups:
            return 0
        members: dict[int, list[Member]] = defaultdict(list)
        for member in Member.objects.select_related("user").order_by("pk"):
            members[member.kpmi_id].append(member)
        desa: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, kecamatan_id, name in Desa.objects.order_by("code").values_list("code", "kecamatan_id", "name"):
            desa[kecamatan_id].append((code, name))
        keepers: dict[int, User] = {}
        for role in KpmiRole.objects.select_related("user").order_by("role", "pk"):  # managers before supervisors
            keepers.setdefault(role.kpmi_id, role.user)
        self_logger = User.objects.filter(username="anggota").select_related("member").first()

        first_year = self.today.year - YEARS_BACK
        plans: list[tuple[Activity, dict, list[Member], list[Member]]] = []
        for kpmi in groups:
            keepers_of = keepers.get(kpmi.pk)
            for year in range(max(first_year, kpmi.founded_on.year), self.today.year + 1):
                start = max(dt.date(year, 1, 1), kpmi.founded_on + dt.timedelta(days=60))
                end = min(dt.date(year, 12, 31), self.today - dt.timedelta(days=1))
                if end <= start:
                    continue
                share = (end - start).days / 365
                for _n in range(round(rng.randint(*PER_YEAR) * share)):
                    plan = self._plan(kpmi, self._date(start, end), members, groups, desa, keepers_of)
                    if plan is not None:
                        plans.append(plan)
        if self_logger is not None and getattr(self_logger, "member", None) is not None:
            plans.extend(self._self_logged(self_logger, desa))
        return self._save(plans)

    def _plan(self, kpmi, day, members, groups, desa, keeper):
        rng = self.rng
        kind = _pick(rng, KIND_WEIGHTS)
        present = [m for m in members[kpmi.pk] if m.joined_on <= day]
        least = Level.TRAINER if kind == Kind.TRAINING else Level.MANAGER
        able = [m for m in present if m.level >= least]
        if not able:
            return None
        credited = rng.sample(able, k=min(len(able), rng.choices([1, 2, 3], [60, 30, 10])[0]))
        if rng.random() < JOINT_SHARE:
            other = rng.choice([g for g in groups if g.pk != kpmi.pk] or [kpmi])
            partners = [m for m in members[other.pk] if m.level >= least and m.joined_on <= day and m not in credited]
            if partners:
                credited.append(rng.choice(partners))
        trainees: list[Member] = []
        if kind == Kind.TRAINING:
            pool = [m for m in members[kpmi.pk] if m not in credited and m.level == Level.TRAINER_CANDIDATE]
            pool = pool or [m for m in members[kpmi.pk] if m not in credited]
            if not pool:
                return None
            trainees = rng.sample(pool, k=min(len(pool), rng.randint(1, 5)))
        places = desa.get(kpmi.kecamatan_id) or [(None, kpmi.kecamatan.name)]
        desa_code, desa_name = rng.choice(places)
        # Logged by a keeper of the group, so approved at once (programs.services does the same).
        activity = Activity(
            kind=kind,
            status=Status.APPROVED,
            kpmi=kpmi,
            date=day,
            kecamatan_id=kpmi.kecamatan_id,
            desa_id=desa_code,
            created_by=keeper,
            decided_by=keeper,
            decided_at=self._noon_after(day),
        )
        detail = self._detail(activity, kpmi, desa_name)
        if rng.random() < 0.3:
            activity.evidence_url = f"https://drive.google.com/drive/folders/{rng.getrandbits(64):016x}"
        return activity, detail, credited, trainees

    def _detail(self, activity: Activity, kpmi: Kpmi, desa_name: str) -> dict:
        rng = self.rng
        kind = activity.kind
        if kind == Kind.PUBLICATION:
            topic = rng.choice(PUBLICATION_TOPICS)
            activity.title = f"{topic} Desa {desa_name}"
            activity.summary = f"{topic} untuk warga Desa {desa_name}, dihimpun oleh relawan {kpmi.name}."
            channel = _pick(rng, CHANNEL_WEIGHTS)
            slug = slugify(kpmi.name)
            link = {
                Publication.Channel.SOCIAL_MEDIA: f"https://www.facebook.com/{slug}/posts/{rng.randint(10**9, 10**10)}",
                Publication.Channel.WEBSITE: f"https://{slug}.komtik-garut.id/berita/{rng.randint(1, 900)}",
                Publication.Channel.NEWS_PORTAL: f"https://garutcitizen.id/warta/{rng.randint(1000, 99999)}",
                Publication.Channel.VIDEO: f"https://www.youtube.com/watch?v={rng.getrandbits(40):010x}",
            }.get(channel, "")
            return {"channel": channel, "link": link}
        if kind == Kind.EDUCATION:
            activity.title = rng.choice(EDUCATION_TOPICS)
            activity.summary = f"Edukasi TIK oleh relawan {kpmi.name} di Desa {desa_name}."
            venue = rng.choice([f"Balai Desa {desa_name}", f"Aula SMPN {rng.randint(1, 3)}", "Posyandu", "Madrasah"])
            return {"venue": venue, "participants": rng.randint(8, 60), "audience": _pick(rng, AUDIENCE_WEIGHTS)}
        if kind == Kind.DEPLOYMENT:
            what = rng.choice(list(DEPLOYMENT_WORDS))
            site = _pick(rng, SITE_WEIGHTS)
            site_name = self._site_name(site, desa_name)
            activity.title = f"{DEPLOYMENT_WORDS[what]} {site_name}"
            status = rng.choices(list(Deployment.OperationalStatus.values), [80, 15, 5])[0]
            return {
                "deployment_kind": what,
                "site_type": site,
                "site_name": site_name,
                "beneficiaries": rng.randint(15, 400),
                "operational_status": status,
            }
        activity.title = rng.choice(TRAINING_TOPICS)
        activity.summary = f"Pelatihan anggota {kpmi.name}."
        return {
            "venue": rng.choice([f"Sekretariat {kpmi.name}", "Lab komputer sekolah", f"Balai Desa {desa_name}"]),
            "trainee_group": rng.choice(Training.TraineeGroup.values),
        }

    def _self_logged(self, user: User, desa) -> list:
        """The demo member's own records: approved by the manager, one rejected, the latest waiting."""
        member = user.member
        kpmi = member.kpmi
        places = desa.get(kpmi.kecamatan_id) or [(None, kpmi.kecamatan.name)]
        manager = KpmiRole.objects.filter(kpmi=kpmi, role=KpmiRole.Role.MANAGER).select_related("user").first()
        plans = []
        for days_ago, kind, status in [
            (120, Kind.EDUCATION, Status.APPROVED),
            (75, Kind.PUBLICATION, Status.APPROVED),
            (40, Kind.EDUCATION, Status.REJECTED),
            (33, Kind.EDUCATION, Status.APPROVED),
            (12, Kind.PUBLICATION, Status.PENDING),
            (5, Kind.EDUCATION, Status.PENDING),
        ]:
            day = self.today - dt.timedelta(days=days_ago)
            code, desa_name = self.rng.choice(places)
            decided = status != Status.PENDING and manager is not None
            activity = Activity(
                kind=kind,
                status=status if decided else Status.PENDING,
                kpmi=kpmi,
                date=day,
                kecamatan_id=kpmi.kecamatan_id,
                desa_id=code,
                created_by=user,
                decided_by=manager.user if decided else None,
                decided_at=self._noon_after(day) if decided else None,
                rejection_reason=self.rng.choice(REJECTION_REASONS) if decided and status == Status.REJECTED else "",
            )
            plans.append((activity, self._detail(activity, kpmi, desa_name), [member], []))
        return plans

    def _save(self, plans: list) -> int:
        activities = Activity.objects.bulk_create([p[0] for p in plans], batch_size=BATCH)
        models = {Kind.PUBLICATION: Publication, Kind.EDUCATION: EducationSession, Kind.DEPLOYMENT: Deployment}
        details: dict[type, list] = defaultdict(list)
        trainings, credits, groups, through = [], [], [], []
        for activity, (_a, detail, credited, trainees) in zip(activities, plans, strict=True):
            if activity.kind == Kind.TRAINING:
                trainings.append(Training(activity=activity, **detail))
                through.extend(Training.trainees.through(training_id=activity.pk, member_id=m.pk) for m in trainees)
            else:
                details[models[activity.kind]].append(models[activity.kind](activity=activity, **detail))
            credits.extend(
                ActivityCredit(
                    activity=activity,
                    member=m,
                    kpmi_id=m.kpmi_id,
                    position=i,
                    kind=activity.kind,
                    date=activity.date,
                    status=activity.status,
                )
                for i, m in enumerate(credited)
            )
            # The same rows programs.services.sync_counting_rows writes, in bulk.
            groups.extend(
                ActivityKpmi(
                    activity=activity, kpmi_id=pk, kind=activity.kind, date=activity.date, status=activity.status
                )
                for pk in sorted({activity.kpmi_id} | {m.kpmi_id for m in credited})
            )
        for model, rows in details.items():
            model.objects.bulk_create(rows, batch_size=BATCH)
        Training.objects.bulk_create(trainings, batch_size=BATCH)
        Training.trainees.through.objects.bulk_create(through, batch_size=BATCH)
        ActivityCredit.objects.bulk_create(credits, batch_size=BATCH)
        ActivityKpmi.objects.bulk_create(groups, batch_size=BATCH)
        return len(activities)
