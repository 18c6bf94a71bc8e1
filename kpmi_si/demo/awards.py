"""The demo award round for `seed_demo`: last year's KOMTIK awards, taken the whole way through the
services as the admin and a jury member would (open with the default categories, build the shortlist,
seat the jury, vote, decide as the tally says, finalise, publish), so a fresh `make run` shows a
public winners page, certificates whose codes verify, awards on member and KPMI pages, and the jury's
pages through the `juri` login. Every step is audited like a real round.

Deterministic: the winners follow from the demo work (itself seeded) and the votes from a seeded
generator. Certificate codes stay random (awards.certificates.new_code): they are the key to a
certificate, and the demo uses the same code path as production.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from awards import selectors, services
from awards.models import AwardRound, Finalist
from members.models import User

from .members import DEMO_PASSWORD

SEED = 2025
JURY_USERNAME = "juri"
VOTE_COMMENTS = [
    "Konsisten sepanjang tahun; dampaknya terasa di desa.",
    "Kegiatannya tercatat rapi dan bisa diperiksa.",
    "Layak diapresiasi, semoga menular ke anggota lain.",
    "Peningkatan dari tahun lalu jelas terlihat.",
    "Kerja relawan yang menginspirasi kelompoknya.",
]
NO_FINALIST_REASON = "Tidak ada finalis yang memenuhi syarat minimum tahun ini."


def awards_present() -> bool:
    # Any round means the admin (or an earlier seed) already runs awards here: leave them alone.
    return AwardRound.objects.exists()


def _jury_user() -> User:
    user, created = User.objects.get_or_create(
        username=JURY_USERNAME,
        defaults={
            "first_name": "Juri",
            "last_name": "Penghargaan",
            "email": f"{JURY_USERNAME}@demo.komtik-garut.id",
        },
    )
    if created:
        user.password = make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def build(today: dt.date | None = None) -> AwardRound:
    """Last year's round, published. All or nothing: a failure leaves no half-built round behind, so
    the next `seed_demo` tries again instead of finding a round and skipping the layer."""
    rng = random.Random(SEED)
    admin = User.objects.get(username="admin")
    year = (today or timezone.localdate()).year - 1
    round = services.award_round_open(actor=admin, year=year)

    # The shortlist job, run in this process as `manage.py build_award_shortlist` runs it.
    shortlist, _created = services.shortlist_create(actor=admin, round=round)
    shortlist = services.shortlist_build(build_id=shortlist.pk)
    if shortlist is None or shortlist.status != shortlist.Status.SUCCEEDED:
        raise RuntimeError(f"The demo shortlist of {year} failed: {shortlist and shortlist.error}")
    round.refresh_from_db()

    categories = list(selectors.categories_of(round=round))
    jury = _jury_user()
    services.jury_member_set(actor=admin, round=round, user=jury, categories=categories)
    round = services.award_round_start_review(actor=admin, round=round)

    for finalist in Finalist.objects.filter(category__round=round).order_by("category__position", "rank"):
        # Scores lean towards the shortlist's top places without simply copying them, so the tally
        # (average score) reorders a few finalists as a real jury would.
        score = max(1, min(5, 6 - finalist.rank + rng.choice([-1, 0, 0, 1])))
        services.vote_cast(actor=jury, finalist=finalist, score=score, comment=rng.choice(VOTE_COMMENTS))

    for category in categories:
        tally = selectors.category_tally(category)
        suggested = set(selectors.suggested_winner_ids(tally, category.winners_count))
        winners = [f for f in tally if f.pk in suggested]
        services.category_decide(
            actor=admin, category=category, winners=winners, reason="" if winners else NO_FINALIST_REASON
        )
    round = services.award_round_finalise(actor=admin, round=round)
    return services.award_round_publish(actor=admin, round=round)
