"""The main menu of each role, built in one place from the permission helpers: a short row of what
the role does, the rest one level down ("More"), and nothing the role cannot use.

Knowing whether someone is a juror or an editor costs a query each; they are asked only for users with
no other role (a juror or editor with no group, no association), and whether a member or officer is
also an editor only on the news pages, so that the pages of the roles that use the site every day keep
their query budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import Level


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass
class Menu:
    primary: list[Link] = field(default_factory=list)
    more: list[Link] = field(default_factory=list)
    # What the role is, for the screen-reader label of the menu and for tests.
    role: str = "anonymous"


def _link(label: str, name: str, *args: Any) -> Link:
    return Link(label, reverse(name, args=args))


def _public() -> list[Link]:
    return [
        _link(_("KPMI directory"), "directory:kpmi_list"),
        _link(_("Awards"), "awards:index"),
        _link(_("News"), "citizen_journalism:front"),
    ]


def _takes_part(member: Any) -> bool:
    """Competitions and volunteer projects are for managers (and pioneers above them)."""
    return member is not None and member.level >= Level.MANAGER


def menu_inputs(user: Any, roles: Any, *, on_news_pages: bool = False) -> tuple | None:
    """Everything build_menu's result depends on, as a hashable key, or None where the menu needs a
    query of its own (a juror or editor, the news pages' newsroom link): the rendered navigation bar,
    menu included, is kept per key (site_header in kpmi_si.layout.templatetags.layout), so a change here
    must go with a change there. A
    member's level and anonymisation, a kept group's name and the URLs are in the key, so a menu is
    never shown stale; the language, script prefix, URLconf and path are added by the caller."""
    if not user.is_authenticated:
        return ("anonymous",)
    if roles["is_admin"]:
        return ("admin",)
    if on_news_pages:
        return None  # is the officer, manager or member an editor too? A query per page.
    member = roles["member"]
    member_key = (member.pk, member.level, member.anonymised_at is None) if member is not None else None
    code = roles["officer_association"]
    if code:
        return ("officer", code, member_key)
    managed = roles["managed_kpmi"]
    if managed:
        return ("manager", tuple((kpmi.pk, kpmi.name) for kpmi in managed), member_key)
    if member is not None:
        return ("member", member_key)
    return None  # a juror, an editor, or someone waiting for a role


def build_menu(user: Any, roles: Any, *, on_news_pages: bool = False) -> Menu:
    from citizen_journalism import permissions as news_permissions

    if not user.is_authenticated:
        return Menu(primary=_public(), role="anonymous")

    home = _link(_("My home"), "home")
    member = roles["member"]
    writer = news_permissions.writer_member(user)
    news_more = [_link(_("News"), "citizen_journalism:front")]
    if writer is not None:
        news_more += [
            _link(_("Write news"), "citizen_journalism:article_create"),
            _link(_("My earnings"), "citizen_journalism:statement", writer.pk),
        ]

    menu = _menu_of_role(user, roles, home, member, news_more)
    if on_news_pages and menu.role in ("officer", "manager", "member") and news_permissions.is_editor(user):
        menu.primary.append(_link(_("Newsroom"), "citizen_journalism:queue"))
    return menu


def _menu_of_role(user: Any, roles: Any, home: Link, member: Any, news_more: list[Link]) -> Menu:
    from awards import selectors as award_selectors
    from citizen_journalism import permissions as news_permissions

    if roles["is_admin"]:
        return Menu(
            role="admin",
            primary=[
                home,
                _link(_("KPMI directory"), "directory:kpmi_list"),
                _link(_("Work of every KPMI"), "programs:work_list"),
                _link(_("Award rounds"), "awards:manage"),
                _link(_("Administration"), "admin:index"),
            ],
            more=[
                _link(_("ToT"), "interventions:tot_list"),
                _link(_("Collaboration"), "interventions:collaboration_list"),
                _link(_("Competitions"), "interventions:competition_list"),
                _link(_("Projects"), "interventions:project_list"),
                _link(_("Invitations"), "interventions:invitation_list"),
                _link(_("Association awards"), "interventions:association_awards"),
                _link(_("Log work"), "programs:log_menu"),
                _link(_("Awards"), "awards:index"),
                _link(_("News"), "citizen_journalism:front"),
                _link(_("Newsroom"), "citizen_journalism:queue"),
                _link(_("Content sales"), "citizen_journalism:sale_list"),
                _link(_("Personal data reviews"), "privacy:review_list"),
            ],
        )

    code = roles["officer_association"]
    if code:
        # Each association's own tools first; the others' lists stay reachable one level down.
        own = {
            "communities": [_link(_("ToT"), "interventions:tot_list")],
            "users": [
                _link(_("Collaboration"), "interventions:collaboration_list"),
                _link(_("Competitions"), "interventions:competition_list"),
            ],
            "platform": [_link(_("Projects"), "interventions:project_list")],
            "entrepreneurs": [_link(_("Content sales"), "citizen_journalism:sale_list")],
        }.get(code, [])
        others = [
            _link(_("ToT"), "interventions:tot_list"),
            _link(_("Collaboration"), "interventions:collaboration_list"),
            _link(_("Competitions"), "interventions:competition_list"),
            _link(_("Projects"), "interventions:project_list"),
        ]
        return Menu(
            role="officer",
            primary=[home, *own, _link(_("Invitations"), "interventions:invitation_list")],
            more=[
                _link(_("Work of every KPMI"), "programs:work_list"),
                _link(_("KPMI directory"), "directory:kpmi_list"),
                *[link for link in others if link not in own],
                _link(_("Association awards"), "interventions:association_awards"),
                _link(_("Awards"), "awards:index"),
                *news_more,
            ],
        )

    managed = roles["managed_kpmi"]
    if managed:
        primary = [home]
        primary += [
            Link(_("Members of %(name)s") % {"name": kpmi.name}, reverse("members:member_list", args=[kpmi.pk]))
            for kpmi in managed
        ]
        primary += [
            _link(_("Our work"), "programs:work_list"),
            _link(_("Log work"), "programs:log_menu"),
            _link(_("Invitations"), "interventions:invitation_list"),
        ]
        more = [
            _link(_("Competitions"), "interventions:competition_list"),
            _link(_("Projects"), "interventions:project_list"),
        ]
        if member is not None:
            more.insert(0, Link(_("My profile"), member.get_absolute_url()))
        return Menu(role="manager", primary=primary, more=[*more, *_public()[:2], *news_more])

    if member is not None:
        primary = [
            home,
            Link(_("My profile"), member.get_absolute_url()),
            _link(_("My work"), "programs:my_work"),
            _link(_("Log work"), "programs:log_menu"),
            *news_more[1:2],  # writing news is a member's own work
        ]
        more = [_link(_("Invitations"), "interventions:invitation_list")]
        if _takes_part(member):
            more += [
                _link(_("Competitions"), "interventions:competition_list"),
                _link(_("Projects"), "interventions:project_list"),
            ]
        return Menu(role="member", primary=primary, more=[*more, *_public()[:2], news_more[0], *news_more[2:]])

    # No group, no association: a juror, an editor, or someone waiting for a role.
    primary = [home]
    role = "other"
    if award_selectors.jury_seats(user=user).exists():
        primary.append(_link(_("Jury"), "awards:jury_home"))
        role = "jury"
    if news_permissions.is_editor(user):
        primary.append(_link(_("Newsroom"), "citizen_journalism:queue"))
        role = "editor" if role == "other" else role
    return Menu(role=role, primary=[*primary, *_public()])
