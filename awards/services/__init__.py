"""Writes for award rounds. Every change of a round's state is a service here, allowed only along
awards.models.ROUND_TRANSITIONS and audited (who, when, old -> new):

    draft -> shortlisting -> shortlisted -> in_review -> finalised -> published
                 ^   |            |
                 +---+------------+  (rebuild before the review; a failed build goes back)

- The shortlist job (shortlist_build) computes every category's ranking in the database, then
  writes, in one transaction, only the finalists that changed: running it twice changes nothing the
  second time, a failure leaves the previous shortlist, at most one build of a round is queued or
  running (a database constraint), and a worker killed half-way leaves the build `running` so that
  sending the task again finishes it.
- Starting the jury review locks the shortlist: no build is accepted after it.
- Jury members vote once per finalist (a database constraint), only in their own categories.
- The admin decides each category's winners from the jury's tally; choosing other winners than the
  tally suggests needs a written reason (audited as an override). Finalising needs a decision for
  every category and at least one winner, and refuses a decision taken as the tally suggested when
  votes cast since have moved the tally (that would be an unexplained override); it issues the
  awards with their certificate codes.

One module per step: rounds (opening, categories), shortlist (the job), jury (seats, votes), decisions
(decide, finalise, publish); re-exported here.
"""

from .decisions import (
    award_citation_set,
    award_round_finalise,
    award_round_publish,
    categories_decide_empty,
    category_decide,
)
from .jury import (
    award_round_start_review,
    jury_member_remove,
    jury_member_seat_new_person,
    jury_member_set,
    vote_cast,
)
from .rounds import (
    DEFAULT_CATEGORIES,
    FIRST_YEAR,
    SPEC_FIELDS,
    CategorySpec,
    award_round_open,
    award_round_set_categories,
)
from .shortlist import (
    ACTIVE,
    COMPARED,
    logger,
    shortlist_build,
    shortlist_create,
    shortlist_request,
)

__all__ = [
    "ACTIVE",
    "COMPARED",
    "CategorySpec",
    "DEFAULT_CATEGORIES",
    "FIRST_YEAR",
    "SPEC_FIELDS",
    "award_citation_set",
    "award_round_finalise",
    "award_round_open",
    "award_round_publish",
    "award_round_set_categories",
    "award_round_start_review",
    "categories_decide_empty",
    "category_decide",
    "jury_member_remove",
    "jury_member_seat_new_person",
    "jury_member_set",
    "logger",
    "shortlist_build",
    "shortlist_create",
    "shortlist_request",
    "vote_cast",
]
