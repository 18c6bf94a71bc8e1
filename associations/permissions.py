"""Who may act for an association: its own officers and the KOMTIK admin, nobody else."""

from __future__ import annotations

from typing import Any

from members.permissions import is_komtik_admin, is_officer


def can_view_dashboard(user: Any, association_code: str) -> bool:
    return is_komtik_admin(user) or is_officer(user, association_code)


def can_manage_targets(user: Any, association_code: str) -> bool:
    return is_komtik_admin(user) or is_officer(user, association_code)


def can_open_period(user: Any) -> bool:
    """Periods are shared by the four associations: any officer or the admin opens one."""
    return is_komtik_admin(user) or is_officer(user)


def can_close_period(user: Any) -> bool:
    """Closing freezes every association's results, so it is KOMTIK's decision."""
    return is_komtik_admin(user)


def can_evaluate(user: Any) -> bool:
    return is_komtik_admin(user) or is_officer(user)
