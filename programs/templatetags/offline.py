"""The outbox indicator every page carries for someone who logs work: static/js/outbox.js fills it
("3 kegiatan menunggu sinyal") and reads from it the URLs and the translated words it needs, so the
script itself holds no text (the page's language is the user's)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kpmi_si.offline import offline_version
from programs import permissions
from programs.views.offline_copy import offline_copy_requested

register = template.Library()


def _strings() -> dict[str, str]:
    return {
        "one": _("1 entry waits for a signal"),
        "many": _("%s entries wait for a signal"),
        "open": _("Open the outbox"),
        "send": _("Send now"),
        "sending": _("Sending…"),
        "queued": _("No signal: the entry is kept on this phone and will be sent when the signal returns."),
        "saved": _("Saved in the outbox."),
        "sent": _("Sent: %s"),
        "refused": _("Not accepted — correct it and save again"),
        "waiting": _("Waiting for a signal"),
        "login": _("Your session has ended. Log in again to send the waiting entries; they stay on this phone."),
        "full": _(
            "This phone's storage is full: the entry was NOT kept. Free some space (delete photos or apps) "
            "and press Save again; the form keeps what you typed."
        ),
        "failed": _("The entry could not be kept on this phone: %s. Press Save again."),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "confirmDelete": _("Delete this entry from the outbox? It has not been sent."),
        "confirmLogout": _(
            "%s entries have not been sent yet and will be deleted from this phone when you log out. Log out anyway?"
        ),
        "empty": _("The outbox is empty."),
        "photos": _("%s photos"),
        "offlinePage": _("No signal: this page is not kept on the phone. You can still log work and see the outbox."),
        "otherMembers": _("Members of other KPMI can be added once you have a signal."),
        "serverError": _("The server could not take it now; it will be tried again."),
        "editing": _("You are editing an entry of the outbox."),
    }


@register.simple_tag(takes_context=True)
def offline_outbox(context: dict[str, Any]) -> SafeString:
    """The outbox indicator for those who log work; for everyone else nothing, without rendering its
    template (on every page of the site: README, Benchmark, issue #16)."""
    indicator = _outbox_indicator(context)
    if not indicator["show"]:
        return SafeString("")
    return mark_safe(render_to_string("programs/_outbox_indicator.html", indicator))  # noqa: S308  # nosec B308 B703 - rendered (and escaped) by its template


def _outbox_indicator(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    roles = context.get("roles")
    # The navigation's roles (already read for its "Log work" link) answer without another query.
    logs_work = (
        bool(roles["is_admin"] or roles["member"] or roles["keeps_kpmi"])
        if roles is not None
        else permissions.can_log_work(user)
    )
    if not logs_work:
        return {"show": False}
    return {
        "show": True,
        "user_id": user.pk,
        "version": offline_version(),
        "sw_url": reverse("service_worker"),
        "lists_url": reverse("programs:offline_lists"),
        "outbox_url": reverse("programs:outbox"),
        "login_url": reverse("login"),
        "logout_url": reverse("logout"),
        "strings": json.dumps(_strings(), ensure_ascii=False),
        "copy": offline_copy_requested(request),
    }
