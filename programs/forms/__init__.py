"""Forms of programs, one module per workflow; re-exported here."""

from .association_awards import (
    AssociationAwardForm,
)
from .collaboration import (
    COLLABORATION_FORMS,
    CollaborationEducationForm,
    CollaborationForm,
    CollaborationPublicationForm,
    CollaborationWorkForm,
)
from .competitions import (
    CompetitionForm,
)
from .projects import (
    ProjectCancelForm,
    ProjectCompleteForm,
    VolunteerProjectForm,
)
from .tot import (
    AttendanceForm,
    ResultForm,
    SendInvitationsForm,
    TotAnswersForm,
    TotCandidateForm,
    TotEventEditForm,
    TotEventForm,
)
from .work import (
    COMMON_FIELDS,
    FORMS,
    ActivityForm,
    DeploymentForm,
    EducationForm,
    MultipleFileField,
    MultipleFileInput,
    PublicationForm,
    RejectForm,
    TrainingForm,
    initial_for,
)

__all__ = [
    "ActivityForm",
    "AssociationAwardForm",
    "AttendanceForm",
    "COLLABORATION_FORMS",
    "COMMON_FIELDS",
    "CollaborationEducationForm",
    "CollaborationForm",
    "CollaborationPublicationForm",
    "CollaborationWorkForm",
    "CompetitionForm",
    "DeploymentForm",
    "EducationForm",
    "FORMS",
    "MultipleFileField",
    "MultipleFileInput",
    "ProjectCancelForm",
    "ProjectCompleteForm",
    "PublicationForm",
    "RejectForm",
    "ResultForm",
    "SendInvitationsForm",
    "TotAnswersForm",
    "TotCandidateForm",
    "TotEventEditForm",
    "TotEventForm",
    "TrainingForm",
    "VolunteerProjectForm",
    "initial_for",
]
