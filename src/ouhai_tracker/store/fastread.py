"""`tracker due`, `list`, `stats`, `report`, `docs` and `export` of everything on SQLite without
importing SQLAlchemy (and the stored letters' hashes an import starts from).

SQLAlchemy costs ~200–300 ms to import, more than the whole budget of a daily
`tracker due --dept X`. For the common reads (by department and status, a page or all) on a
SQLite file, this module runs the read layer's own statements (store/read.py) with the
stdlib driver: ``fast_sql.READ`` holds their SQLite text, written by
``scripts/generate_fast_sql.py`` and checked against the read layer by a test, and the
rows become dicts in rows.py, as on the other path.

Anything else (another database, other filters, a file not created yet) returns None and
the caller takes the SQLAlchemy path.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from ouhai_tracker.periods import period_params
from ouhai_tracker.rows import commitment_dicts, mark_roles
from ouhai_tracker.store.limits import BUSY_TIMEOUT_MS
from ouhai_tracker.store.location import sqlite_file

T = TypeVar("T")


def variant(dept: bool, status: bool, limit: bool) -> str:
    """The name of one combination of the filters served here (a key of fast_sql.READ)."""
    return ",".join(name for name, on in (("dept", dept), ("status", status), ("limit", limit)) if on) or "all"


def variants():
    """(name, dept, status, limit) for every combination served here."""
    for dept in (False, True):
        for status in (False, True):
            for limit in (False, True):
                yield variant(dept, status, limit), dept, status, limit


def scorecard_variants():
    """(name, dept) for the scorecard's selections served here (keys of fast_sql.READ): every
    live commitment, or a department's."""
    for dept in (False, True):
        yield ("dept," if dept else "") + "live", dept


def find_page(db: str | None, dept: str | None, status: str, today: date,
              limit: int | None, brief: bool = False) -> tuple[list[dict], int] | None:
    """The first ``limit`` rows (all with None) and how many match in all; None when not served here.
    ``brief``: a table's rows (read.commitments)."""
    from ouhai_tracker.store.fast_sql import READ

    def read(connection: sqlite3.Connection) -> tuple[list[dict], int]:
        statements = READ[variant(bool(dept), status != "all", limit is not None)]
        params = _params(dept, today, status=status, limit=limit)
        rows = connection.execute(statements["brief" if brief else "rows"], params).fetchall()
        total = len(rows) if limit is None else connection.execute(statements["count"], params).fetchone()[0]
        if not rows or brief:
            return commitment_dicts(rows, [], [], today), total
        partners = connection.execute(statements["partners"], params).fetchall()
        policies = connection.execute(statements["policies"], params).fetchall()
        found = commitment_dicts(rows, partners, policies, today)
        if dept:
            mark_roles(found, {name for (name,) in connection.execute(statements["matched"], params)})
        return found, total
    return served(db, read)


def scorecard(db: str | None, dept: str | None, today: date) -> tuple[list[dict], list[dict]] | None:
    """`tracker stats`' reading: the live commitments (all, or a department's) and the links of
    later documents to them, as the read layer gives them; None when not served here."""
    return served(db, lambda connection: _live(connection, dept, today))


def report(db: str | None, dept: str | None, today: date) -> tuple[list[dict], list[dict], set[int] | None,
                                                                   dict[str, list]] | None:
    """`tracker report`'s reading: the live commitments (all, or a department's), the links of
    later documents to them, the ids of the letters of the selection (None: every letter) and
    the rows of store/letter_sql.py's statements; None when not served here."""
    def read(connection: sqlite3.Connection):
        rows, links = _live(connection, dept, today)
        return rows, links, _letters_of(connection, dept, today), _letter_reading(connection)
    return served(db, read)


def letter_reading(db: str | None) -> dict[str, list] | None:
    """The rows of store/letter_sql.py's statements (the letters, ratings, settings, contacts, notes),
    read by their columns' names; None when not served here."""
    return served(db, _letter_reading)


def _live(connection: sqlite3.Connection, dept: str | None, today: date) -> tuple[list[dict], list[dict]]:
    """The live commitments (all, or a department's) and their links."""
    from ouhai_tracker.rows import link_dicts

    statements, params = _scorecard_statements(dept), _params(dept, today)
    rows = connection.execute(statements["rows"], params).fetchall()
    found = commitment_dicts(rows, connection.execute(statements["partners"], params).fetchall(),
                             connection.execute(statements["policies"], params).fetchall(), today)
    if dept:
        mark_roles(found, {name for (name,) in connection.execute(statements["matched"], params)})
    return found, link_dicts(connection.execute(statements["links"], params).fetchall())


def _letters_of(connection: sqlite3.Connection, dept: str | None, today: date) -> set[int] | None:
    """The ids of the letters of every commitment of the department, whatever its state (None
    without one: every letter)."""
    if not dept:
        return None
    params = _params(dept, today)
    return {letter_id for (letter_id,) in connection.execute(_scorecard_statements(dept)["letters_of"], params)}


def _scorecard_statements(dept: str | None) -> dict[str, str]:
    from ouhai_tracker.store.fast_sql import READ

    return READ[next(name for name, by_dept in scorecard_variants() if by_dept == bool(dept))]


def _letter_reading(connection: sqlite3.Connection) -> dict[str, list]:
    from ouhai_tracker.store.fast_sql import LETTERS

    cursor = connection.cursor()
    cursor.row_factory = sqlite3.Row  # read by their columns' names, as the other path's mappings
    return {name: cursor.execute(sql).fetchall() for name, sql in LETTERS.items()}


def export(db: str | None, with_contacts: bool) -> dict[str, list[dict]] | None:
    """Every table of `tracker export`, unselected, as store/export.py makes them from the export's
    statements; None when not served here."""
    from ouhai_tracker.store.export import export_tables
    from ouhai_tracker.store.fast_sql import EXPORT

    def read(connection: sqlite3.Connection) -> dict[str, list[dict]]:
        def rows(name: str) -> tuple[list[str], list]:
            cursor = connection.execute(EXPORT[name])
            return [column[0] for column in cursor.description], cursor.fetchall()
        return export_tables(rows, with_contacts)
    return served(db, read)


def served(db: str | None, read: Callable[[sqlite3.Connection], T], **options) -> T | None:
    """What ``read`` does on the SQLite file ``db`` names (read-only, unless ``options`` for
    connect say otherwise); None when the file is not one this path serves (another database,
    another schema, a locked or damaged file): the other path says why."""
    connection = connect(db, **options)
    if connection is None:
        return None
    try:
        return read(connection)
    except sqlite3.DatabaseError:
        return None
    finally:
        connection.close()


def _params(dept: str | None, today: date, **more) -> dict:
    """The parameters of the statements served here: the as-of day, its periods, the department's names."""
    params: dict = {**more, "as_of": today.isoformat(),
                    **{name: day.isoformat() for name, day in period_params(today).items()}}
    if dept:
        from ouhai_tracker.store.dept_filter import dept_query

        params |= dept_query(dept)
    return params


def stored_hashes(db: str | None, files: list[str]) -> dict[str, frozenset[str]] | None:
    """{file name: the content hashes of the letters stored under it}, as the store reads them;
    None when not served here. An import asks before it opens the database with SQLAlchemy, so
    that its workers start on the letters while SQLAlchemy loads."""
    path = sqlite_file(db)
    if path is not None and not path.exists():
        return {}  # a database still to be made holds no letters
    from ouhai_tracker.store import letter_hashes

    return served(db, lambda connection: letter_hashes.stored_hashes(connection.execute, files))


def connect(db: str | None, write: bool = False, durable: bool = True) -> sqlite3.Connection | None:
    """A connection to the SQLite file ``db`` names, if it is at this tracker's schema (the other
    path upgrades or refuses the rest); None otherwise. Read-only, or with ``write`` in a write
    transaction already begun, so that the schema checked cannot change under the writer.
    ``durable=False``: its commit need not wait for the disk (a file that can be imported again)."""
    path = sqlite_file(db)
    if path is None or not path.is_file():
        return None
    from ouhai_tracker.store.migrations import HEAD  # a constant: alembic itself is not imported

    # as_uri quotes what a URI reads otherwise: a path with # or ? is still this file.
    connection = sqlite3.connect(path.as_uri() + ("" if write else "?mode=ro"), uri=True, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if write:  # as the store writes: constraints on, a person's change waits for the disk
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA synchronous=" + ("FULL" if durable else "NORMAL"))
            connection.execute("BEGIN IMMEDIATE")
        if connection.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,):
            return connection
    except sqlite3.DatabaseError:  # an older or newer schema, a damaged or locked file ...: the other path says why
        pass
    connection.close()  # (an open transaction is rolled back)
    return None


def department_names(db: str | None, part: str) -> list[str]:
    """Department names and aliases containing ``part``, for shell completion: those that start
    with it first. Read-only, stdlib only; an absent or non-SQLite database completes nothing."""
    file = sqlite_file(db)
    if file is None or not file.is_file():
        return []
    try:
        with sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True) as connection:
            names = {name for (name,) in connection.execute(
                "SELECT name FROM departments UNION SELECT alias FROM department_aliases")}
    except sqlite3.Error:
        return []
    found = [name for name in names if part in name]
    return sorted(found, key=lambda name: (not name.startswith(part), len(name), name))
