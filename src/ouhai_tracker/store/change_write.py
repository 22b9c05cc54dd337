"""Reading the commitments a person's change acts on, and writing its plan: the one place both
happen, on every database.

The statements are declared once, from the models, in change_sql.py. ``Database`` runs them by
name: through SQLAlchemy (change_sql.Connected), or on a SQLite file through the standard
library with their text compiled ahead (fastwrite.py), so that `tracker done` need not load
SQLAlchemy. No SQLAlchemy here.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from ouhai_tracker.errors import NotFound
from ouhai_tracker.i18n import _
from ouhai_tracker.store.change_plan import COLUMNS, ChangePlan, Made, State, Write

if TYPE_CHECKING:  # what the other kinds of change read: loaded where they are, not on `done`'s fast path
    from ouhai_tracker.store.change_kinds import AliasRow, Department, Holdings, Link
    from ouhai_tracker.store.undo_plan import Now, Recorded

STATE_FIELDS = tuple(State.__dataclass_fields__)  # the order change_sql's select_state gives them in
DAYS = ("due", "outcome_on", "letter_date")


class Database(Protocol):
    max_id: int  # the largest id a row can have there (a larger number finds nothing)

    def rows(self, name: str, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        """The rows of the select ``name`` (one of change_sql.STATEMENTS)."""

    def run(self, name: str, params: dict[str, Any]) -> int | None:
        """Run the insert or update ``name``; an insert's new id."""

    def run_many(self, name: str, rows: list[dict[str, Any]]) -> None:
        """Run the insert or update ``name`` once per row."""


def read_states(db: Database, ids: list[int]) -> list[State]:
    """The commitments ``ids`` in that order (each once), or NotFound naming every id missing,
    before anything changes: a batch is done whole or not at all."""
    found: dict[int, State] = {}
    for i in dict.fromkeys(ids):
        if 1 <= i <= db.max_id:
            for row in db.rows("select_state", {"id": i}):
                values = dict(zip(STATE_FIELDS, row))
                values["due_inferred"] = bool(values["due_inferred"])  # SQLite's 0 or 1 through the stdlib
                found[i] = State(**{**values, **{name: stored_day(values[name]) for name in DAYS}})
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise NotFound(_("no commitment with id {id} (see `tracker list --status all`)").format(id=", ".join(missing)))
    return [found[i] for i in dict.fromkeys(ids)]


def setting(db: Database, key: str) -> str | None:
    rows = db.rows("select_setting", {"key": key})
    return rows[0][0] if rows else None


def last_rating(db: Database, letter_id: int) -> str | None:
    """The letter's latest rating by a member, if it has one."""
    rows = db.rows("select_last_rating", {"letter_id": letter_id})
    return rows[0][0] if rows else None


def read_alias(db: Database, alias: str) -> AliasRow | None:
    from ouhai_tracker.store.change_kinds import AliasRow

    rows = db.rows("select_alias", {"alias": alias})
    return AliasRow(*rows[0]) if rows else None


def named_as(db: Database, alias: str, department_id: int) -> str | None:
    """The department other than ``department_id`` whose name or short form ``alias`` is."""
    rows = db.rows("select_named_as", {"alias": alias, "department_id": department_id})
    return rows[0][0] if rows else None


def read_link(db: Database, link_id: int) -> Link | None:
    from ouhai_tracker.store.change_kinds import Link

    rows = db.rows("select_link", {"id": link_id}) if 1 <= link_id <= db.max_id else []
    return Link(*rows[0]) if rows else None


def stored_day(value: date | str | None) -> date | None:
    # The stdlib driver gives SQLite's date text; SQLAlchemy gives dates.
    return date.fromisoformat(value) if isinstance(value, str) else value


def write(db: Database, plan: ChangePlan, by: str | None) -> int | None:
    """Write ``plan`` as one change: its other rows (``plan.writes``, in order), the change row
    (what `undo` takes back), each commitment's events pointing to it, and its columns. Nothing
    when nothing changed (done on a done one): there is nothing to undo. Returns the change's id."""
    if not plan.record() and not plan.writes and not plan.events and not any(step.events for step in plan.steps):
        return None
    run(db, plan.writes, plan.data)
    data = plan.record()
    change_id = db.run("insert_change", {"at": plan.at, "command": plan.command, "target": plan.target,
                                           "by": by, "data": data})
    for event in plan.events:
        db.run("insert_event", {"at": plan.at, "change_id": change_id, **event})
    changed = data.get("commitments", {})
    for step in plan.steps:
        for event in step.events:
            db.run("insert_event", {"commitment_id": step.state.id, "at": plan.at, "change_id": change_id, **event})
        if str(step.state.id) in changed:
            db.run("update_commitment", {"_id": step.state.id, "updated_at": plan.at,
                                           **{f"set_{name}": value for name, value in step.columns().items()}})
    return change_id


def run(db: Database, writes: list[Write], data: dict | None = None) -> None:
    """Run ``writes`` in order; the ids they insert fill ``data`` (the change's) where they say."""
    made: dict[str, Any] = {}
    for row in writes:
        new_id = db.run(row.statement, {name: made[value.name] if isinstance(value, Made) else value
                                        for name, value in row.params.items()})
        if row.made is not None:
            made[row.made] = new_id
        if row.fills is not None and data is not None:
            entry, key = row.fills
            if isinstance(data[entry][key], list):
                data[entry][key].append(new_id)
            else:
                data[entry][key] = new_id


# ---- undoing ------------------------------------------------------------------------------------

class Standing:
    """undo_plan.Now read from the database, as it stands in this transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _one(self, name: str, params: dict[str, Any]):
        rows = self.db.rows(name, params)
        return rows[0] if rows else None

    def commitment(self, commitment_id: int) -> dict[str, Any]:
        row = self._one("select_columns", {"id": commitment_id})
        if row is None:
            raise NotFound(_("no commitment with id {id} (see `tracker list --status all`)").format(id=commitment_id))
        return {name: value.isoformat() if isinstance(value, date) else value for name, value in zip(COLUMNS, row)}

    def department(self, department_id: int) -> str | None:
        row = self._one("select_department_name", {"id": department_id})
        return row[0] if row else None

    def setting(self, key: str) -> str | None:
        return setting(self.db, key)

    def alias(self, alias_id: int) -> list | None:
        row = self._one("select_alias_by_id", {"id": alias_id})
        return [row[0], row[1]] if row else None

    def link(self, link_id: int) -> tuple[str, str | None] | None:
        row = self._one("select_verdict", {"id": link_id})
        return (row[0], row[1]) if row else None

    def rating(self, rating_id: int) -> bool:
        return self._one("select_rating", {"id": rating_id}) is not None

    def department_named(self, name: str) -> bool:
        return self._one("select_department_named", {"name": name}) is not None

    def points_to(self, kind: str, row_id: int) -> tuple[int | None] | None:
        statement = {"commitment": "select_owner", "alias": "select_alias_by_id", "partner": "select_partner_department",
                     "letter": "select_replying_unit"}[kind]
        row = self._one(statement, {"id": row_id})
        return (row[0],) if row else None


def read_department(db: Database, department_id: int) -> Department:
    from ouhai_tracker.store.change_kinds import Department

    return Department(*db.rows("select_department", {"id": department_id})[0])


def holdings(db: Database, merged: int, into: int) -> Holdings:
    """What merging department ``merged`` into ``into`` moves (change_kinds.plan_merge_departments)."""
    from ouhai_tracker.store.change_kinds import Alias, Holdings, Partner

    def ids(name: str, department_id: int) -> list[int]:
        return [row[0] for row in db.rows(name, {"department_id": department_id})]

    return Holdings(owned=ids("select_owned", merged),
                    partners=[Partner(*row) for row in db.rows("select_partners_of", {"department_id": merged})],
                    letters=ids("select_letters_of", merged), into_letters=set(ids("select_letters_of", into)),
                    replying=ids("select_replying", merged),
                    aliases=[Alias(*row) for row in db.rows("select_aliases_of", {"department_id": merged})],
                    into_aliases=[Alias(*row) for row in db.rows("select_aliases_of", {"department_id": into})])


Unmerge = Callable[[Database, "Recorded", dict, "Now"], list[Write]]


def undo(db: Database, changes: list[Recorded], by: str | None, unmerge: Unmerge) -> int:
    """Take ``changes`` back, newest first, as one change of its own (its id): all, or none when
    one was changed since (undo_plan.refuse raises, and the caller's transaction is rolled
    back). Each is decided on what stands after the ones undone before it; a merge of letters
    by ``unmerge`` (store/letter_merge.py, which reads more than this module does)."""
    from ouhai_tracker.store import undo_plan

    plan = undo_plan.plan_undo(changes)
    undo_id = db.run("insert_change", {"at": plan.at, "command": plan.command, "target": plan.target, "by": by,
                                       "data": plan.record()})
    assert undo_id is not None
    for change in sorted(changes, key=lambda c: c.id, reverse=True):
        undo_plan.check_undoable(change)
        now, writes = Standing(db), []
        letters = (change.data or {}).get("letters")
        if letters is not None:  # its commitments' columns first: the merge exchanged them before it set them
            writes = unmerge(db, change, letters, now)
        run(db, writes + undo_plan.reverse(change, now, undo_id, plan.at, commitments=letters is None))
    return undo_id
