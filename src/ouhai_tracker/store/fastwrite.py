"""A person's change on a SQLite file without importing SQLAlchemy.

Marking a promise done is the daily write, and loading SQLAlchemy cost more than the rest of
the command. On a SQLite file at this tracker's schema, a change is read, decided and written
here by the same code as on every other database (change_write.py with change_plan.py); only
the statements run differently: their SQLite text, compiled ahead from change_sql.py
(fast_sql.CHANGE), through the standard library's driver. Anything else (another database, an
older or newer schema, a locked file) returns None before writing and the caller takes the
SQLAlchemy path.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ouhai_tracker.store.change_plan import ChangePlan, State
from ouhai_tracker.store.limits import CHECKPOINT_WAIT_MS, MAX_ID


class SqliteFile:
    """change_write.Database on a stdlib connection, in its write transaction."""

    max_id = MAX_ID

    def __init__(self, connection: sqlite3.Connection) -> None:
        from ouhai_tracker.store.fast_sql import CHANGE

        self.connection, self.sql = connection, CHANGE

    def rows(self, name: str, params: dict[str, Any]):
        return self.connection.execute(self.sql[name], _sqlite_values(params)).fetchall()

    def run(self, name: str, params: dict[str, Any]) -> int | None:
        return self.connection.execute(self.sql[name], _sqlite_values(params)).lastrowid


def _sqlite_values(params: dict[str, Any]) -> dict[str, Any]:
    """Values as SQLAlchemy stores them in SQLite: dates and times as text, JSON as text."""
    return {name: _sqlite_value(value) for name, value in params.items()}


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def change(db: str | None, ids: list[int], decide: Callable[[list[State]], ChangePlan]) -> list[dict] | None:
    """Read the commitments ``ids``, ``decide`` the change and write it, as one transaction; its
    results, or None when this file is not served here. A missing id or a refused change raises
    as on the other path, before anything is written."""
    from ouhai_tracker.store import change_write
    from ouhai_tracker.store.fastread import connect
    from ouhai_tracker.store.who import login

    connection = connect(db, write=True)
    if connection is None:
        return None
    try:
        try:
            file = SqliteFile(connection)
            plan = decide(change_write.read_states(file, ids))
            change_write.write(file, plan, login())
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
        return plan.results()
    except sqlite3.DatabaseError:  # a locked, read-only or unexpected file: the other path says why
        return None
    finally:
        connection.close()
