"""Views of programs, one module per workflow; urls.py reaches them all through this package."""

from .answers import (
    invitation_undo_decline,
    tot_answer,
)
from .association_awards import (
    association_awards,
)
from .collaboration import (
    collaboration_cancel,
    collaboration_create,
    collaboration_detail,
    collaboration_list,
    collaboration_log_work,
    collaboration_send,
)
from .competitions import (
    competition_close,
    competition_create,
    competition_detail,
    competition_list,
)
from .invitations import (
    invitation_accept,
    invitation_attendance,
    invitation_decline,
    invitation_detail,
    invitation_list,
    invitation_result,
    invitation_withdraw,
)
from .offline import activity_sync, offline_lists, outbox
from .picker import (
    member_search,
)
from .projects import (
    project_cancel,
    project_complete,
    project_confirm,
    project_create,
    project_detail,
    project_list,
    project_sign_up,
    project_signup_withdraw,
)
from .tot import (
    tot_add_candidate,
    tot_cancel,
    tot_create,
    tot_detail,
    tot_edit,
    tot_list,
    tot_send,
)
from .work import (
    KIND_SLUGS,
    SLUG_OF,
    activity_approve,
    activity_create,
    activity_delete,
    activity_detail,
    activity_edit,
    activity_reject,
    evidence_file,
    log_menu,
    my_work,
    work_list,
)

__all__ = [
    "member_search",
    "invitation_undo_decline",
    "tot_answer",
    "KIND_SLUGS",
    "SLUG_OF",
    "activity_approve",
    "activity_create",
    "activity_sync",
    "activity_delete",
    "activity_detail",
    "activity_edit",
    "activity_reject",
    "association_awards",
    "collaboration_cancel",
    "collaboration_create",
    "collaboration_detail",
    "collaboration_list",
    "collaboration_log_work",
    "collaboration_send",
    "competition_close",
    "competition_create",
    "competition_detail",
    "competition_list",
    "evidence_file",
    "invitation_accept",
    "invitation_attendance",
    "invitation_decline",
    "invitation_detail",
    "invitation_list",
    "invitation_result",
    "invitation_withdraw",
    "log_menu",
    "my_work",
    "offline_lists",
    "outbox",
    "project_cancel",
    "project_complete",
    "project_confirm",
    "project_create",
    "project_detail",
    "project_list",
    "project_sign_up",
    "project_signup_withdraw",
    "tot_add_candidate",
    "tot_cancel",
    "tot_create",
    "tot_detail",
    "tot_edit",
    "tot_list",
    "tot_send",
    "work_list",
]
