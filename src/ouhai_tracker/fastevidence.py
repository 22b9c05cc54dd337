"""`tracker import --evidence` of later documents on SQLite without importing SQLAlchemy.

Loading SQLAlchemy and its mapped models costs more than linking a document (half a second
on a 2-core machine), and a department's staff import one 回头看 report or one work summary at a
time. For later documents that are no reply letters, on a SQLite file at this tracker's schema,
this module is the store the service links through (Tracker._link_in): the statements of
store/evidence.py an import runs, in SQLite's text, with the same functions' names, on a
sqlite3 connection; what the rows become and what is written is decided in
evidence/stored.py for both. A test holds the two paths to the same rows.

Anything else (a reply letter among the documents, another database, a file not created yet or
of another schema) returns None and the caller takes the SQLAlchemy path.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, NamedTuple

from ouhai_tracker.evidence.model import Body, Promise, Proposal
from ouhai_tracker.evidence.stored import (
    CHUNK,
    DepartmentRow,
    add_partner,
    department_ids,
    headings,
    plan_links,
    promise_of,
    title_of,
)
from ouhai_tracker.store.states import GONE, LINK_REJECTED, PROPOSED, REJECTED


class Document(NamedTuple):
    id: int
    letter_id: int | None


class Terms(NamedTuple):
    id: int
    text: str
    sentence: str
    digest: str | None
    text_pairs: str | None
    context_pairs: str | None


class Row(NamedTuple):
    id: int
    text: str
    sentence: str
    owner_id: int | None
    letter_id: int
    due: date | None
    letter_date: date | None
    replying_department_id: int | None
    digest: str | None
    text_pairs: str | None
    context_pairs: str | None
    numbers: str | None
    whole: bool | None
    context: str | None


class Item(NamedTuple):
    id: int
    letter_id: int
    item: str
    paragraph_start: int
    sentence_start: int
    start: int


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DateTime text


def _now() -> str:
    return _stamp(datetime.now().replace(microsecond=0))  # as models.now: seconds, local time


class Writer:
    """A SQLite file open for linking documents, one transaction each (as the other path's
    session_scope(write=True, durable=False)); ``close`` folds the write-ahead log back in."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        from ouhai_tracker.errors import DatabaseError
        from ouhai_tracker.i18n import _

        connection = self.connection
        try:
            if not connection.in_transaction:
                connection.execute("BEGIN IMMEDIATE")
            yield connection
            connection.execute("COMMIT")
        except sqlite3.Error as err:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise DatabaseError(_("database error: {reason}").format(reason=err)) from None
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    def close(self) -> None:
        from ouhai_tracker.store.limits import CHECKPOINT_WAIT_MS

        connection = self.connection
        try:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            # As every command that writes does: fold the WAL back in, so the .db file stands alone.
            connection.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error:
            pass  # others are busy: the commits are safe in the WAL, the next writer folds them in
        finally:
            connection.close()


def open_writer(db: str | None) -> Writer | None:
    """A Writer for the SQLite file ``db`` names, at this tracker's schema; None otherwise."""
    from ouhai_tracker.fastread import connect

    connection = connect(db, write=True)  # checks the schema in a write transaction
    if connection is None:
        return None
    try:
        # A later document can be imported again: its commit need not wait for the disk (set
        # between transactions, as SQLite asks).
        connection.execute("COMMIT")
        connection.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error:
        connection.close()
        return None
    return Writer(connection)


# ---- the statements of store/evidence.py an import runs ------------------------------------------

def _departments(connection: sqlite3.Connection, cache: dict) -> dict:
    if "departments" not in cache:
        cache["departments"] = {row[0]: DepartmentRow(*row) for row in connection.execute(
            "SELECT id, name, place, level, functions FROM departments")}
    return cache


CANDIDATES = """SELECT c.id, c.text, c.sentence, t.digest, t.text_pairs, t.context_pairs
FROM commitments c LEFT OUTER JOIN evidence_terms t ON t.commitment_id = c.id
WHERE c.id IN (SELECT id FROM commitments WHERE owner_id IN ({marks})
UNION SELECT commitment_id FROM commitment_partners WHERE department_id IN ({marks})
UNION SELECT id FROM commitments WHERE letter_id IN (SELECT id FROM letters WHERE replying_department_id IN ({marks})))
AND c.status NOT IN ({gone}) AND (c.review_state IS NULL OR c.review_state != ?)"""


def candidate_terms(connection: sqlite3.Connection, places: Iterable[str], cache: dict | None = None) -> list[Terms]:
    ids = department_ids(_departments(connection, {} if cache is None else cache), places)
    rows: dict[int, Terms] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        sql = CANDIDATES.format(marks=_marks(chunk), gone=_marks(list(GONE)))
        for row in connection.execute(sql, [*chunk, *chunk, *chunk, *GONE, REJECTED]):
            rows[row[0]] = Terms(*row)
    return [rows[i] for i in sorted(rows)]


PROMISES = """SELECT c.id, c.text, c.sentence, c.owner_id, c.letter_id, c.due, l.letter_date, l.replying_department_id,
t.digest, t.text_pairs, t.context_pairs, t.numbers, t.whole, t.context
FROM commitments c JOIN letters l ON c.letter_id = l.id LEFT OUTER JOIN evidence_terms t ON t.commitment_id = c.id
WHERE c.id IN ({marks}) ORDER BY c.id"""


def promises(connection: sqlite3.Connection, ids: Iterable[int], cache: dict | None = None,
             terms: dict | None = None) -> list[Promise]:
    cache = _departments(connection, {} if cache is None else cache)
    ids = sorted(set(ids))
    rows: list[Row] = []
    partners: dict[int, list[Body]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for row in connection.execute(PROMISES.format(marks=_marks(chunk)), chunk):
            values = list(row)
            values[5], values[6] = _day(values[5]), _day(values[6])
            values[12] = None if values[12] is None else bool(values[12])
            rows.append(Row(*values))
        for commitment_id, department_id in connection.execute(
                f"SELECT commitment_id, department_id FROM commitment_partners WHERE commitment_id IN ({_marks(chunk)}) "
                "ORDER BY id", chunk):
            add_partner(partners, cache, commitment_id, department_id)
    if terms is not None:
        terms.update((row.id, row) for row in rows if row.digest is not None)
    return [promise_of(row, cache, partners) for row in rows]


def with_headings(connection: sqlite3.Connection, promises: list[Promise]) -> list[Promise]:
    from dataclasses import replace

    ids = [p.id for p in promises]
    rows: list[Item] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows += [Item(*row) for row in connection.execute(
            "SELECT id, letter_id, item, paragraph_start, sentence_start, start_offset FROM commitments "
            f"WHERE id IN ({_marks(chunk)}) AND item IS NOT NULL", chunk)]
    letter_ids = sorted({row.letter_id for row in rows})
    texts: dict[int, str] = {}
    for start in range(0, len(letter_ids), CHUNK):
        chunk = letter_ids[start:start + CHUNK]
        texts.update(connection.execute(f"SELECT id, text FROM letters WHERE id IN ({_marks(chunk)})", chunk))
    found = headings(rows, texts)
    return [replace(p, heading=found[p.id]) if found.get(p.id) else p for p in promises]


def save_terms(connection: sqlite3.Connection, rows: list[dict]) -> None:
    if not rows:
        return
    ids = [row["commitment_id"] for row in rows]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        connection.execute(f"DELETE FROM evidence_terms WHERE commitment_id IN ({_marks(chunk)})", chunk)
    connection.executemany(
        "INSERT INTO evidence_terms (commitment_id, digest, text_pairs, context_pairs, numbers, whole, context) "
        "VALUES (:commitment_id, :digest, :text_pairs, :context_pairs, :numbers, :whole, :context)", rows)


def save_document(connection: sqlite3.Connection, *, file: str, path: str, text: str, digest: str,
                  doc_date: date | None, author: str | None, letter_id: int | None,
                  problem: str | None) -> tuple[Document, str]:
    found = None
    if digest:
        found = connection.execute("SELECT id, letter_id FROM evidence_documents WHERE content_hash = ? "
                                   "ORDER BY id LIMIT 1", (digest,)).fetchone()
    if found is None:
        found = connection.execute("SELECT id, letter_id FROM evidence_documents WHERE file = ? "
                                   "ORDER BY id DESC LIMIT 1", (file,)).fetchone()
        status = "updated" if found is not None else "added"
    else:
        status = "unchanged"
    values: dict[str, Any] = {
        "file": file, "path": path, "title": title_of(text), "doc_date": doc_date.isoformat() if doc_date else None,
        "author": author, "problem": problem,
        "letter_id": letter_id if letter_id is not None else (found[1] if found is not None else None)}
    if status != "unchanged":
        values |= {"text": text, "content_hash": digest, "imported_at": _now()}
    if found is None:
        cursor = connection.execute(f"INSERT INTO evidence_documents ({', '.join(values)}) "
                                    f"VALUES ({', '.join(':' + k for k in values)})", values)
        document_id = cursor.lastrowid
        assert document_id is not None
    else:
        document_id = found[0]
        connection.execute(f"UPDATE evidence_documents SET {', '.join(f'{k} = :{k}' for k in values)} "
                           "WHERE id = :document_id", {**values, "document_id": document_id})
    if status == "updated":  # offsets into the old text no longer hold: proposals made from it go
        connection.execute("DELETE FROM evidence_links WHERE document_id = ? AND state = ?", (document_id, PROPOSED))
    return Document(document_id, values["letter_id"]), status


def rejected(connection: sqlite3.Connection, document: Document) -> frozenset[tuple[int, str]]:
    return frozenset(connection.execute("SELECT commitment_id, sentence FROM evidence_links "
                                        "WHERE document_id = ? AND state = ?", (document.id, LINK_REJECTED)))


LINK_COLUMNS = ("commitment_id", "document_id", "start_offset", "end_offset", "sentence", "sentence_hash", "outcome",
                "confidence", "reason", "state", "later_commitment_id", "created_at")
CHANGED_COLUMNS = ("start_offset", "end_offset", "sentence", "outcome", "confidence", "reason", "later_commitment_id")


def save_links(connection: sqlite3.Connection, document: Document, proposals: list[Proposal]) -> int:
    existing = {(commitment_id, digest): (link_id, state) for link_id, commitment_id, digest, state in connection.execute(
        "SELECT id, commitment_id, sentence_hash, state FROM evidence_links WHERE document_id = ?", (document.id,))}
    later = [] if document.letter_id is None else list(connection.execute(
        "SELECT id, start_offset, end_offset FROM commitments WHERE letter_id = ?", (document.letter_id,)))
    new, changed, gone = plan_links(document.id, existing, later, proposals, _now())
    if new:
        connection.executemany(f"INSERT INTO evidence_links ({', '.join(LINK_COLUMNS)}) "
                               f"VALUES ({', '.join(':' + k for k in LINK_COLUMNS)})", new)
    if changed:
        connection.executemany(f"UPDATE evidence_links SET {', '.join(f'{k} = :{k}' for k in CHANGED_COLUMNS)} "
                               "WHERE id = :link_id", changed)
    for start in range(0, len(gone), CHUNK):
        chunk = gone[start:start + CHUNK]
        connection.execute(f"DELETE FROM evidence_links WHERE id IN ({_marks(chunk)})", chunk)
    return connection.execute("SELECT COUNT(*) FROM evidence_links WHERE document_id = ? AND state != ?",
                              (document.id, LINK_REJECTED)).fetchone()[0]
