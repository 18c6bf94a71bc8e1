"""A record's history says what happened in words (the audit code stays in the row, not on the page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs import services as program_services
from programs.models import Kind, Publication

from .factories import recent


@pytest.mark.django_db
def test_an_activity_history_shows_words_not_codes(client_for, officer_users, manager_a, kpmi_a, manager_member_a):
    activity = program_services.activity_log(
        actor=manager_a,
        kind=Kind.PUBLICATION,
        kpmi=kpmi_a,
        data={
            "title": "Profil UMKM kopi Cikajang",
            "date": recent(),
            "kecamatan": kpmi_a.kecamatan,
            "channel": Publication.Channel.WEBSITE,
            "link": "https://kpmi.example.id/kopi",
        },
        credited=[manager_member_a],
    )
    body = client_for(officer_users).get(reverse("programs:activity_detail", args=[activity.pk])).content.decode()
    assert "Kegiatan dicatat" in body
    assert "activity.log" not in body
