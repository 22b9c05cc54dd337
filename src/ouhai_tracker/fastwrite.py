"""`tracker done` on SQLite without importing SQLAlchemy.

Marking a promise done is the daily write, and loading SQLAlchemy (~190 ms) cost more than the
rest of the command. For the plain case (open, not recurring, not already kept or done, every id
known, --on within its letter's dates) on a SQLite file at this tracker's schema, this module
writes what the ORM path writes (Tracker.mark_done with store/queries.py, followup_queries.py
and changes.Recorder): an outcome event and a status event per commitment, the commitments'
new status and outcome, one undoable change. A test holds the two paths to the same rows.

Anything else returns None before writing and the caller takes the ORM path, which also gives
the errors.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

from ouhai_tracker.extract.model import RECURRING
from ouhai_tracker.fastread import connect
from ouhai_tracker.store.limits import CHECKPOINT_WAIT_MS, MAX_ID
from ouhai_tracker.store.states import DONE, KEPT, NOT_YET_RATED, OPEN
from ouhai_tracker.store.who import login

SELECT = """SELECT c.id, c.status, c.due_kind, c.outcome, c.outcome_on, c.text, l.letter_date
FROM commitments c JOIN letters l ON l.id = c.letter_id WHERE c.id IN ({marks})"""
INSERT_CHANGE = "INSERT INTO changes (at, command, target, by, data) VALUES (?, 'done', ?, ?, ?)"
INSERT_EVENT = """INSERT INTO events (commitment_id, at, action, field, old_value, new_value, note, on_date,
evidence, change_id) VALUES (?, ?, 'done', ?, ?, ?, ?, ?, NULL, ?)"""
UPDATE = "UPDATE commitments SET status = ?, outcome = ?, outcome_on = ?, updated_at = ? WHERE id = ?"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DateTime text


def mark_done(db: str | None, ids: list[int], note: str | None, on: date | None, today: date,
              target: str) -> list[dict] | None:
    """Mark ``ids`` done as one change (``target`` as the change records it); the results as
    Tracker.mark_done gives them, or None when not served here."""
    unique = list(dict.fromkeys(ids))
    if not unique or not all(1 <= i <= MAX_ID for i in unique):
        return None
    connection = connect(db, write=True)
    if connection is None:
        return None
    try:
        try:
            found = {row[0]: row for row in connection.execute(
                SELECT.format(marks=", ".join("?" * len(unique))), unique)}
            rows = [found[i] for i in unique if i in found]
            if len(rows) < len(unique) or not all(_plain(row, on, today) for row in rows):
                return None
            _write(connection, rows, note, on, today, target)
            connection.execute("COMMIT")
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        # As every command that writes does: fold the WAL back in, so the .db file stands alone.
        connection.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error:
            pass  # others are busy: the commit is safe in the WAL, the next writer folds it in
        return [{"id": row[0], "result": "done", "text": row[5]} for row in rows]
    except sqlite3.DatabaseError:  # a locked, read-only or unexpected file: the other path says why
        return None
    finally:
        connection.close()


def _plain(row, on: date | None, today: date) -> bool:
    _id, status, due_kind, outcome, _on, _text, letter_date = row
    if status != OPEN or due_kind == RECURRING or outcome == KEPT:
        return False
    return on is None or (on <= today and (letter_date is None or on.isoformat() >= letter_date))


def _write(connection: sqlite3.Connection, rows, note: str | None, on: date | None, today: date,
           target: str) -> None:
    at = _stamp(datetime.now().replace(microsecond=0))
    done_on = (on or today).isoformat()
    on_text = on.isoformat() if on is not None else None
    changed = {}
    for commitment_id, _status, _kind, outcome, outcome_on, *_ in rows:  # as changes.Recorder: what changed
        columns = {"status": [OPEN, DONE], "outcome": [outcome, KEPT], "outcome_on": [outcome_on, done_on]}
        changed[str(commitment_id)] = {name: pair for name, pair in columns.items() if pair[0] != pair[1]}
    cursor = connection.execute(INSERT_CHANGE, (at, target, login(), json.dumps({"commitments": changed})))
    change_id = cursor.lastrowid
    for commitment_id, _status, _kind, outcome, *_ in rows:
        connection.execute(INSERT_EVENT, (commitment_id, at, "outcome", outcome or NOT_YET_RATED, KEPT, note,
                                          on_text, change_id))
        connection.execute(INSERT_EVENT, (commitment_id, at, "status", OPEN, DONE, note, on_text, change_id))
        connection.execute(UPDATE, (DONE, KEPT, done_on, at, commitment_id))
