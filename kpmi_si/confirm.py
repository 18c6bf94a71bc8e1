"""A step that cannot be undone is never one tap (#14): its URL answers GET with a page that says
what will happen, and carries the step out only on a POST that carries the confirmation from that
page. A POST without it (an old button, a tampered form) gets the page again, with the reason, and
nothing changes. Every such view calls `confirmation` first:

    page = confirmation(request, title=..., consequences=[...], button=..., back=obj.get_absolute_url())
    if page is not None:
        return page
    ...  # the one service call, as before
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

CONFIRMED = "yes"


class ConfirmForm(forms.Form):
    confirm = forms.ChoiceField(
        choices=[(CONFIRMED, CONFIRMED)],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Nothing was done: confirm on this page to go on."),
            "invalid_choice": _("Nothing was done: confirm on this page to go on."),
        },
    )


def confirmation(
    request: HttpRequest,
    *,
    title: str,
    consequences: Iterable[str],
    button: str,
    back: str,
    warnings: Iterable[str] = (),
    keep: Mapping[str, Any] | None = None,
    danger: bool = True,
    asking: bool = False,
) -> HttpResponse | None:
    """None when this is a POST carrying the confirmation (the caller goes on); otherwise the page
    that asks for it. `keep`: fields of the original button the confirming POST must carry again
    (e.g. passed=yes), already validated by the caller. `asking`: this POST is the step's own first
    one (a form on another page whose values `keep` carries on), so the page asks without an error."""
    bound = ConfirmForm(request.POST) if request.method == "POST" else None
    if bound is not None and bound.is_valid():
        return None
    # `form` says what was wrong with a POST; the page's hidden field comes from a fresh form, so it
    # carries the confirmation also then (the bound form would render the value that POST sent: none,
    # and the page could never confirm).
    fresh = ConfirmForm(initial={"confirm": CONFIRMED})
    return render(
        request,
        "confirm.html",
        {
            "form": bound if bound is not None and not asking else fresh,
            "hidden": fresh,
            "title": title,
            "consequences": list(consequences),
            "warnings": list(warnings),
            "button": button,
            "back": back,
            "keep": dict(keep or {}),
            "danger": danger,
        },
    )
