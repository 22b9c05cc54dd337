"""What the importer stores through (importer.LetterStore): a database's letters, stored in batches.

A batch is one write transaction, each letter in a savepoint of its own (``LetterBatch``); the
importer decides when a batch ends. The file names' stored hashes are read without SQLAlchemy
on a SQLite file (store/fastread.py), so that an import's workers start while it loads.
"""
from __future__ import annotations

import time
from contextlib import ExitStack
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy is imported when the first letter is stored
    from sqlalchemy.orm import Session

    from ouhai_tracker.extract.model import Settings


class LetterStore:
    """The letters of the database ``db`` names, stored in batches (LetterBatch), each a transaction opened here."""

    def __init__(self, db: str | None) -> None:
        self.db = db

    def check(self) -> None:
        """Open the database (a database that cannot be opened is one error before any file is read)."""
        from ouhai_tracker.store.engine import get_engine, refuse_read_copy, resolve_url

        url = resolve_url(self.db)
        get_engine(url)
        refuse_read_copy(url)  # an older database read through a copy: nothing imported into the copy

    def stored_hashes(self, files: list[str]) -> dict[str, frozenset[str]]:
        """{file name: the content hashes of the letters stored under it}."""
        from ouhai_tracker.store import fastread

        fast = fastread.stored_hashes(self.db, files)  # SQLite at this schema: no SQLAlchemy yet
        if fast is not None:
            return fast
        from sqlalchemy import text

        from ouhai_tracker.store import letter_hashes
        from ouhai_tracker.store.engine import session_scope

        with session_scope(self.db) as session:
            return letter_hashes.stored_hashes(
                lambda statement, params: session.execute(text(statement), params), files)

    def exists(self) -> bool:
        """Whether there is a database to compare with (a missing SQLite file is not one)."""
        from ouhai_tracker.store.location import sqlite_file

        path = sqlite_file(self.db)
        return path is None or path.exists()

    def batch(self, dry_run: bool = False, settings: Settings | None = None) -> LetterBatch:
        return LetterBatch(self.db, dry_run, settings)

    def analyze(self) -> None:
        """Refresh SQLite's table statistics: without them its planner reads `--dept X` open items
        through the status index (every open commitment) instead of the department's own ids."""
        from sqlalchemy import text

        from ouhai_tracker.store.engine import session_scope

        with session_scope(self.db) as session:
            if session.get_bind().dialect.name == "sqlite":
                session.execute(text("ANALYZE"))


# Times a letter is stored again after another tracker stored its rows first. Not an upsert on
# letters.identity: a letter's departments, aliases and policies race as well, and a plan's new rows
# taken over by another's would have to be looked up and the plan made again, which is what storing
# the letter again does (its INSERT waits for the other transaction, then the match sees its rows).
RACE_RETRIES = 5


class LetterBatch:
    """Letters stored in one write transaction, each in a savepoint of its own: a letter that
    fails rolls back alone, and the batch lands whole when ``commit`` ends it, or not at all.
    A dry run rolls every letter back. The next ``store`` after a commit opens the next batch."""

    def __init__(self, db: str | None, dry_run: bool, settings: Settings | None = None) -> None:
        self.db, self.dry_run, self.settings = db, dry_run, settings
        self._transaction: ExitStack | None = None
        self._session: Session | None = None

    def store(self, parsed, file: str, path: str, claimed: dict[int, str]):
        """Store one letter (or confirm a stored one's text). Returns the store's outcome, or None
        when a stored letter changed since it was looked at."""
        from ouhai_tracker.store.engine import RaceLost, savepoint, session_scope
        from ouhai_tracker.store.upsert import store_letter, unchanged

        if self._transaction is None:
            self._transaction = ExitStack()
            # Imported letters can be imported again: their commits need not wait for the disk.
            self._session = self._transaction.enter_context(session_scope(self.db, write=True, durable=False))
        session = self._session
        assert session is not None
        for attempt in range(RACE_RETRIES + 1):
            try:
                with savepoint(session, keep=not self.dry_run):
                    if isinstance(parsed, str):  # stored with this text already: report what is there
                        return unchanged(session, file, parsed)
                    return store_letter(session, parsed, file, path, claimed=claimed, settings=self.settings)
            except RaceLost:
                # Another tracker stored the same letter, department or policy first (PostgreSQL,
                # two imports at once): waited for, then found, as any stored letter is.
                if attempt == RACE_RETRIES:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def commit(self) -> None:
        transaction, self._transaction, self._session = self._transaction, None, None
        if transaction is not None:
            transaction.close()  # the session's block ends: it commits

    def close(self) -> None:
        """Roll back what is not committed (an interrupted import)."""
        transaction, session = self._transaction, self._session
        self._transaction = self._session = None
        if transaction is not None:
            assert session is not None  # opened with the transaction
            session.rollback()
            transaction.close()
