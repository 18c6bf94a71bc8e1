"""Who may do what with award rounds: the KOMTIK admin runs them; jury members review the finalists
of their own categories; everybody reads published winners and verifies certificates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from members.permissions import is_komtik_admin

if TYPE_CHECKING:
    from .models import AwardRound, Finalist, JuryMember


def can_manage_awards(user: Any) -> bool:
    return is_komtik_admin(user)


def jury_seat(user: Any, round: AwardRound) -> JuryMember | None:
    from .models import JuryMember

    if not (user and user.is_authenticated and user.is_active):
        return None
    return JuryMember.objects.filter(round=round, user=user).first()


def is_jury_for(user: Any, finalist: Finalist) -> bool:
    """A jury member of the finalist's round who reviews the finalist's category."""
    from .models import JuryMember

    if not (user and user.is_authenticated and user.is_active):
        return False
    return JuryMember.objects.filter(user=user, categories=finalist.category_id).exists()


def can_view_finalist(user: Any, finalist: Finalist) -> bool:
    """The records behind a finalist's score: the admin, and the jury of its category."""
    return can_manage_awards(user) or is_jury_for(user, finalist)
