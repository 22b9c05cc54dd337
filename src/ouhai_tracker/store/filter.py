"""What a listing asks for, as plain data: the read layer turns a Filter into statements.

Apart from read.py so that building and checking a filter (and the stdlib fast path) needs no SQLAlchemy.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from ouhai_tracker.store.states import OPEN

ORDERS = ("due", "confidence", "letter", "id", "owner")
SORTS = ("due", "id", "owner", "letter")  # the orders a user picks with --sort (confidence is the review's)


@dataclass(frozen=True)
class Filter:
    """What a listing asks for; every field left at its default selects everything."""

    dept: str | None = None  # owner or partner: a name, short form, alias, place-qualified name or place
    status: str | None = OPEN  # None: every status
    kind: str | None = None  # due kind
    due_before: date | None = None  # inclusive
    due_after: date | None = None  # inclusive
    due_until: date | None = None  # due on or before this day, or undated (`due --within`)
    overdue_on: date | None = None  # open and due before this day
    search: str | None = None  # words the commitment's text holds, -word: does not (search.parse_words)
    doc: str | None = None  # part of the letter's file name, title, proposal number or document number
    policy: str | None = None  # part of a linked policy's title
    class_mark: str | None = None  # the letter's own class mark (A/B/C), normalised
    review: str | None = None  # a review state, "all", or None: every state but rejected
    outcome: str | None = None
    year: int | None = None  # letters dated in that year
    live: bool = False  # leave out what a re-import withdrew or a person deleted (reports count only live promises)
    queue: str | None = None  # the review queue: the live commitments in this review state (unreviewed …)
    id: int | None = None  # one commitment
    letter_id: int | None = None  # one letter's commitments
    order: str = "due"  # due (undated last), confidence (lowest first), letter (letter by letter), id, owner
    limit: int | None = None
    as_of: date | None = None  # the day recurring commitments' due dates roll forward to (None: today)

    def only(self, *names: str) -> bool:
        """Whether every field but ``names`` (and the as-of day) is at its default (what the fast path serves)."""
        default = Filter()
        return all(getattr(self, f.name) == getattr(default, f.name) for f in fields(self)
                   if f.name not in (*names, "as_of"))
