"""Logged work for tests that need records without the rules of a service (old dates, any status):
the activity and its detail row are written directly, the credits and groups taking part by the
same function the services use."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from members.models import Kpmi, Member
from programs import services
from programs.models import (
    Activity,
    Deployment,
    EducationSession,
    Kind,
    Publication,
    Status,
    Training,
)

DETAIL_DEFAULTS: dict[str, dict[str, Any]] = {
    Kind.PUBLICATION: {"channel": Publication.Channel.WEBSITE, "link": "https://desa.example.id/berita/1"},
    Kind.EDUCATION: {"venue": "Balai desa", "participants": 20, "audience": EducationSession.Audience.FARMERS},
    Kind.DEPLOYMENT: {
        "deployment_kind": Deployment.DeploymentKind.NETWORK,
        "site_type": Deployment.SiteType.SCHOOL,
        "site_name": "SDN 1 Cibatu",
        "beneficiaries": 120,
    },
    Kind.TRAINING: {"venue": "Lab SMKN 1", "trainee_group": Training.TraineeGroup.NEW_MEMBERS},
}


def recent(days: int = 3) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def make_activity(
    *,
    kpmi: Kpmi,
    credited: list[Member],
    kind: str = Kind.PUBLICATION,
    date: dt.date | None = None,
    status: str = Status.APPROVED,
    created_by=None,
    title: str | None = None,
    trainees: list[Member] | None = None,
    kecamatan=None,
    **detail: Any,
) -> Activity:
    date = date or recent()
    activity = Activity.objects.create(
        kind=kind,
        kpmi=kpmi,
        status=status,
        title=title or f"{Kind(kind).label} {date:%Y-%m-%d}",
        date=date,
        kecamatan=kecamatan or kpmi.kecamatan,
        created_by=created_by,
        rejection_reason="Kurang bukti." if status == Status.REJECTED else "",
    )
    model = {
        Kind.PUBLICATION: Publication,
        Kind.EDUCATION: EducationSession,
        Kind.DEPLOYMENT: Deployment,
        Kind.TRAINING: Training,
    }[kind]
    row = model.objects.create(activity=activity, **{**DETAIL_DEFAULTS[kind], **detail})
    if trainees:
        row.trainees.set(trainees)
    services.sync_counting_rows(activity, credited)
    return activity


def photo(name: str = "foto.jpg", size: tuple[int, int] = (2400, 1800), fmt: str = "JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 140, 60)).save(buffer, format=fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def pdf(name: str = "laporan.pdf", padding: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * padding + b"\n%%EOF", content_type="application/pdf")


def huge_png(name: str = "peta.png", size: tuple[int, int] = (12_000, 12_000)) -> SimpleUploadedFile:
    """A valid PNG of many pixels in a small file (one bit per pixel, all black, compressed): what a
    decompression bomb looks like. Built by hand so that making it does not decode it."""
    width, height = size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    content = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return SimpleUploadedFile(name, content, content_type="image/png")


def pdf_with(body: bytes, name: str = "laporan.pdf") -> SimpleUploadedFile:
    """A small PDF whose objects are `body` (the structure around them is enough for the checks)."""
    content = b"%PDF-1.7\n" + body + b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")
