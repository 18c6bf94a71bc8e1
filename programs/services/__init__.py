"""programs' writes, one module per workflow (work logging, ToT, invitations, collaboration, volunteer
projects, competitions, association awards). Re-exported here: callers say `services.activity_log`
whatever module a service lives in."""

from .answers import (
    answer_field,
    can_undo_decline,
    invitation_undo_decline,
    invitations_answer,
)
from .association_awards import (
    association_award_grant,
)
from .collaboration import (
    COLLABORATION_KINDS,
    collaboration_cancel,
    collaboration_create,
    collaboration_invitations_propose,
    collaboration_log_work,
)
from .competitions import (
    competition_close,
    competition_create,
)
from .invitations import (
    invitation_accept,
    invitation_decline,
    invitation_withdraw,
    invitations_send,
)
from .projects import (
    CANCEL_REASON_MAX,
    PROJECT_FIELDS,
    project_cancel,
    project_complete,
    project_confirm_team,
    project_publish,
    project_sign_up,
    project_signup_withdraw,
)
from .proposals import (
    interventions_propose,
    propose_interventions_task,
)
from .tot import (
    TOT_EDITABLE_FIELDS,
    TOT_RECORDED,
    invitation_propose,
    invitation_record_attendance,
    invitation_record_result,
    tot_cancel_effect,
    tot_cancel_refusal,
    tot_event_cancel,
    tot_event_create,
    tot_event_update,
    tot_invitations_propose,
)
from .work import (
    COMMON_FIELDS,
    activity_approve,
    activity_delete,
    activity_log,
    activity_reject,
    activity_update,
    publication_record,
    sync_counting_rows,
)

__all__ = [
    "CANCEL_REASON_MAX",
    "COLLABORATION_KINDS",
    "COMMON_FIELDS",
    "PROJECT_FIELDS",
    "TOT_EDITABLE_FIELDS",
    "TOT_RECORDED",
    "activity_approve",
    "activity_delete",
    "activity_log",
    "activity_reject",
    "activity_update",
    "association_award_grant",
    "publication_record",
    "collaboration_cancel",
    "collaboration_create",
    "collaboration_invitations_propose",
    "collaboration_log_work",
    "competition_close",
    "competition_create",
    "interventions_propose",
    "answer_field",
    "can_undo_decline",
    "invitation_undo_decline",
    "invitations_answer",
    "invitation_accept",
    "invitation_decline",
    "invitation_propose",
    "invitation_record_attendance",
    "invitation_record_result",
    "invitation_withdraw",
    "invitations_send",
    "project_cancel",
    "project_complete",
    "project_confirm_team",
    "project_publish",
    "project_sign_up",
    "project_signup_withdraw",
    "propose_interventions_task",
    "sync_counting_rows",
    "tot_cancel_effect",
    "tot_cancel_refusal",
    "tot_event_cancel",
    "tot_event_create",
    "tot_event_update",
    "tot_invitations_propose",
]
