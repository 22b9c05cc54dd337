"""The states a commitment, a letter's feedback and an alias can be in: plain names, no database.

Kept apart from the models so that the fast read path and option checks need no SQLAlchemy.
"""

# Statuses. Withdrawn is set when a corrected letter drops a promise; deleted when a person
# deletes one (`tracker delete`: it stays in the database and its history, `restore` brings it back).
OPEN, DONE, WITHDRAWN, DELETED = "open", "done", "withdrawn", "deleted"
STATUSES = (OPEN, DONE, WITHDRAWN, DELETED)
GONE = (WITHDRAWN, DELETED)  # no longer a live promise: left out of counts, reports and the review queue

# Outcomes, kept apart from status (the work state) and from the letter's own class mark:
# "not yet rated" is no verdict at all, never "no progress" (that is stalled).
NOT_YET_RATED, IN_THE_WORKS, STALLED, KEPT, PARTLY_KEPT, BROKEN = (
    "not-yet-rated", "in-the-works", "stalled", "kept", "partly-kept", "broken")
OUTCOMES = (NOT_YET_RATED, IN_THE_WORKS, STALLED, KEPT, PARTLY_KEPT, BROKEN)

# A reviewer's verdict on an extracted commitment; NULL in the column means unreviewed.
UNREVIEWED, ACCEPTED, CORRECTED, REJECTED = "unreviewed", "accepted", "corrected", "rejected"
REVIEW_STATES = (UNREVIEWED, ACCEPTED, CORRECTED, REJECTED)

# A member's verdict on a reply letter.
SATISFIED, BASICALLY_SATISFIED, DISSATISFIED = "满意", "基本满意", "不满意"
FEEDBACK_RATINGS = (SATISFIED, BASICALLY_SATISFIED, DISSATISFIED)

# Where a department alias came from: extraction, or a person (which re-imports keep).
EXTRACTED, USER = "extracted", "user"

# A link between an earlier promise and a later document's sentence: proposed by the linker,
# then accepted or rejected by a person (a rejected one is never proposed again).
PROPOSED, LINK_ACCEPTED, LINK_REJECTED = "proposed", "accepted", "rejected"
LINK_STATES = (PROPOSED, LINK_ACCEPTED, LINK_REJECTED)
