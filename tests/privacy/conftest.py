"""Euis, the plain member of KPMI A, with a bit of everything the system keeps about a member, and
her name in texts other people wrote."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from associations.models import Association
from kpmi_si.notifications.models import Notification
from members import services as member_services
from members.models import LevelChange
from programs.models import (
    AssociationAward,
    Evidence,
    Invitation,
    Kind,
    ProjectSignup,
    TotEvent,
    VolunteerProject,
)
from tests import factories
from tests.programs.factories import make_activity, recent

NAME = "Euis Anggota"
PHONE = "0812-3456-7890"
OLD_PHONE = "0877-1111-2222"
EMAIL = "euis.pribadi@contoh.id"
LOGIN_EMAIL = "euis.login@contoh.id"
BIRTH_YEAR = 1991


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def euis(member_user_a, manager_a, kpmi_a, kpmi_b, officer_platform):
    member = member_user_a.member
    member.user.email = LOGIN_EMAIL
    member.user.save(update_fields=["email"])
    # Contact details typed by her manager: the audit trail keeps the old and the new phone.
    member_services.member_update(
        actor=manager_a, member=member, data={"phone": OLD_PHONE, "email": EMAIL, "birth_year": BIRTH_YEAR}
    )
    member_services.member_update(actor=manager_a, member=member, data={"phone": PHONE})
    member.refresh_from_db()

    work = make_activity(
        kpmi=kpmi_a,
        credited=[member, manager_a.member],
        kind=Kind.EDUCATION,
        title=f"Edukasi internet sehat bersama {NAME}",
        created_by=manager_a,
        venue="Balai Desa Sukamaju",
        participants=25,
    )
    Evidence.objects.create(
        activity=work,
        file="evidence/2026/01/acak.jpg",
        file_kind=Evidence.FileKind.PHOTO,
        original_name=f"Foto {NAME} di balai desa.jpg",
        size=1234,
        uploaded_by=manager_a,
    )
    others_work = make_activity(kpmi=kpmi_b, credited=[factories.MemberFactory(kpmi=kpmi_b)], kind=Kind.PUBLICATION)
    others_work.summary = f"Ditulis setelah berdiskusi dengan {NAME.upper()} dari KPMI Alfa."
    others_work.save(update_fields=["summary"])
    trainer = factories.MemberFactory(kpmi=kpmi_a, full_name="Asep Pelatih")
    LevelChange.objects.filter(member=trainer).update(reason=f"Dilatih oleh {NAME}.")

    tot = TotEvent.objects.create(name="ToT Pusat 7", date=timezone.localdate() + dt.timedelta(days=20), capacity=10)
    invitation = Invitation.objects.create(
        tot_event=tot, member=member, kpmi=kpmi_a, status=Invitation.Status.SENT, note="Diusulkan pengelola."
    )
    project = VolunteerProject.objects.create(
        title="Jaringan SDN 2 Cibatu",
        deployment_kind="network",
        site_type="school",
        site_name="SDN 2 Cibatu",
        kecamatan=kpmi_a.kecamatan,
        needs="Kabel dan router.",
        start_date=recent(10),
        end_date=recent(2),
        team_size=2,
    )
    ProjectSignup.objects.create(project=project, member=member, kpmi=kpmi_a)
    award = AssociationAward.objects.create(
        association=Association.objects.get(code="platform"),
        member=member,
        name="Relawan Teladan",
        reason=f"{NAME} memasang jaringan di tiga sekolah.",
        awarded_on=recent(5),
        granted_by=officer_platform,
    )
    Notification.objects.create(recipient=member.user, message="Anda diundang ke ToT Pusat 7.")
    told_manager = Notification.objects.create(recipient=manager_a, message=f"{NAME} menerima undangan ToT Pusat 7.")
    return SimpleNamespace(
        member=member,
        work=work,
        others_work=others_work,
        trainer=trainer,
        invitation=invitation,
        project=project,
        award=award,
        told_manager=told_manager,
    )


# The awards of 2025 in a small Garut, published (tests/awards/conftest.py): winners on public pages.
from tests.awards.conftest import garut, in_review, jury_user, published, round_2025, shortlisted  # noqa: E402, F401
