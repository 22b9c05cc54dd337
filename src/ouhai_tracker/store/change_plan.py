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
from typing import Any, NoReturn, Protocol

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


def _iso(value: date | None) -> str | None:
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
        step.event("done", "due", _iso(s.due), next_due.isoformat(), note, on)
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
    return plan("rate", target, states, lambda s: _rate(s, outcome, evidence, note, on, today))


def _rate(s: State, outcome: str, evidence: str | None, note: str | None, on: date | None, today: date) -> Step:
    from ouhai_tracker.followup.schedule import schedule_state

    old = s.outcome or NOT_YET_RATED
    outcome_on = (on or today) if outcome != NOT_YET_RATED else None
    step = Step(s, {"id": s.id, "old": old, "outcome": outcome, "on": _iso(outcome_on)},
                {"outcome": outcome, "outcome_on": outcome_on})
    step.event("rated", "outcome", old, outcome, note, on, evidence)
    if outcome == KEPT and s.status == OPEN and s.due_kind != RECURRING:
        step.event("done", "status", s.status, DONE, note, on)
        step.set["status"] = DONE
        step.result["closed"] = True
    columns = step.columns()
    step.result["schedule"] = schedule_state(status=str(columns["status"]), review_state=s.review_state,
                                             outcome=outcome, outcome_on=_iso(outcome_on), due=_iso(s.due),
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
        changes.append({"field": "due", "old": _iso(s.due), "new": due.isoformat()})
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


# ---- changes beside the commitments' columns ---------------------------------------------------
# Each reads what it needs first (through change_write.Database), decides here, and is written by
# change_write.write as one change, like the commitments' changes: its data is what store/changes.py
# reads to undo it.

def plan_setting(key: str, value: str, old: str | None) -> ChangePlan:
    """`config set`: ``old`` is the value stored now (None: not set). Set again as it was, nothing to undo."""
    change = ChangePlan("config set", f"{key} {value}", now(), answer=old)
    if old != value:
        change.data["setting"] = {"key": key, "before": old, "after": value}
        change.writes.append(_set(key, old, value))
    return change


def plan_unset(key: str, old: str | None) -> ChangePlan:
    """`config unset`: back to the default; a key not set is refused."""
    from ouhai_tracker.errors import NotFound

    if old is None:
        raise NotFound(_("no setting {key!r} (see `tracker config list`)").format(key=key))
    change = ChangePlan("config unset", key, now(), answer=old)
    change.data["setting"] = {"key": key, "before": old, "after": None}
    change.writes.append(_set(key, old, None))
    return change


def _set(key: str, now: str | None, value: str | None) -> Write:
    """A setting from ``now`` to ``value`` (None: not set)."""
    if value is None:
        return Write("delete_setting", {"key": key})
    if now is None:
        return Write("insert_setting", {"key": key, "value": value})
    return Write("update_setting", {"_id": key, "value": value})


@dataclass(frozen=True)
class LetterRef:
    """A stored letter as a person named it (followup_queries.find_letter)."""

    id: int
    file: str
    superseded_by_id: int | None


def plan_feedback(target: str, letter: LetterRef, rating: str, note: str | None, on: date | None,
                  previous: str | None) -> ChangePlan:
    """A member's rating of a letter (``previous``: its latest rating before, for the answer). Undoing
    it removes the row; the change keeps what it was."""
    from ouhai_tracker.store.states import FEEDBACK_RATINGS

    if letter.superseded_by_id is not None:
        raise BadInput(_("letter #{id} is merged into #{into}: rate #{into}").format(
            id=letter.id, into=letter.superseded_by_id))
    rating = rating.strip()
    if rating not in FEEDBACK_RATINGS:
        raise BadOption(_("bad rating {value!r}: expected one of {choices}").format(
            value=rating, choices=", ".join(FEEDBACK_RATINGS)))
    change = ChangePlan("feedback", target, now(), answer={"previous": previous})
    change.data["feedback"] = {"id": None, "letter_id": letter.id, "file": letter.file, "rating": rating,
                               "note": note, "on": _iso(on)}  # its id once written
    change.writes.append(Write("insert_feedback", {"letter_id": letter.id, "rating": rating, "note": note,
                                                   "on_date": on, "at": change.at}, fills=("feedback", "id")))
    return change


@dataclass(frozen=True)
class Named:
    """A department a person named, found in the registry."""

    id: int
    name: str
    short: str


@dataclass(frozen=True)
class AliasRow:
    """A stored alias: its row, its department and where it came from."""

    id: int
    department_id: int
    department_name: str
    source: str


def plan_alias(target: str, department: Named, alias: str, taken_by: str | None, row: AliasRow | None) -> ChangePlan:
    """`depts alias`: ``alias`` names ``department`` (a person's alias, kept across re-imports), taken
    from the department that had it. ``taken_by``: another department whose own name or short form
    ``alias`` is (refused: that is a merge); ``row``: the alias as stored now. Taught again as it
    was: nothing to undo."""
    from ouhai_tracker.store.states import USER

    alias = alias.strip()
    if not alias:
        raise BadInput(_("empty alias: give the other name, e.g. tracker depts alias 区经信局 瓯海经信局"))
    if alias in (department.name, department.short):
        raise BadInput(_("{alias!r} is already the name of {name}").format(alias=alias, name=department.name))
    if taken_by is not None:
        raise BadInput(_("{alias!r} is the name of another department, {other}; to make them one: "
                         "tracker depts merge {name} {other}").format(alias=alias, other=taken_by,
                                                                     name=department.name))
    moved_from = row.department_name if row is not None and row.department_id != department.id else None
    change = ChangePlan("depts alias", target, now(),
                        answer={"department": department.name, "alias": alias, "moved_from": moved_from})
    before = [row.department_id, row.source] if row is not None else None
    after = [department.id, USER]
    if before != after:
        change.data["alias"] = {"id": row.id if row is not None else None, "alias": alias, "before": before,
                                "after": after}
        if row is None:
            change.writes.append(Write("insert_alias", {"department_id": department.id, "alias": alias,
                                                        "source": USER}, fills=("alias", "id")))
        else:
            change.writes.append(Write("update_alias", {"_id": row.id, "department_id": department.id,
                                                        "source": USER}))
    return change


@dataclass(frozen=True)
class Link:
    """A proposed link between a commitment and a sentence of a later document, as a verdict reads it."""

    id: int
    commitment_id: int
    state: str
    outcome: str  # as proposed: kept, partly, not_kept, repeated
    decided_outcome: str | None
    decided_at: datetime | None
    file: str  # the later document's
    doc_date: date | None
    start: int
    end: int
    sentence: str


LINK_ACCEPTED, LINK_REJECTED = "accepted", "rejected"  # as store/models.py's link states


def plan_verdict(action: str, link: Link, state: State, outcome: str | None, note: str | None,
                 today: date) -> ChangePlan:
    """A person's verdict on a proposed link (``action``: accept, reject, change, checked by the
    caller): the link's state, and, accepted, the rating it gives the commitment, with the
    sentence as evidence, dated by the document; kept closes an open one as `done` does."""
    from ouhai_tracker.followup import link_rating

    check_not_deleted([state])
    chosen = outcome or link.decided_outcome or link.outcome
    verdict = LINK_REJECTED if action == "reject" else LINK_ACCEPTED
    change = ChangePlan(f"evidence {action}", f"link #{link.id}", now())
    after = {"state": verdict, "decided_outcome": chosen if verdict == LINK_ACCEPTED else None,
             "decided_at": change.at}
    change.data["evidence"] = {
        "id": link.id,
        "before": {"state": link.state, "decided_outcome": link.decided_outcome,
                   "decided_at": link.decided_at.isoformat(sep=" ") if link.decided_at else None},
        "after": {**after, "decided_at": change.at.isoformat(sep=" ")}}
    change.writes.append(Write("update_link", {"_id": link.id, **after}))
    change.answer = {"id": link.id, "commitment": state.id, "state": verdict, "outcome": chosen}
    if verdict == LINK_ACCEPTED:
        rating = link_rating(chosen, state.due, link.doc_date)
        where = f"{link.file} [{link.start}-{link.end}]: {link.sentence}"
        change.steps.append(_rate(state, rating, where, note, link.doc_date, today))
        change.answer["rating"] = rating
    return change


# ---- undoing ----------------------------------------------------------------------------------------
# `undo` reads each change it takes back (newest first) and what stands now, decides here what puts
# it back or why it cannot be (a refusal undoes nothing: the transaction is rolled back), and
# change_write.undo writes it as one change of its own, command 'undo'. store/changes.py says what
# each kind of change keeps for this.

UNDO = "undo"


@dataclass(frozen=True)
class Recorded:
    """A change as undoing reads it: its row, and the events it wrote (commitment_id, action, field,
    old_value, new_value, at), in order."""

    id: int
    command: str
    target: str
    undone_by_id: int | None
    data: dict
    events: tuple[dict, ...] = ()


class Now(Protocol):
    """What stands now, read where undoing a change needs it (change_write.Standing)."""

    def commitment(self, commitment_id: int) -> dict[str, Any]:
        """The columns of COLUMNS as a change records them (dates as YYYY-MM-DD)."""

    def department(self, department_id: int) -> str | None:
        """Its name; None when there is no such department."""

    def setting(self, key: str) -> str | None: ...

    def alias(self, alias_id: int) -> list | None:
        """[department id, source], or None when the row is gone."""

    def link(self, link_id: int) -> tuple[str, str | None] | None:
        """(state, decided outcome), or None when the link is gone."""

    def rating(self, rating_id: int) -> bool:
        """Is the member's rating there?"""

    def department_named(self, name: str) -> bool: ...

    def points_to(self, kind: str, row_id: int) -> tuple[int | None] | None:
        """The department a row points to (a commitment's owner, an alias's or partner role's
        department, a letter's replying unit), or None when the row is gone."""


def refuse(change: Recorded, what: str) -> NoReturn:
    raise BadInput(_("cannot undo change #{id} ({command} {target}): {reason}; nothing was undone").format(
        id=change.id, command=change.command, target=change.target, reason=what))


def check_undoable(change: Recorded) -> None:
    if change.command == UNDO:
        refuse(change, _("an undo is not undone: run the command again"))
    if change.undone_by_id is not None:
        refuse(change, _("it was undone already (change #{id})").format(id=change.undone_by_id))


def plan_undo(changes: list[Recorded], at: datetime | None = None) -> ChangePlan:
    """The undo itself, as a change: what it takes back. Each change's reverse is ``reverse``'s."""
    return ChangePlan(UNDO, " ".join(f"#{c.id}" for c in changes), at or now(), data={"undid": [c.id for c in changes]})


def reverse(change: Recorded, now: Now, undo_id: int, at: datetime, commitments: bool = True) -> list[Write]:
    """What takes ``change`` back (its rows where they were, an 'undone' event for each event it
    wrote, the change marked undone by ``undo_id``), or a refusal when what it made was changed
    since. ``commitments``: its commitments' columns too (a merge of letters puts them back itself,
    before the merge is taken back)."""
    data, writes = change.data or {}, []
    if "merge" in data:
        writes += unmerge_departments(change, data["merge"], now)
    if "alias" in data:
        writes += _unalias(change, data["alias"], now)
    if "setting" in data:
        s = data["setting"]
        if now.setting(s["key"]) != s["after"]:
            refuse(change, _("{key} was changed since").format(key=s["key"]))
        writes.append(_set(s["key"], s["after"], s["before"]))
    if "evidence" in data:
        e = data["evidence"]
        if now.link(e["id"]) != (e["after"]["state"], e["after"]["decided_outcome"]):
            refuse(change, _("the proposed link #{id} was changed since").format(id=e["id"]))
        before = e["before"]
        writes.append(Write("update_link", {"_id": e["id"], "state": before["state"],
                                            "decided_outcome": before["decided_outcome"],
                                            "decided_at": datetime.fromisoformat(before["decided_at"])
                                            if before["decided_at"] else None}))
    if "feedback" in data:
        if not now.rating(data["feedback"]["id"]):
            refuse(change, _("the rating of {file} is gone").format(file=data["feedback"]["file"]))
        writes.append(Write("delete_feedback", {"_id": data["feedback"]["id"]}))
    if commitments:
        writes += put_back(change, now)
    for e in change.events:
        writes.append(Write("insert_event", {
            "commitment_id": e["commitment_id"], "at": at, "action": "undone", "field": e["field"],
            "old_value": e["new_value"], "new_value": e["old_value"], "on_date": None, "evidence": None,
            "change_id": undo_id,
            "note": f"undid {e['action']} of {e['at'].isoformat(sep=' ')} (change #{change.id})"}))
    writes.append(Write("mark_undone", {"_id": change.id, "undone_by_id": undo_id}))
    return writes


def put_back(change: Recorded, now: Now) -> list[Write]:
    """The commitments' columns as they were before ``change``, if they are as it left them."""
    writes = []
    for commitment_id, columns in (change.data or {}).get("commitments", {}).items():
        stands = now.commitment(int(commitment_id))
        values: dict[str, Any] = {}
        for column, (before, after) in columns.items():
            if stands[column] != after:
                was, then = stands[column], after
                if column == "owner_id":
                    was, then = _department_name(now, was), _department_name(now, then)
                refuse(change, _("#{id}'s {field} is {now} now, not {then}: it was changed since").format(
                    id=commitment_id, field=COLUMNS[column] or column, now=was, then=then))
            if column == "owner_id" and before is not None and now.department(before) is None:
                before = None  # the department is gone (merged away since): no owner, as the ORM did
            elif column in ("due", "outcome_on"):
                before = date.fromisoformat(before) if before else None
            values[column] = before
        writes.append(Write("update_commitment_columns", {"_id": int(commitment_id), **values}))
    return writes


def _department_name(now: Now, department_id: int | None) -> str | None:
    if department_id is None:
        return None
    name = now.department(department_id)
    return name if name is not None else f"department #{department_id}"


def _unalias(change: Recorded, a: dict, now: Now) -> list[Write]:
    if now.alias(a["id"]) != a["after"]:
        refuse(change, _("the alias {alias} was changed since").format(alias=a["alias"]))
    if a["before"] is None:
        return [Write("delete_alias", {"_id": a["id"]})]
    if now.department(a["before"][0]) is None:
        refuse(change, _("the department {alias} was moved from is gone").format(alias=a["alias"]))
    return [Write("update_alias", {"_id": a["id"], "department_id": a["before"][0], "source": a["before"][1]})]


# ---- merging departments ------------------------------------------------------------------------

def history_line(commitment_id: int, action: str, field_: str | None = None, old: str | None = None,
                 new: str | None = None, note: str | None = None) -> dict:
    """An event of a commitment that is not one of the change's steps (ChangePlan.events)."""
    return {"commitment_id": commitment_id, "action": action, "field": field_, "old_value": old, "new_value": new,
            "note": note, "on_date": None, "evidence": None}


@dataclass(frozen=True)
class Department:
    id: int
    name: str
    short: str
    level: str | None
    place: str | None
    functions: str


@dataclass(frozen=True)
class Partner:
    """A partner role of a commitment that has one for the department merged away."""

    id: int
    commitment_id: int
    department_id: int
    role: str
    cue: str
    owner_id: int | None  # the commitment's owner


@dataclass(frozen=True)
class Alias:
    id: int
    alias: str
    source: str


@dataclass(frozen=True)
class Holdings:
    """What a department merged away holds, and what the one it is merged into has already."""

    owned: list[int]  # commitments it owns
    partners: list[Partner]  # every partner role of the commitments it is a partner of
    letters: list[int]  # letters naming it
    into_letters: set[int]  # letters naming the one kept
    replying: list[int]  # letters it replied
    aliases: list[Alias]  # its aliases
    into_aliases: list[Alias]  # the kept one's


def plan_merge_departments(keep: str, other: str, into: Department, merged: Department, held: Holdings,
                           note: str | None) -> ChangePlan:
    """`depts merge`: ``merged`` into ``into``: commitments, partner roles, letters and aliases move;
    the merged department's name and short form become a person's aliases of ``into``. The
    change records every row it moved, removed or added (store/changes.py), so that undoing puts
    each back."""
    from ouhai_tracker.store.states import USER

    if into.id == merged.id:
        raise BadInput(_("{keep!r} and {other!r} are the same department ({name})").format(
            keep=keep, other=other, name=into.name))
    change = ChangePlan("depts merge", f"{keep} {other}", now())
    moved: dict[str, Any] = {
        "department": {"id": merged.id, "name": merged.name, "short": merged.short, "level": merged.level,
                       "place": merged.place, "functions": merged.functions},
        "into": into.id, "owned": [], "partners_moved": [], "partners_removed": [], "letters": [], "letters_added": [],
        "replying": [], "aliases_moved": [], "aliases_removed": [], "aliases_added": [], "aliases_sourced": []}
    change.data["merge"] = moved
    note = note or f"{merged.name} merged into {into.name}"
    for commitment_id in held.owned:
        change.writes.append(Write("update_commitment_columns", {"_id": commitment_id, "owner_id": into.id}))
        change.events.append(history_line(commitment_id, "merged", "owner", merged.name, into.name, note))
        moved["owned"].append(commitment_id)
    partners: dict[int, dict[int, int]] = {}  # commitment: {partner row: its department}, as the merge leaves them
    for p in held.partners:
        partners.setdefault(p.commitment_id, {})[p.id] = p.department_id
    mine = [p for p in held.partners if p.department_id == merged.id]
    for p in mine:
        already = any(department == into.id for row, department in partners[p.commitment_id].items() if row != p.id)
        if already or p.owner_id in (into.id, merged.id):  # a department cannot partner itself, nor twice
            change.writes.append(Write("delete_partner", {"_id": p.id}))
            del partners[p.commitment_id][p.id]
            moved["partners_removed"].append({"commitment_id": p.commitment_id, "role": p.role, "cue": p.cue})
        else:
            change.writes.append(Write("update_partner", {"_id": p.id, "department_id": into.id}))
            partners[p.commitment_id][p.id] = into.id
            moved["partners_moved"].append(p.id)
    for letter_id in held.letters:
        moved["letters"].append(letter_id)
        if letter_id not in held.into_letters:
            change.writes.append(Write("insert_letter_department", {"letter_id": letter_id, "department_id": into.id}))
            moved["letters_added"].append(letter_id)
    change.writes.append(Write("delete_letter_departments", {"department_id": merged.id}))
    for letter_id in held.replying:
        change.writes.append(Write("update_letter", {"_id": letter_id, "replying_department_id": into.id}))
        moved["replying"].append(letter_id)
    into_aliases = list(held.into_aliases)
    for a in held.aliases:
        if a.alias in (into.name, into.short):
            change.writes.append(Write("delete_alias", {"_id": a.id}))
            moved["aliases_removed"].append({"alias": a.alias, "source": a.source})
        else:
            change.writes.append(Write("update_alias", {"_id": a.id, "department_id": into.id}))
            moved["aliases_moved"].append(a.id)
            into_aliases.append(a)
    for name in dict.fromkeys((merged.name, merged.short)):
        if name in (into.name, into.short):
            continue
        existing = next((a for a in into_aliases if a.alias == name), None)
        if existing is None:
            change.writes.append(Write("insert_alias", {"department_id": into.id, "alias": name, "source": USER},
                                       fills=("merge", "aliases_added")))
        elif existing.source != USER:
            moved["aliases_sourced"].append({"id": existing.id, "source": existing.source})
            change.writes.append(Write("update_alias", {"_id": existing.id, "source": USER}))
    change.writes.append(Write("delete_department", {"_id": merged.id}))
    change.answer = {"into": into.name, "merged": merged.name, "commitments": len(held.owned),
                     "partners": len(mine), "aliases": len(held.aliases)}
    return change


def unmerge_departments(change: Recorded, m: dict, now: Now) -> list[Write]:
    """The merged department back, with its own id (or a new one, when SQLite gave its id to a
    department made since), names, commitments, partner roles, letters and aliases."""
    d = m["department"]
    into = now.department(m["into"])
    if into is None:
        refuse(change, _("the department it was merged into is gone"))
    if now.department_named(d["name"]):
        refuse(change, _("a department named {name} exists again").format(name=d["name"]))
    if now.department(d["id"]) is not None:
        d = {key: value for key, value in d.items() if key != "id"}

    def pointing(kind: str, ids: list[int]) -> list[int | None]:
        found = [now.points_to(kind, i) for i in ids]
        if any(row is None for row in found):
            refuse(change, _("something it moved was changed since"))
        return [row[0] for row in found if row is not None]

    owned, aliases, partners = (pointing("commitment", m["owned"]), pointing("alias", m["aliases_moved"]),
                                pointing("partner", m["partners_moved"]))
    if any(department != m["into"] for department in owned + aliases + partners):
        refuse(change, _("{name}'s commitments, partner roles or aliases were changed since").format(name=into))
    pointing("alias", m["aliases_added"])
    pointing("alias", [item["id"] for item in m["aliases_sourced"]])
    pointing("letter", m["replying"])
    back = Made("department")
    writes = [Write("insert_department" if "id" in d else "insert_new_department", d, made="department")]
    writes += [Write("delete_alias", {"_id": i}) for i in m["aliases_added"]]
    writes += [Write("update_alias", {"_id": item["id"], "source": item["source"]}) for item in m["aliases_sourced"]]
    writes += [Write("update_alias", {"_id": i, "department_id": back}) for i in m["aliases_moved"]]
    writes += [Write("insert_alias", {"department_id": back, "alias": item["alias"], "source": item["source"]})
               for item in m["aliases_removed"]]
    writes += [Write("update_partner", {"_id": i, "department_id": back}) for i in m["partners_moved"]]
    writes += [Write("insert_partner", {"commitment_id": item["commitment_id"], "department_id": back,
                                        "role": item["role"], "cue": item["cue"]}) for item in m["partners_removed"]]
    writes += [Write("update_commitment_columns", {"_id": i, "owner_id": back}) for i in m["owned"]]
    writes += [Write("insert_letter_department", {"letter_id": i, "department_id": back}) for i in m["letters"]]
    writes += [Write("delete_letter_department", {"letter_id": i, "department_id": m["into"]})
               for i in m["letters_added"]]
    writes += [Write("update_letter", {"_id": i, "replying_department_id": back}) for i in m["replying"]]
    return writes
