"""A person's change, and a later document linked, on a SQLite file without importing SQLAlchemy.

Marking a promise done is the daily write, and loading SQLAlchemy cost more than the rest of
the command; so did it for one more later document linked into a large database. On a SQLite
file at this tracker's schema, a change is read, decided and written here by the same code as
on every other database (change_write.py with change_plan.py; linking: store/link_store.py);
only the statements run differently: their SQLite text, compiled ahead from change_sql.py and
link_sql.py (fast_sql.CHANGE, fast_sql.LINK), through the standard library's driver. Anything
else (another database, an older or newer schema, a locked file) returns None, nothing
written, and the caller takes the SQLAlchemy path.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from ouhai_tracker.store.change_plan import ChangePlan, State
from ouhai_tracker.store.limits import CHECKPOINT_WAIT_MS, MAX_ID

T = TypeVar("T")


class SqliteFile:
    """change_write.Database on a stdlib connection, in its write transaction: a person's change's
    statements (fast_sql.CHANGE), or those given (fast_sql.LINK)."""

    max_id = MAX_ID

    def __init__(self, connection: sqlite3.Connection, sql: dict[str, str] | None = None) -> None:
        if sql is None:
            from ouhai_tracker.store.fast_sql import CHANGE

            sql = CHANGE
        self.connection, self.sql = connection, sql

    def rows(self, name: str, params: dict[str, Any]):
        return self.connection.execute(*expanded(self.sql[name], _sqlite_values(params))).fetchall()

    def run(self, name: str, params: dict[str, Any]) -> int | None:
        return self.connection.execute(*expanded(self.sql[name], _sqlite_values(params))).lastrowid

    def run_many(self, name: str, rows: list[dict[str, Any]]) -> None:
        self.connection.executemany(self.sql[name], [_sqlite_values(row) for row in rows])


# A list parameter in a statement compiled ahead: SQLAlchemy's "expanding" IN, written out here.
_LIST = re.compile(r"__\[POSTCOMPILE_(\w+)\]")


def expanded(sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``sql`` with each list parameter written out as one parameter per value (``ids`` of three
    values: ``:ids_1, :ids_2, :ids_3``), and the values under those names. An empty list matches
    nothing, as SQLAlchemy writes it."""
    if "__[POSTCOMPILE_" not in sql:
        return sql, params
    values = dict(params)

    def write_out(match: re.Match) -> str:
        name = match.group(1)
        items = params[name]
        if not items:
            return "SELECT 1 WHERE 1 != 1"  # IN (an empty set)
        values.update((f"{name}_{n}", item) for n, item in enumerate(items, 1))
        return ", ".join(f":{name}_{n}" for n in range(1, len(items) + 1))

    return _LIST.sub(write_out, sql), values


_AS_THEY_ARE = frozenset((str, int, float, bool, type(None), list))  # lists: expanding parameters


def _sqlite_values(params: dict[str, Any]) -> dict[str, Any]:
    """Values as SQLAlchemy stores them in SQLite: dates and times as text, JSON as text. (Most
    values are text and numbers, passed as they are: a document's links are thousands of rows.)"""
    return {name: value if type(value) in _AS_THEY_ARE else _sqlite_value(value) for name, value in params.items()}


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
    from ouhai_tracker.store.who import login

    def work(file: SqliteFile) -> ChangePlan:
        plan = decide(change_write.read_states(file, ids))
        change_write.write(file, plan, login())
        return plan

    # What a person records waits for the disk; the WAL is folded back in, as every command that writes does.
    plan = _transaction(db, None, work, durable=True, fold=True)
    return plan.results() if plan is not None else None


def link(db: str | None, work: Callable[[SqliteFile], T]) -> T | None:
    """Run ``work`` (store one later document and its links: evidence/linking.py) as one
    transaction through the linking statements (fast_sql.LINK); its answer, or None when this
    file is not served here, nothing written. A later document can be imported again: the commit
    does not wait for the disk, and the WAL is folded back in once, at the end (checkpoint)."""
    from ouhai_tracker.store.fast_sql import LINK

    return _transaction(db, LINK, work, durable=False, fold=False)


def _transaction(db: str | None, sql: dict[str, str] | None, work: Callable[[SqliteFile], T], *,
                 durable: bool, fold: bool) -> T | None:
    """``work`` run on the SQLite file ``db`` names through the statements ``sql`` (SqliteFile's),
    committed whole or not at all; its answer, or None when this file is not served here (a
    locked, read-only or unexpected file: the other path says why). ``fold``: the WAL is folded
    back in after the commit."""
    from ouhai_tracker.store.fastread import served

    def run(connection: sqlite3.Connection) -> T:
        try:
            answer = work(SqliteFile(connection, sql))
            connection.execute("COMMIT")
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        if fold:
            _checkpoint(connection)
        return answer
    return served(db, run, write=True, durable=durable)


def checkpoint(db: str | None) -> None:
    """Fold the WAL of the SQLite file ``db`` names back in, as every command that writes does at
    its end."""
    from ouhai_tracker.store.location import sqlite_file

    path = sqlite_file(db)
    if path is None or not path.is_file():
        return
    try:
        connection = sqlite3.connect(path.as_uri(), uri=True, isolation_level=None)
    except sqlite3.Error:
        return  # the data is in the WAL, committed: the next writer folds it in
    try:
        _checkpoint(connection)
    finally:
        connection.close()


def _checkpoint(connection: sqlite3.Connection) -> None:
    # Fold the WAL back in, so the .db file stands alone (a person who copies it has their data).
    connection.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.Error:
        pass  # others are busy: the commit is safe in the WAL, the next writer folds it in
