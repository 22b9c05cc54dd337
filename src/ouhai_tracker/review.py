"""Walking the review queue one commitment at a time: the state machine of `tracker review`.

The CLI starts one (``ReviewSession.start``), shows ``current()``, asks for a key and calls
``answer``; each verdict is one of the Tracker's use cases (``review``), so nothing here
touches the database.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ouhai_tracker.errors import BadInput
from ouhai_tracker.i18n import _

if TYPE_CHECKING:
    from ouhai_tracker.tracker import Tracker


class ReviewSession:
    """Walking the review queue: the commitment in front of the reviewer and the verdicts so far.

    The CLI shows ``current()``, asks for a key and calls ``answer``; this keeps the counts and
    says when to move on."""

    def __init__(self, tracker: Tracker, ids: list[int], order: str, dept: str | None,
                 state: str = "unreviewed") -> None:
        self.tracker, self.ids, self.order, self.dept, self.state = tracker, ids, order, dept, state
        self.position = 0
        self.counts = {"accepted": 0, "corrected": 0, "rejected": 0, "skipped": 0}
        self.finished = not ids

    @classmethod
    def start(cls, tracker: Tracker, *, order: str = "confidence", dept: str | None = None,
              limit: int | None = None, state: str = "unreviewed") -> ReviewSession:
        """A review of the commitments in review ``state`` (unreviewed, or rejected to reconsider
        them), one at a time (the CLI asks, this decides)."""
        ids = tracker.review_queue(order=order, dept=dept, state=state)
        return cls(tracker, ids[:limit] if limit is not None else ids, order, dept, state)

    def current(self) -> dict:
        """The commitment to review now, as `show` gives it, with its place in the queue."""
        item = self.tracker.show(self.ids[self.position])
        return {**item, "position": self.position + 1, "total": len(self.ids)}

    def answer(self, key: str, value: str | None = None) -> dict:
        """Apply one answer: a accept, r reject, o/d correct the owner/due date to ``value``, s skip,
        q quit. Returns {"done": verdict or None, "changes": [...], "next": whether it moved on}."""
        commitment_id = self.ids[self.position]
        before = self.tracker.show(commitment_id)["review"]
        key = (key or "s").strip().lower()[:1] or "s"
        if key == "q":
            self.finished = True
            return {"done": None, "changes": [], "next": False}
        if key == "s":
            self.counts["skipped"] += before == self.state
            return self._advance(None, [])
        if key == "a":
            if before in ("unreviewed", "rejected"):  # accepting a rejected one makes it live again
                self.tracker.review(commitment_id, "accept")
                self.counts["accepted"] += 1
                return self._advance("accepted", [])
            return self._advance(None, [])
        if key == "r":
            self.tracker.review(commitment_id, "reject")
            self.counts["rejected"] += before != "rejected"
            self.counts["corrected"] -= before == "corrected"
            return self._advance("rejected", [])
        if key in ("o", "d"):
            result = self.tracker.review(commitment_id, "correct", **({"owner": value} if key == "o" else {"due": value}))
            self.counts["corrected"] += before != "corrected"
            return {"done": "corrected", "changes": result["changes"], "next": False}
        raise BadInput(_("press a, o, d, r, s or q"))

    def _advance(self, done: str | None, changes: list[dict]) -> dict:
        self.position += 1
        self.finished = self.position >= len(self.ids)
        return {"done": done, "changes": changes, "next": True}

    def left(self) -> int:
        """How many commitments are still in the queue's review state, in its scope."""
        return len(self.tracker.review_queue(order=self.order, dept=self.dept, state=self.state))
