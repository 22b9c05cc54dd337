"""What a person changed, kept so that `tracker undo` can take it back exactly.

Each command a person runs that changes the database (done, reopen, edit, rate, review,
feedback, config set/unset, depts alias/merge, docs merge, evidence verdicts, delete, restore)
is one Change row: when, by whom, the command and what it was run on. Each is planned in plain
Python (store/change_plan.py, store/change_kinds.py; store/letter_merge.py for `docs merge`) and written with its Change
row by store/change_write.write. The events it writes in the commitments' histories point to it,
and its ``data`` keeps what undoing needs:

- ``commitments``: {id: {column: [before, after]}} for each column of a commitment it changed
  (status, due, owner_id, outcome, review_state … as stored; dates as YYYY-MM-DD);
- ``setting``: {key, before, after} (None: not set);
- ``alias``: {id, alias, before: [department id, source] or None (a new alias), after};
- ``feedback``: the rating it added (its row id, letter, rating, note, day);
- ``merge``: the merged department as it was and every row the merge moved, removed or added;
- ``evidence``: a verdict on a proposed link {id, before, after: {state, decided_outcome, decided_at}};
- ``letters``: two letters merged (`tracker docs merge`): what store/letter_merge.py moved and exchanged.

Undoing checks that the "after" values still stand (if a later change or import got there
first, it refuses and says what differs), puts the "before" values back, writes an 'undone'
event for each event the change wrote (naming that event's action and time), and marks the
change undone by the undo, itself a change (command 'undo', never undone in turn: run the
command again): decided by undo_plan.reverse (letter_merge.unmerge), written by
change_write.undo. Nothing is deleted from any history; a rating taken back leaves the letter's
ratings but stays in its change. Imports are nobody's change: a letter is put right by
importing it again.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ouhai_tracker.store.change_plan import COLUMNS
from ouhai_tracker.store.models import Change, Department
from ouhai_tracker.store.undo_plan import UNDO, Recorded
from ouhai_tracker.store.who import login

# ---- reading changes ----------------------------------------------------------------------------

def undoable(session: Session, since: datetime | None = None, by: str | None = None) -> list[Change]:
    """What an undo takes back, newest first: the last change not undone yet, or every one since
    ``since``; with ``by``, only that person's (on a shared database, another's are theirs to undo)."""
    query = (select(Change).where(Change.undone_by_id.is_(None), Change.command != UNDO)
             .order_by(Change.id.desc()))
    if by is not None:
        query = query.where(Change.by == by)
    if since is None:
        return list(session.scalars(query.limit(1)))
    return list(session.scalars(query.where(Change.at >= since)))


def locked(session: Session, change_ids: list[int]) -> list[Change]:
    """The changes ``change_ids`` that exist, newest first, locked (PostgreSQL) until the
    transaction ends: two people undoing the same change at once undo it once."""
    return list(session.scalars(select(Change).where(Change.id.in_(change_ids))
                                .order_by(Change.id.desc()).with_for_update()))


def recent(session: Session, limit: int) -> list[Change]:
    return list(session.scalars(select(Change).order_by(Change.id.desc()).limit(limit)))


def summary(change: Change) -> dict:
    return {"id": change.id, "at": change.at.isoformat(sep=" "), "by": change.by, "command": change.command,
            "target": change.target, "undone_by": change.undone_by_id}


def effects(session: Session, change: Change) -> list[dict]:
    """What undoing ``change`` would do, as plain data for the screen (render/changes.py)."""
    data = change.data or {}
    out = []
    if "letters" in data:
        out.append({"kind": "letters", "keep": data["letters"]["keep"], "other": data["letters"]["other"]})
    if "merge" in data:
        m = data["merge"]
        out.append({"kind": "merge", "merged": m["department"]["name"], "into": _department_name(session, m["into"]),
                    "commitments": len(m["owned"]), "partners": len(m["partners_moved"]) + len(m["partners_removed"]),
                    "aliases": len(m["aliases_moved"]) + len(m["aliases_removed"])})
    if "alias" in data:
        a = data["alias"]
        out.append({"kind": "alias", "alias": a["alias"], "now": _department_name(session, a["after"][0]),
                    "back": _department_name(session, a["before"][0]) if a["before"] else None})
    if "setting" in data:
        s = data["setting"]
        out.append({"kind": "setting", "key": s["key"], "now": s["after"], "back": s["before"]})
    if "feedback" in data:
        f = data["feedback"]
        out.append({"kind": "feedback", "file": f["file"], "rating": f["rating"], "on": f["on"]})
    if "evidence" in data:
        e = data["evidence"]
        out.append({"kind": "evidence", "link": e["id"], "now": e["after"]["state"], "back": e["before"]["state"]})
    shown = set()
    for commitment_id, columns in data.get("commitments", {}).items():
        for column, (before, after) in columns.items():
            if COLUMNS[column] is None:
                continue
            if column == "owner_id":
                before, after = _department_name(session, before), _department_name(session, after)
            out.append({"kind": "field", "commitment": int(commitment_id), "field": COLUMNS[column],
                        "now": after, "back": before})
            shown.add(int(commitment_id))
    for e in change.events:  # a line of history that changed nothing undoable (a note)
        if e.commitment_id not in shown and "merge" not in data and "letters" not in data:
            out.append({"kind": "history", "commitment": e.commitment_id, "action": e.action})
            shown.add(e.commitment_id)
    return out


def _department_name(session: Session, department_id: int | None) -> str | None:
    if department_id is None:
        return None
    department = session.get(Department, department_id)
    return department.name if department is not None else f"department #{department_id}"


# ---- undoing ------------------------------------------------------------------------------------

def undo(session: Session, changes: list[Change]) -> Change:
    """Take ``changes`` back, newest first, as one change of its own (returned): decided in
    undo_plan.py (letter_merge.py for a merge of letters) and written by change_write.undo."""
    from ouhai_tracker.store import change_sql, change_write, letter_merge

    recorded = [Recorded(c.id, c.command, c.target, c.undone_by_id, c.data or {},
                         tuple({"commitment_id": e.commitment_id, "action": e.action, "field": e.field,
                                "old_value": e.old_value, "new_value": e.new_value, "at": e.at} for e in c.events))
                for c in changes]
    undo_id = change_write.undo(change_sql.Connected(session.connection()), recorded, login(), letter_merge.unmerge)
    session.expire_all()  # written beside the ORM: read again
    return session.get_one(Change, undo_id)
