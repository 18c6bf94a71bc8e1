"""programs' models, one module per workflow; imported here so that Django registers them all and
`from programs.models import X` keeps working."""

from .association_awards import AssociationAward
from .collaboration import CollaborationProgram, CollaborationWork
from .competitions import PARTICIPANTS_NEED_EDUCATION, Competition, CompetitionStanding
from .invitations import Invitation
from .projects import ProjectSignup, VolunteerProject
from .tot import TotEvent
from .work import (
    DETAIL_FIELDS,
    DETAIL_MODELS,
    DETAIL_RELATED,
    Activity,
    ActivityCredit,
    ActivityKpmi,
    Deployment,
    EducationSession,
    Evidence,
    Kind,
    Publication,
    Status,
    Training,
    evidence_storage,
    evidence_upload_to,
)

__all__ = [
    "DETAIL_FIELDS",
    "DETAIL_MODELS",
    "DETAIL_RELATED",
    "PARTICIPANTS_NEED_EDUCATION",
    "Activity",
    "ActivityCredit",
    "ActivityKpmi",
    "AssociationAward",
    "CollaborationProgram",
    "CollaborationWork",
    "Competition",
    "CompetitionStanding",
    "Deployment",
    "EducationSession",
    "Evidence",
    "Invitation",
    "Kind",
    "ProjectSignup",
    "Publication",
    "Status",
    "TotEvent",
    "Training",
    "VolunteerProject",
    "evidence_storage",
    "evidence_upload_to",
]
