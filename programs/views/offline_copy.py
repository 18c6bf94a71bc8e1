"""The copy of the log menu and the logging forms that a phone keeps for use without a signal.

The service worker (static/js/sw.js, fed by static/js/outbox.js) fetches these pages with the
`X-Offline-Copy: 1` header and keeps them; it serves them only when the network fails. Such a copy
must hold nothing of another KPMI ("nothing of another KPMI is cached"), so the lists of members of
other groups are left empty in it (joint work is credited once online, by editing the record), and
it must not eat the flash messages the user has not seen yet."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from members.models import Kpmi

from .. import selectors

OFFLINE_COPY_HEADER = "X-Offline-Copy"


def offline_copy_requested(request: HttpRequest) -> bool:
    return request.headers.get(OFFLINE_COPY_HEADER) == "1"


def trim_for_offline_copy(form: Any, kpmi: Kpmi) -> None:
    """Leave out every member of another KPMI from the form's lists (validation is untouched)."""
    if "credited_other" in form.fields:
        form.fields["credited_other"].widget.choices = []
        form.fields["credited_other"].help_text = _(
            "Members of other KPMI can be added once you have a signal, by editing the record after it is sent."
        )
    if "lead_trainer" in form.fields:
        own = selectors.trainer_choices(kpmi=kpmi).filter(kpmi=kpmi)
        form.fields["lead_trainer"].widget.choices = [("", "---------"), *selectors.grouped_choices(own)]


class _NoMessages(list):
    """Stands in for the message storage while a page is rendered for the offline copy: the copy
    shows none and consumes none, so the next page the user opens still shows them."""

    level = 0
    used = False

    def update(self, response: Any) -> list:
        return []

    def add(self, *args: Any, **kwargs: Any) -> None:
        return None


def keep_messages_for_later(request: HttpRequest) -> None:
    request._messages = _NoMessages()  # noqa: SLF001 - Django's own attribute for the storage
