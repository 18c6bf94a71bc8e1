"""Deterministic demo data for Garut: groups, members with plausible ladder histories and training
lineage, and one account per role. Used by `manage.py seed_demo` (and by `make run`)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from associations.models import Association, Officer
from members.models import Desa, Kecamatan, Kpmi, KpmiRole, Level, LevelChange, Member, User

DEMO_PASSWORD = "kpmi-demo-2026"
SEED = 2014  # the year the original SI KPMI started

FIRST_NAMES_M = [
    "Asep",
    "Ujang",
    "Dede",
    "Cecep",
    "Dadan",
    "Yayan",
    "Agus",
    "Iwan",
    "Rudi",
    "Ade",
    "Dudi",
    "Jajang",
    "Eko",
    "Hendra",
    "Rizki",
    "Fajar",
    "Ilham",
    "Ridwan",
    "Taufik",
    "Wawan",
    "Budi",
    "Deni",
    "Engkus",
    "Galih",
    "Irfan",
    "Maman",
    "Nandang",
    "Opik",
    "Rahmat",
    "Tatang",
]
FIRST_NAMES_F = [
    "Euis",
    "Neng",
    "Siti",
    "Rina",
    "Yuyun",
    "Dewi",
    "Lilis",
    "Nining",
    "Ai",
    "Enok",
    "Iis",
    "Nurul",
    "Rini",
    "Sri",
    "Tati",
    "Wulan",
    "Intan",
    "Ayu",
    "Fitri",
    "Lina",
    "Mega",
    "Nia",
    "Putri",
    "Resti",
    "Santi",
    "Teti",
    "Yanti",
    "Elis",
    "Hani",
    "Kiki",
]
FAMILY_NAMES = [
    "Suryana",
    "Hidayat",
    "Permana",
    "Kurniawan",
    "Nurhayati",
    "Setiawan",
    "Gunawan",
    "Rahayu",
    "Saepudin",
    "Hermawan",
    "Sopandi",
    "Mulyana",
    "Supriatna",
    "Kusnadi",
    "Sukmawati",
    "Ramdani",
    "Firmansyah",
    "Nugraha",
    "Wahyudi",
    "Sumarna",
    "Rusmana",
    "Komarudin",
    "Maulana",
    "Fauzi",
    "Solihin",
    "Purnama",
]
SCHOOL_KINDS = ["SMKN", "SMAN", "SMPN", "MAN", "SMK"]

# (name pattern, kecamatan name) for the groups that started KPMI in Garut; offshoots follow.
ROOT_GROUPS = [
    ("KPMI SMKN 1 Garut", "Tarogong Kidul"),
    ("KPMI SMAN 1 Garut", "Garut Kota"),
    ("KPMI SMKN 2 Garut", "Tarogong Kaler"),
    ("KPMI Desa Cibatu", "Cibatu"),
    ("KPMI SMKN 1 Cilawu", "Cilawu"),
    ("KPMI Karangpawitan", "Karangpawitan"),
    ("KPMI SMAN 1 Leles", "Leles"),
    ("KPMI Pameungpeuk", "Pameungpeuk"),
    ("KPMI SMKN 1 Cikajang", "Cikajang"),
    ("KPMI Malangbong", "Malangbong"),
]
OFFSHOOTS_PER_ROOT = 2


@dataclass
class DemoAccount:
    username: str
    role: str


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


class DemoBuilder:
    def __init__(self, today: dt.date | None = None) -> None:
        self.rng = random.Random(SEED)
        self.today = today or timezone.localdate()
        self.admin: User | None = None
        self._used_names: set[str] = set()
        self._password_hash: str | None = None

    # --- people ---------------------------------------------------------------------------------------
    def _person_name(self, gender: str) -> str:
        pool = FIRST_NAMES_M if gender == Member.Gender.MALE else FIRST_NAMES_F
        for _attempt in range(50):
            name = f"{self.rng.choice(pool)} {self.rng.choice(FAMILY_NAMES)}"
            if name not in self._used_names:
                break
            name = f"{name} {self.rng.choice(FAMILY_NAMES)}"
            if name not in self._used_names:
                break
        self._used_names.add(name)
        return name

    def _phone(self) -> str:
        return f"08{self.rng.choice(['12', '13', '21', '52', '57', '77', '78'])}{self.rng.randint(10000000, 99999999)}"

    def _user(self, username: str, first: str, last: str, **extra) -> User:
        user = User(
            username=username, first_name=first, last_name=last, email=f"{username}@demo.komtik-garut.id", **extra
        )
        # One hash for all demo accounts: hashing is deliberately slow, and 40 accounts would take 20 s.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        user.password = self._password_hash
        user.save()
        return user

    # --- members with a ladder history --------------------------------------------------------------
    def _add_member(
        self,
        kpmi: Kpmi,
        joined_on: dt.date,
        target_level: int,
        trained_by: Member | None,
        histories: list[LevelChange],
        promotion_reasons: dict[int, str] | None = None,
        until: dt.date | None = None,
    ) -> Member:
        """A member with the history rows that take them from registration to their level. Each step
        waits a plausible time; a step that would fall after `until` is not taken."""
        gender = self.rng.choice(Member.Gender.values)
        full_name = self._person_name(gender)
        member = Member.objects.create(
            kpmi=kpmi,
            full_name=full_name,
            gender=gender,
            birth_year=self.rng.randint(max(1975, joined_on.year - 45), joined_on.year - 14),
            joined_on=joined_on,
            phone=self._phone(),
            level=Level.TRAINER_CANDIDATE,
            trained_by=trained_by,
        )
        histories.append(
            LevelChange(
                member=member,
                kind=LevelChange.Kind.REGISTRATION,
                to_level=Level.TRAINER_CANDIDATE,
                effective_on=joined_on,
                reason="Terdaftar sebagai anggota baru.",
                recorded_by=self.admin,
            )
        )
        level, on = Level.TRAINER_CANDIDATE, joined_on
        limit = until or self.today
        waits = {Level.TRAINER: (60, 300), Level.MANAGER: (150, 600), Level.PIONEER: (300, 900)}
        reasons = promotion_reasons or {}
        while level < target_level:
            nxt = level + 1
            step_on = on + dt.timedelta(days=self.rng.randint(*waits[nxt]))
            if step_on > limit:
                break
            reason = (
                reasons.get(nxt)
                or {
                    Level.TRAINER: f"Lulus ToT #{self.rng.randint(1, 24)} di KOMTIK Garut.",
                    Level.MANAGER: f"Telah melatih {self.rng.randint(1, 5)} anggota baru.",
                    Level.PIONEER: "Merintis usaha TIK untuk operasional KPMI.",
                }[nxt]
            )
            histories.append(
                LevelChange(
                    member=member,
                    kind=LevelChange.Kind.PROMOTION,
                    from_level=level,
                    to_level=nxt,
                    effective_on=step_on,
                    reason=reason,
                    evidence="Sertifikat ToT" if nxt == Level.TRAINER else "",
                    recorded_by=self.admin,
                )
            )
            level, on = nxt, step_on
        if level != member.level:
            member.level = level
            member.save(update_fields=["level"])
        member._reached_on = on  # when the member reached their current level
        return member

    def _populate(self, kpmi: Kpmi, size: int, founder: Member | None, histories: list[LevelChange]) -> list[Member]:
        """Members of one group. The first recruits are trained by the founder (or are the group's
        first trainers); later ones are trained by the group's own trainers, 1 to 5 each."""
        members: list[Member] = []
        start = kpmi.founded_on
        end = self.today - dt.timedelta(days=14)
        joins = sorted(_date_between(self.rng, start, end) for _ in range(size))
        weights = [(Level.TRAINER_CANDIDATE, 50), (Level.TRAINER, 28), (Level.MANAGER, 17), (Level.PIONEER, 5)]
        for index, joined in enumerate(joins):
            target = self.rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]
            if index < 2:
                target = max(target, Level.MANAGER)  # every group has someone who runs it
            trainers = [
                m
                for m in members
                if m.level >= Level.TRAINER and m._reached_on <= joined and len(getattr(m, "_trainees", [])) < 5
            ]
            trainer = self.rng.choice(trainers) if trainers else founder
            member = self._add_member(kpmi, joined, target, trainer, histories)
            if trainer is not None:
                trainer._trainees = [*getattr(trainer, "_trainees", []), member]
            members.append(member)
        return members

    # --- the whole data set -----------------------------------------------------------------------------
    @transaction.atomic
    def build(self) -> list[DemoAccount]:
        self.admin = self._user("admin", "Admin", "KOMTIK", is_superuser=True, is_staff=True)
        kecamatan = {k.name: k for k in Kecamatan.objects.all()}
        desa_by_kec: dict[str, list[Desa]] = {}
        for d in Desa.objects.order_by("code"):
            desa_by_kec.setdefault(d.kecamatan_id, []).append(d)
        kec_names = sorted(kecamatan)
        histories: list[LevelChange] = []
        groups: list[tuple[Kpmi, list[Member]]] = []

        for index, (name, kec_name) in enumerate(ROOT_GROUPS):
            kec = kecamatan[kec_name]
            founded = dt.date(2010 + index // 2, 1 + (index * 5) % 12, 1 + (index * 7) % 27)
            kpmi = Kpmi.objects.create(
                name=name,
                kecamatan=kec,
                desa=self.rng.choice(desa_by_kec[kec.code]),
                founded_on=founded,
                address=f"Jl. Raya {kec_name} No. {self.rng.randint(1, 200)}",
                description="Kelompok relawan TIK yang melatih warga dan menerbitkan informasi lingkungan.",
            )
            groups.append((kpmi, self._populate(kpmi, self.rng.randint(18, 26), None, histories)))

        used_kecamatan = {k.kecamatan_id for k, _m in groups}
        free_kecamatan = [n for n in kec_names if kecamatan[n].code not in used_kecamatan]
        for root, root_members in list(groups):
            for _n in range(OFFSHOOTS_PER_ROOT):
                kec = kecamatan[free_kecamatan.pop(self.rng.randrange(len(free_kecamatan)))]
                founded = _date_between(
                    self.rng, root.founded_on + dt.timedelta(days=1100), self.today - dt.timedelta(days=200)
                )
                school = self.rng.choice(SCHOOL_KINDS)
                name = f"KPMI {school} {self.rng.randint(1, 3)} {kec.name}"
                kpmi = Kpmi.objects.create(
                    name=name,
                    kecamatan=kec,
                    desa=self.rng.choice(desa_by_kec[kec.code]),
                    founded_on=founded,
                    founded_from=root,
                    address=f"Jl. {kec.name} No. {self.rng.randint(1, 200)}",
                    status=self.rng.choices(Kpmi.Status.values, [85, 12, 3])[0],
                )
                # The founder: a member of the root group who reached manager before the founding day
                # and becomes a pioneer on it.
                founder = self._add_member(
                    root,
                    _date_between(self.rng, root.founded_on, root.founded_on + dt.timedelta(days=200)),
                    Level.PIONEER,
                    root_members[0] if root_members[0].level >= Level.TRAINER else None,
                    histories,
                    promotion_reasons={Level.PIONEER: f"Merintis {name}."},
                    until=founded,
                )
                root_members.append(founder)
                if founder.level == Level.PIONEER:
                    kpmi.founded_by = founder
                    kpmi.save(update_fields=["founded_by"])
                groups.append((kpmi, self._populate(kpmi, self.rng.randint(12, 20), founder, histories)))

        LevelChange.objects.bulk_create(histories, batch_size=500)
        return self._accounts(groups)

    def _accounts(self, groups: list[tuple[Kpmi, list[Member]]]) -> list[DemoAccount]:
        accounts = [DemoAccount("admin", "KOMTIK admin")]
        for code, username in [
            ("communities", "petugas_komunitas"),
            ("users", "petugas_pengguna"),
            ("platform", "petugas_platform"),
            ("entrepreneurs", "petugas_entrepreneur"),
        ]:
            user = self._user(username, "Petugas", code.capitalize())
            Officer.objects.create(user=user, association=Association.objects.get(code=code), title="Petugas")
            accounts.append(DemoAccount(username, f"officer ({code})"))

        first_kpmi, first_members = groups[0]
        manager = next(m for m in first_members if m.level >= Level.MANAGER)
        manager_user = self._user("pengelola", *manager.full_name.split(" ", 1))
        manager.user = manager_user
        manager.save(update_fields=["user"])
        KpmiRole.objects.create(kpmi=first_kpmi, user=manager_user, role=KpmiRole.Role.MANAGER, since=manager.joined_on)
        accounts.append(DemoAccount("pengelola", f"KPMI manager ({first_kpmi.name})"))

        supervisor = self._user("pembina", "Ibu Guru", "Sukmawati")
        for kpmi, _m in groups[:2]:
            KpmiRole.objects.create(kpmi=kpmi, user=supervisor, role=KpmiRole.Role.SUPERVISOR, since=kpmi.founded_on)
        # Every other group gets a supervisor too, so the public directory shows one per group.
        for index, (kpmi, _m) in enumerate(groups[2:], start=1):
            teacher = self._user(f"pembina{index:02d}", "Guru", self.rng.choice(FAMILY_NAMES))
            KpmiRole.objects.create(kpmi=kpmi, user=teacher, role=KpmiRole.Role.SUPERVISOR, since=kpmi.founded_on)
        accounts.append(DemoAccount("pembina", f"supervisor ({groups[0][0].name}, {groups[1][0].name})"))

        plain = next(m for m in first_members if m.level == Level.TRAINER and m.user_id is None)
        member_user = self._user("anggota", *plain.full_name.split(" ", 1))
        plain.user = member_user
        plain.save(update_fields=["user"])
        accounts.append(DemoAccount("anggota", f"member ({first_kpmi.name})"))

        # A pioneer with a login: the demo's citizen-journalism articles are written by pioneers when one
        # can log in, so their sales show up as "revenue to pioneers" on the Entrepreneurs dashboard.
        pioneer = next(
            (m for _kpmi, members in groups for m in members if m.level == Level.PIONEER and m.user_id is None), None
        )
        if pioneer is not None:
            pioneer_user = self._user("perintis", *pioneer.full_name.split(" ", 1))
            pioneer.user = pioneer_user
            pioneer.save(update_fields=["user"])
            accounts.append(DemoAccount("perintis", f"pioneer ({pioneer.kpmi.name})"))
        return accounts


def demo_present() -> bool:
    return User.objects.filter(username="admin").exists() and Kpmi.objects.exists()
