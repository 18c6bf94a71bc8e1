"""Telling the apps that keep derived numbers that a change moved one, without importing them.

Lower apps (members, programs) send `numbers_changed` inside the transaction of a change that moves a
counted number — an approved activity, a level change, a founded KPMI, a new member — naming the date
it counts on and the KPMI and members it is counted for. associations listens (associations.refresh)
and marks those results stale in the same transaction, for its refresh job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.dispatch import Signal

# Keyword arguments: on (a date), kpmi_ids and member_ids (lists of ids), work_kind (the kind of logged
# work that moved, "" for anything else: a level change, a new member or group).
numbers_changed = Signal()


def numbers_changed_send(
    *, on: dt.date, kpmi_ids: Iterable[int | None] = (), member_ids: Iterable[int | None] = (), work_kind: str = ""
) -> None:
    numbers_changed.send(
        sender=None,
        on=on,
        kpmi_ids=[pk for pk in kpmi_ids if pk],
        member_ids=[pk for pk in member_ids if pk],
        work_kind=work_kind,
    )
