"""The schedule state of a commitment: derived, never stored (on time, overdue, kept late ...).

A pure function of plain values, so the ORM path and the stdlib read path (fastread)
judge alike without either importing the other. Days are YYYY-MM-DD text, as the contract
gives them, compared as text (the same order as the dates): a listing of 20,000 commitments
need not parse 40,000 dates to judge them.
"""
from __future__ import annotations

ON_TIME, OVERDUE, KEPT_ON_TIME, KEPT_LATE, KEPT_UNDATED, NO_DATE, CLOSED = (
    "on-time", "overdue", "kept-on-time", "kept-late", "kept", "no-date", "closed")


def schedule_state(*, status: str, review_state: str | None, outcome: str | None, outcome_on: str | None,
                   due: str | None, as_of: str) -> str:
    """on-time / overdue / kept-on-time / kept-late / kept / no-date / closed, judged on ``as_of``."""
    if status in ("withdrawn", "deleted") or review_state == "rejected":
        return CLOSED
    if outcome == "kept" or status == "done":
        if due is None or outcome_on is None:  # no deadline, or kept on an unknown day
            return KEPT_UNDATED
        return KEPT_ON_TIME if outcome_on <= due else KEPT_LATE
    if due is None:
        return NO_DATE
    return OVERDUE if due < as_of else ON_TIME
