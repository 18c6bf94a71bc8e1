"""factory_boy factories: tests build exactly the records they talk about."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.hashers import make_password

from associations.models import Association, Officer
from members.models import Desa, Kecamatan, Kpmi, KpmiRole, Level, LevelChange, Member, User

PASSWORD = "uji-rahasia-123"
# Hashing is slow by design; one hash shared by every test user keeps the suite fast.
_PASSWORD_HASH = make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = _PASSWORD_HASH


def kecamatan(name: str = "Tarogong Kidul") -> Kecamatan:
    """Reference data is loaded by migration; tests pick real districts by name."""
    return Kecamatan.objects.get(name=name)


def desa_of(kec: Kecamatan) -> Desa:
    return kec.desa.order_by("code").first()


class KpmiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpmi

    name = factory.Sequence(lambda n: f"KPMI Uji {n}")
    kecamatan = factory.LazyFunction(kecamatan)
    desa = factory.LazyAttribute(lambda k: desa_of(k.kecamatan))
    founded_on = dt.date(2015, 3, 1)


class MemberFactory(factory.django.DjangoModelFactory):
    """A member with the registration row that puts them at their level, as the services would."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    kpmi = factory.SubFactory(KpmiFactory)
    full_name = factory.Sequence(lambda n: f"Anggota {n}")
    gender = Member.Gender.FEMALE
    birth_year = 2000
    joined_on = dt.date(2020, 1, 15)
    level = Level.TRAINER_CANDIDATE

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            LevelChange.objects.create(
                member=self,
                kind=LevelChange.Kind.REGISTRATION,
                to_level=self.level,
                effective_on=self.joined_on,
                reason="Terdaftar.",
            )


def make_officer(code: str, username: str | None = None) -> User:
    user = UserFactory(username=username or f"officer_{code}")
    Officer.objects.create(user=user, association=Association.objects.get(code=code))
    return user


def make_keeper(kpmi: Kpmi, role: str = KpmiRole.Role.MANAGER, username: str | None = None, **member_kwargs) -> User:
    """A user who keeps a KPMI. A manager is also a member of it at manager level."""
    user = UserFactory(username=username or f"{role}_{kpmi.pk}")
    KpmiRole.objects.create(kpmi=kpmi, user=user, role=role)
    if role == KpmiRole.Role.MANAGER:
        MemberFactory(kpmi=kpmi, user=user, level=Level.MANAGER, full_name=f"Pengelola {kpmi.name}", **member_kwargs)
    return user
