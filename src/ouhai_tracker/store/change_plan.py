"""A person's change to commitments (done, rate, reopen, edit, review, delete, restore), decided in plain Python.

Each command reads the commitments it acts on as ``State`` values, decides here what happens
to each (the columns it sets, the events it writes in the history, what it answers), and only
then is anything written: ``change_write.write`` writes the plan, the same way on every
database and on both of SQLite's paths. Every check runs on every commitment before the plan
is made, so a batch is done whole or not at all. No SQLAlchemy here (the stdlib path of
`done` decides with it too).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ouhai_tracker.errors import BadInput, BadOption
from ouhai_tracker.extract.model import RECURRING
from ouhai_tracker.i18n import N_, _
from ouhai_tracker.periods import next_period_end, period_containing
from ouhai_tracker.store.states import (
    ACCEPTED,
    CORRECTED,
    DELETED,
    DONE,
    KEPT,
    NOT_YET_RATED,
    OPEN,
    OUTCOMES,
    REJECTED,
    UNREVIEWED,
)


@dataclass(frozen=True)
class State:
    """What deciding a change reads of one commitment (and of its letter and history)."""

    id: int
    status: str
    due_kind: str
    due: date | None
    due_inferred: bool
    due_rule: str | None
    due_period: str | None
    owner_id: int | None
    owner_name: str | None
    owner_rule: str | None
    owner_confidence: float | None
    outcome: str | None
    outcome_on: date | None
    review_state: str | None
    text: str
    letter_date: date | None
    letter_place: str | None  # the place of the letter's replying unit: its bare 区教育局 is that district's
    deleted_from: str | None  # the status the last `delete` found, which `restore` gives back


# The columns of a commitment a person's change sets (each one `undo` puts back), and the name a
# person knows each by (None: changed alongside another and not worth a line of its own). A
# change writes them back whole when one of them changes.
COLUMNS = {"status": "status", "due": "due", "due_inferred": None, "due_rule": None, "owner_id": "owner",
           "owner_rule": None, "owner_confidence": None, "outcome": "outcome", "outcome_on": None, "review_state": "review"}
SET_COLUMNS = tuple(COLUMNS)
# Review actions and the state each leaves.
REVIEW_ACTIONS = {"accept": ACCEPTED, "correct": CORRECTED, "reject": REJECTED}


@dataclass
class Step:
    """One commitment's part of a change: the answer, the columns set, the events written."""

    state: State
    result: Any  # what the command answers for it
    set: dict[str, object] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)

    def event(self, action: str, field_: str | None, old: str | None, new: str | None, note: str | None,
              on: date | None = None, evidence: str | None = None) -> None:
        self.events.append({"action": action, "field": field_, "old_value": old, "new_value": new,
                            "note": note, "on_date": on, "evidence": evidence})

    def columns(self) -> dict[str, object]:
        """Every column of SET_COLUMNS as it will stand: the new value where set, else as it was."""
        return {name: self.set.get(name, getattr(self.state, name)) for name in SET_COLUMNS}


@dataclass(frozen=True)
class Made:
    """A parameter: the id of the row an earlier write of the same change inserted as ``name``
    (a department merged away and back, whose old id was taken meanwhile)."""

    name: str


@dataclass
class Write:
    """A row a change inserts, updates or deletes beside its commitments' columns and events: one
    of change_sql.STATEMENTS by name, with its parameters (a ``Made`` one: an earlier row's id).
    ``fills``: (entry of the change's data, key) that the id of the row this inserts is set to, or
    appended to when a list (a member's rating: its id is known once written). ``made``: the name
    later writes know that id by."""

    statement: str
    params: dict[str, Any]
    fills: tuple[str, str] | None = None
    made: str | None = None


@dataclass
class ChangePlan:
    command: str
    target: str  # what it was run on, as the change records it (#3 #5)
    at: datetime
    steps: list[Step] = field(default_factory=list)
    data: dict = field(default_factory=dict)  # what undoing needs beside the commitments (store/changes.py)
    writes: list[Write] = field(default_factory=list)  # written first, in order
    events: list[dict] = field(default_factory=list)  # events beside the steps' (with their commitment_id)
    answer: Any = None  # what a command that is not about commitments answers

    def record(self) -> dict:
        """The change's data: ``data``, and {"commitments": {id: {column: [before, after]}}} for
        each column that differs, dates as YYYY-MM-DD (what `undo` puts back); {} when nothing
        differs."""
        changed = {}
        for step in self.steps:
            columns = {name: [_stored(getattr(step.state, name)), _stored(value)]
                       for name, value in step.set.items() if _stored(getattr(step.state, name)) != _stored(value)}
            if columns:
                changed[str(step.state.id)] = columns
        return {**self.data, **({"commitments": changed} if changed else {})}

    def results(self) -> list:
        return [step.result for step in self.steps]


def _stored(value):
    return value.isoformat() if isinstance(value, date) else value


def iso_day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def check_not_deleted(states: Iterable[State]) -> None:
    """A deleted commitment is changed only by `restore` (and `undo`)."""
    for s in states:
        if s.status == DELETED:
            raise BadInput(_("#{id} is deleted: `tracker restore {id}` brings it back first").format(id=s.id))


def check_day(s: State, on: date | None, today: date, what: str) -> None:
    """A day the user gives (--on) for something that happened to a commitment: not in the
    future, and not before the letter that made the promise."""
    if on is None:
        return
    if on > today:
        raise BadOption(_("bad --on {day}: {what} cannot be dated in the future").format(day=on, what=_(what)))
    if s.letter_date is not None and on < s.letter_date:
        raise BadOption(_("bad --on {day}: #{id} was promised in a letter dated {written}").format(
            day=on, id=s.id, written=s.letter_date))


def now() -> datetime:
    return datetime.now().replace(microsecond=0)  # as the models' default: history is read by people


def plan(command: str, target: str, states: list[State], decide: Callable[[State], Step],
         at: datetime | None = None) -> ChangePlan:
    return ChangePlan(command, target, at or now(), [decide(s) for s in states])


def plan_done(states: list[State], target: str, note: str | None, on: date | None, today: date) -> ChangePlan:
    """Done means kept: the outcome follows, with an event of its own. A recurring commitment
    closes the period it was done in (its current one when that has rolled forward, see
    periods.py) and moves on to the next; that is not the promise kept."""
    check_not_deleted(states)
    for s in states:  # every day checked before anything changes
        check_day(s, on, today, "done")
    return plan("done", target, states, lambda s: done_step(s, note, on, today))


def done_step(s: State, note: str | None, on: date | None, today: date) -> Step:
    step = Step(s, {"id": s.id, "result": "done", "text": s.text})
    if s.status == OPEN and s.due_kind != RECURRING and s.outcome != KEPT:
        step.event("done", "outcome", s.outcome or NOT_YET_RATED, KEPT, note, on)
        step.set.update(outcome=KEPT, outcome_on=on or today)
    if s.status == DONE:
        step.result["result"] = "already done"
    elif s.due_kind == RECURRING:
        day = on or today
        period_due = period_containing(s.due, s.due_period, day) if s.due else day
        period = s.due_period or "unspecified"
        if s.due and period_due < s.due:  # closed already: the stored date is past it
            step.result = {"id": s.id, "result": "period already done", "period": period,
                           "period_due": period_due.isoformat(), "next_due": s.due.isoformat(), "text": s.text}
            return step
        next_due = next_period_end(period_due, s.due_period)
        step.event("done", "due", iso_day(s.due), next_due.isoformat(), note, on)
        step.set["due"] = next_due
        step.result = {"id": s.id, "result": "period done", "period": period,
                       "period_due": period_due.isoformat(), "next_due": next_due.isoformat(), "text": s.text}
    else:
        step.event("done", "status", s.status, DONE, note, on)
        step.set["status"] = DONE
    return step


def plan_rate(states: list[State], target: str, outcome: str, evidence: str | None, note: str | None,
              on: date | None, today: date) -> ChangePlan:
    """An outcome, as a dated event with its evidence. Kept closes an open commitment as `done`
    would (a recurring duty stays open for its next periods); any other outcome leaves the status."""
    check_not_deleted(states)
    for s in states:
        check_day(s, on, today, N_("an outcome"))
    if outcome not in OUTCOMES:
        from ouhai_tracker.words import choices

        raise BadOption(_("bad outcome {value!r}: expected one of {choices}").format(
            value=outcome, choices=choices(OUTCOMES)))
    return plan("rate", target, states, lambda s: rate_step(s, outcome, evidence, note, on, today))


def rate_step(s: State, outcome: str, evidence: str | None, note: str | None, on: date | None, today: date) -> Step:
    from ouhai_tracker.followup.schedule import schedule_state

    old = s.outcome or NOT_YET_RATED
    outcome_on = (on or today) if outcome != NOT_YET_RATED else None
    step = Step(s, {"id": s.id, "old": old, "outcome": outcome, "on": iso_day(outcome_on)},
                {"outcome": outcome, "outcome_on": outcome_on})
    step.event("rated", "outcome", old, outcome, note, on, evidence)
    if outcome == KEPT and s.status == OPEN and s.due_kind != RECURRING:
        step.event("done", "status", s.status, DONE, note, on)
        step.set["status"] = DONE
        step.result["closed"] = True
    columns = step.columns()
    step.result["schedule"] = schedule_state(status=str(columns["status"]), review_state=s.review_state,
                                             outcome=outcome, outcome_on=iso_day(outcome_on), due=iso_day(s.due),
                                             as_of=today.isoformat())
    return step


def plan_reopen(states: list[State], target: str, note: str | None) -> ChangePlan:
    """Open again; whatever said 'kept' no longer holds: it is not rated again until someone does."""
    check_not_deleted(states)
    return plan("reopen", target, states, lambda s: _reopen(s, note))


def _reopen(s: State, note: str | None) -> Step:
    if s.status == OPEN:  # an open one stays as it is, its outcome too
        return Step(s, {"id": s.id, "result": "already open"})
    step = Step(s, {"id": s.id, "result": "reopened"}, {"status": OPEN})
    step.event("reopened", "status", s.status, OPEN, note)
    if s.outcome == KEPT:
        step.event("reopened", "outcome", KEPT, NOT_YET_RATED, note)
        step.set.update(outcome=NOT_YET_RATED, outcome_on=None)
    return step


def plan_delete(states: list[State], target: str, note: str | None) -> ChangePlan:
    """Soft delete: the status says deleted (the one it had is in the event); nothing is removed."""
    return plan("delete", target, states, lambda s: _delete(s, note))


def _delete(s: State, note: str | None) -> Step:
    if s.status == DELETED:
        return Step(s, {"id": s.id, "result": "already deleted", "status": DELETED})
    step = Step(s, {"id": s.id, "result": "deleted", "status": s.status}, {"status": DELETED})
    step.event("deleted", "status", s.status, DELETED, note)
    return step


def plan_restore(states: list[State], target: str, note: str | None) -> ChangePlan:
    """Back to the status it had when it was deleted."""
    return plan("restore", target, states, lambda s: _restore(s, note))


def _restore(s: State, note: str | None) -> Step:
    if s.status != DELETED:
        return Step(s, {"id": s.id, "result": "not deleted", "status": s.status})
    was = s.deleted_from or OPEN
    step = Step(s, {"id": s.id, "result": "restored", "status": was}, {"status": was})
    step.event("undeleted", "status", DELETED, was, note)
    return step


Owner = tuple[int, str]  # a department a person named, found in the database: its id and name


def plan_edit(states: list[State], target: str, due: date | None, owner: Owner | None, note: str | None,
              today: date) -> ChangePlan:
    """The due date and/or the owner set by hand, each an 'edited' event (a re-import keeps them);
    a note alone is a 'noted' event. The changes answer, as {field, old, new}."""
    check_not_deleted(states)

    def decide(s: State) -> Step:
        step = Step(s, [])
        _edit(step, due, owner, note, today)
        if not step.result:
            if due is None and owner is None and not note:
                raise BadOption(_("nothing to edit: give --due DATE, --owner DEPT or --note TEXT"))
            if note:
                step.event("noted", None, None, None, note)
        return step
    return plan("edit", target, states, decide)


def _edit(step: Step, due: date | None, owner: Owner | None, note: str | None, today: date) -> None:
    """``step.result`` becomes the changes made; a value it already has is no change (a date the
    letter wrote, the same owner), unless the owner was not sure: set by hand, it is confirmed."""
    s, changes = step.state, []
    if due is not None and not (due == s.due and not s.due_inferred):
        changes.append({"field": "due", "old": iso_day(s.due), "new": due.isoformat()})
        step.set.update(due=due, due_inferred=False, due_rule=f"set by hand on {today.isoformat()}")
    if owner is not None and (owner[0] != s.owner_id or (s.owner_confidence or 1.0) < 1.0):
        changes.append({"field": "owner", "old": s.owner_name, "new": owner[1]})
        step.set.update(owner_id=owner[0], owner_rule="set by hand", owner_confidence=1.0)
    for change in changes:
        step.event("edited", change["field"], change["old"], change["new"], note)
    step.result = changes


def plan_review(states: list[State], target: str, action: str, due: date | None, owner: Owner | None,
                note: str | None, today: date) -> ChangePlan:
    """accept / reject, or correct the owner and/or due date (each correction an 'edited' event, so
    a re-import keeps it); the verdict itself is a 'reviewed' event."""
    check_not_deleted(states)
    if action not in REVIEW_ACTIONS:
        raise BadOption(_("bad review action {value!r}: expected one of {choices}").format(
            value=action, choices=", ".join(REVIEW_ACTIONS)))
    if action == "correct" and owner is None and due is None:
        raise BadInput(_("nothing to correct: give an owner or a due date"))

    def decide(s: State) -> Step:
        step = Step(s, [])
        if action == "correct":
            _edit(step, due, owner, note, today)
        new, old = REVIEW_ACTIONS[action], s.review_state or UNREVIEWED
        if old != new:
            step.event("reviewed", "review", old, new, note)
            step.set["review_state"] = new
        step.result = {"id": s.id, "review": new, "old": old, "changes": step.result}
        return step
    return plan("review", target, states, decide)


def history_line(commitment_id: int, action: str, field_: str | None = None, old: str | None = None,
                 new: str | None = None, note: str | None = None) -> dict:
    """An event of a commitment that is not one of the change's steps (ChangePlan.events)."""
    return {"commitment_id": commitment_id, "action": action, "field": field_, "old_value": old, "new_value": new,
            "note": note, "on_date": None, "evidence": None}
