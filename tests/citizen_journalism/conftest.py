"""The newsroom's cast: a pioneer writer of KPMI A, a plain member writer, a whole-site editor, an
editor of Cibatu only, and an editor who also writes (a pioneer of KPMI A with the editor role)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from citizen_journalism import services
from citizen_journalism.models import Category, EditorRole
from members.models import Desa, Level
from tests import factories
from tests.programs.factories import photo


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def pioneer(kpmi_a):
    user = factories.UserFactory(username="perintis_a", first_name="Asep", last_name="Perintis")
    factories.MemberFactory(kpmi=kpmi_a, user=user, level=Level.PIONEER, full_name="Asep Perintis")
    return user


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="redaksi")
    EditorRole.objects.create(user=user)
    return user


@pytest.fixture
def cibatu_editor(db):
    user = factories.UserFactory(username="redaksi_cibatu")
    role = EditorRole.objects.create(user=user)
    role.kecamatan.set([factories.kecamatan("Cibatu")])
    return user


@pytest.fixture
def writing_editor(kpmi_a):
    """A pioneer who is also an editor of the whole site."""
    user = factories.UserFactory(username="perintis_redaksi")
    factories.MemberFactory(kpmi=kpmi_a, user=user, level=Level.PIONEER, full_name="Dadan Redaksi")
    EditorRole.objects.create(user=user)
    return user


@pytest.fixture
def category(db):
    # get_or_create: transactional tests (live server, the job) flush what the migration seeded.
    return Category.objects.get_or_create(slug="teknologi", defaults={"name": "Teknologi & TIK"})[0]


def today() -> dt.date:
    """Garut's date when a test runs, not when pytest collects it: a suite that crosses midnight must not
    sell on a stale day."""
    return timezone.localdate()


def article_data(kpmi, category, **overrides: Any) -> dict[str, Any]:
    desa = Desa.objects.filter(kecamatan=kpmi.kecamatan).order_by("code").first()
    return {
        "title": "Internet masuk ke saung tani",
        "lead": "Relawan KPMI memasang titik akses di saung tani.",
        "body": (
            "Petani kini bisa **memantau harga** dari ladang.\n\n## Bersama warga\n\nDipasang bersama karang taruna."
        ),
        "category": category,
        "kecamatan": kpmi.kecamatan,
        "desa": desa,
        "tags": "internet, pertanian",
        "note": "",
        **overrides,
    }


def form_data(kpmi, category, **overrides: Any) -> dict[str, Any]:
    data = article_data(kpmi, category)
    data = {
        **data,
        "category": category.pk,
        "kecamatan": kpmi.kecamatan_id,
        "desa": data["desa"].code,
        "action": "submit",
    }
    data.update(overrides)
    return data


def with_photo(**kwargs: Any) -> list[services.PhotoUpload]:
    return [services.PhotoUpload(upload=photo(**kwargs), caption="Saung tani", credit="Asep")]


@pytest.fixture
def submitted(pioneer, kpmi_a, category):
    return services.article_write(actor=pioneer, data=article_data(kpmi_a, category), submit=True, photos=with_photo())


@pytest.fixture
def published(submitted, editor):
    return services.article_approve(actor=editor, article=submitted)
