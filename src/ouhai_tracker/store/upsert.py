"""Store one letter's facts in the caller's transaction: the letter lands whole or not at all.

A letter is one unit's reply, in one role (lead or co-organiser), to one proposal: the number
and session (第112号, 区政协七届三次会议), or, without a number, the proposers; with its own date
and title (extract/identity.py). Its file name is a hint: a stored letter is taken for the file's
letter (found by identity, number and session, file name, or date and title: ``match_letter``)
only when nothing differs and nothing is named on one side only; otherwise the file's letter is
a new one, with a warning naming the stored one when it may be the same. Of two versions of one
letter (the same proposal, unit and role, dated or titled otherwise) the newer is kept. The same
text is 'unchanged' and nothing is touched. New text (a corrected letter) is 'updated':
commitments are matched to the stored ones (same text; else the same sentence; else the most
similar text nearby), so ids, statuses and history survive; what a person set by hand (owner,
due, department aliases and merges) is kept; promises the new text no longer holds are marked
withdrawn, never deleted, and come back if a later version holds them again.

This module is the entry point: it finds the stored version (``match_letter``), then
store/write.py reads what the plan needs, store/plan.py decides every row and store/write.py
writes them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from ouhai_tracker.extract import model
from ouhai_tracker.extract.identity import Identity, compare
from ouhai_tracker.extract.version import extracted_with
from ouhai_tracker.store import write
from ouhai_tracker.store.models import GONE
from ouhai_tracker.store.plan import OLDER, UNCHANGED, Match, StoreOutcome, letter_identity, plan_letter

BY_KEY, BY_FILE, BY_NUMBER, BY_TITLE, BY_VERSION = (
    "same text", "file name", "proposal number and session",
    "replying unit, date and title", "a newer version of it")
BY_REREAD = "read again"
BY_MERGED = "a version a person merged into it"
LETTERS, COMMITMENTS = write.LETTERS, write.COMMITMENTS
# The stored letters a file may be a version of: its identity, its name, its proposal, its date and title.
_SAME_LETTER = select(LETTERS.c.id, LETTERS.c.file, LETTERS.c.path, LETTERS.c.number, LETTERS.c.session,
                      LETTERS.c.replying_unit, LETTERS.c.role, LETTERS.c.proposers, LETTERS.c.letter_date,
                      LETTERS.c.title, LETTERS.c.identity, LETTERS.c.file_modified, LETTERS.c.content_hash,
                      LETTERS.c.superseded_by_id).where(or_(
    LETTERS.c.identity == bindparam("identity"),
    LETTERS.c.file == bindparam("file"),
    and_(LETTERS.c.number == bindparam("number"), LETTERS.c.session == bindparam("session")),
    and_(LETTERS.c.letter_date == bindparam("date"), LETTERS.c.title == bindparam("title")))).order_by(LETTERS.c.id)


def _summary():
    """The stored letters with their content hash and what they hold; the first is taken."""

    def count(table, *more):
        return select(func.count()).select_from(table).where(table.c.letter_id == LETTERS.c.id, *more).scalar_subquery()

    return select(LETTERS.c.id, LETTERS.c.file, LETTERS.c.content_hash, LETTERS.c.extracted_with,
                  LETTERS.c.superseded_by_id,
                  count(COMMITMENTS, COMMITMENTS.c.status.not_in(GONE)).label("live"),
                  count(write.LETTER_POLICIES).label("policies"),
                  count(write.LETTER_DEPARTMENTS).label("departments")).order_by(LETTERS.c.id).limit(1)


_STORED_AS = _summary().where(LETTERS.c.file == bindparam("file"), LETTERS.c.content_hash == bindparam("hash"))
_STORED = _summary().where(LETTERS.c.id == bindparam("id"))


def unchanged(session: Session, file: str, text: str) -> StoreOutcome | None:
    """The stored letter's outcome when ``file`` was imported with this very text, else None."""
    found = session.connection().execute(_STORED_AS, {"file": file, "hash": model.content_hash(text)}).first()
    if found is not None and found.superseded_by_id is not None:
        return _merged(session.connection(), found.superseded_by_id)
    return _unchanged(found, Match(found.id, found.file, BY_FILE)) if found else None


def _merged(connection, letter_id: int) -> StoreOutcome:
    """A file holding a version a person merged into another letter (`tracker docs merge`): the older
    version of that letter, which stands for it (followed through later merges), not stored again."""
    for _ in range(100):
        further = connection.execute(select(LETTERS.c.superseded_by_id).where(LETTERS.c.id == letter_id)).scalar()
        if further is None:
            break
        letter_id = further
    stored = connection.execute(_STORED, {"id": letter_id}).one()
    outcome = _unchanged(stored, Match(stored.id, stored.file, BY_MERGED))
    outcome.status, outcome.newer = OLDER, stored.file
    return outcome


def _unchanged(summary, match: Match | None) -> StoreOutcome:
    return StoreOutcome(UNCHANGED, summary.id, summary.live, summary.policies, summary.departments,
                        unchanged=summary.live, match=match, extracted_with=summary.extracted_with)


def describe(row) -> str:
    """A stored letter in a few words: #3 答复.txt (第112号, 区政协七届三次会议)."""
    details = [f"第{row.number}号" if row.number else None, row.session,
               "、".join(row.proposers or []) or None if not row.number else None]
    details = [d for d in details if d]
    return f"#{row.id} {row.file}" + (f" ({', '.join(details)})" if details else "")


def _stored_identity(row) -> Identity:
    return Identity(row.number, row.session, row.replying_unit, row.role, tuple(row.proposers or ()),
                    row.letter_date, row.title)


@dataclass
class Verdict:
    """What the stored letters are to a file's letter."""

    match: Match | None = None  # the stored letter it is a version of
    row: Any = None  # that letter's row
    version: Any = None  # a stored letter of the same proposal, unit and role, dated or titled otherwise
    undecided: list = field(default_factory=list)  # (row, why): may be the same letter; nothing tells
    same_name: list = field(default_factory=list)  # other letters stored under its file name
    merged: int | None = None  # its text is a version a person merged into this letter


def match_letter(session: Session, file: str, facts: model.LetterFacts) -> Verdict:
    """The stored letter a file with these facts is a version of, and those it may be.

    In order: the same proposal number and session; the same file name; the same date and
    title; the same identity (a letter that names too little is known by its text). A stored letter is taken only when nothing differs (number, session,
    replying unit with or without its place, role, date, title; the proposers without a number)
    and nothing is named on one side only: what cannot be decided is a new letter, with a
    warning naming the other. The same proposal, unit and role with another date or title is
    another version (``Verdict.version``): which one is kept is the caller's choice.
    """
    found = letter_identity(facts.meta, facts.text)
    key_hash = model.content_hash(facts.text)
    key = found.key(key_hash)
    # A missing number, session, date or title is bound as NULL, which equals nothing.
    rows = session.connection().execute(_SAME_LETTER, {
        "identity": key, "file": file, "number": found.number, "session": found.session,
        "date": found.date, "title": found.title}).all()
    verdict = Verdict()
    merged = next((r for r in rows if r.superseded_by_id is not None and r.content_hash == key_hash), None)
    if merged is not None:  # this very text, merged into another letter by a person
        verdict.merged = merged.superseded_by_id
        return verdict
    rows = [r for r in rows if r.superseded_by_id is None]  # a merged version is no letter of its own
    rules = (
        (BY_NUMBER, lambda r: bool(found.number and found.session) and (r.number, r.session) == (found.number,
                                                                                                 found.session)),
        (BY_FILE, lambda r: r.file == file),
        (BY_TITLE, lambda r: bool(found.date and found.title) and (r.letter_date, r.title) == (found.date,
                                                                                                found.title)),
        (BY_KEY, lambda r: r.identity == key),  # a letter known by its text alone
    )
    for by, rule in rules:
        for row in rows:
            if not rule(row):
                continue
            stored = _stored_identity(row)
            differ, one_sided = compare(stored, found)
            if not differ and not one_sided:
                verdict.match, verdict.row = Match(row.id, row.file, by), row
                return verdict
            if stored.strong() and found.strong() and set(differ) <= {"date", "title"} and not one_sided:
                verdict.version = verdict.version or row
            elif not differ and row not in (r for r, _ in verdict.undecided):
                verdict.undecided.append((row, one_sided))
    verdict.same_name = [r for r in rows if r.file == file and r is not verdict.version
                         and all(r is not u for u, _ in verdict.undecided)]
    return verdict


def _newer(found: Identity, modified: datetime | None, path: str, row) -> bool:
    """Is the file's letter newer than the stored one: by the letter's own date, then the file's
    time, then (two files of one moment) its path, so that of two versions the same one wins always."""
    return ((found.date or date.min), modified or datetime.min, path) > (
        (row.letter_date or date.min), row.file_modified or datetime.min, row.path)


def _modified(path: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime)
    except (OSError, ValueError, OverflowError):
        return None


def store_letter(session: Session, facts: model.LetterFacts, file: str, path: str,
                 claimed: dict[int, str] | None = None, settings: model.Settings | None = None,
                 reread: int | None = None) -> StoreOutcome:
    """Store ``facts`` as ``file``, in the session's transaction; ``settings``: what they were read with.

    ``reread``: the id of the stored letter whose text ``facts`` were read from again (`tracker
    reread`): stored over it, as a corrected version is, whatever its identity now says.

    ``claimed``: the letters stored earlier in this import, by id, with the file each came from.
    Of two versions of one letter, the newer is stored (by the letter's date, then the file's
    time) and the older is reported (``OLDER``), whichever comes first, so every import of a
    folder holding both gives the same result.
    """
    connection = session.connection()  # Core statements on the session's connection and transaction
    digest = model.content_hash(facts.text)
    found = letter_identity(facts.meta, facts.text)
    modified = _modified(path)
    read_with = extracted_with(settings or model.Settings())
    if reread is not None:
        state = write.read(connection, facts, reread)
        stored_modified = connection.execute(select(LETTERS.c.file_modified).where(LETTERS.c.id == reread)).scalar()
        outcome = write.apply(connection, plan_letter(facts, file, path, digest, state, stored_modified, read_with))
        outcome.match = Match(reread, file, BY_REREAD)
        if not (outcome.added or outcome.updated or outcome.withdrawn):
            outcome.status = UNCHANGED
        return outcome
    verdict = match_letter(session, file, facts)
    if verdict.merged is not None:
        return _merged(connection, verdict.merged)
    match, row = verdict.match, verdict.row
    if match is None and verdict.version is not None:
        row = verdict.version
        if row.id in (claimed or {}) or not _newer(found, modified, path, row):
            match = Match(row.id, row.file, BY_VERSION)
    if match is not None:
        stored = connection.execute(_STORED, {"id": match.letter_id}).one()
        if stored.content_hash == digest:
            return _unchanged(stored, match)
        if row.path != path and not _newer(found, modified, path, row):
            outcome = _unchanged(stored, match)
            outcome.status, outcome.match = OLDER, Match(row.id, row.file, match.by)
            outcome.newer = row.file
            return outcome
    state = write.read(connection, facts, match.letter_id if match else None)
    outcome = write.apply(connection, plan_letter(facts, file, path, digest, state, modified, read_with))
    outcome.match = match
    if match is None:
        if verdict.undecided:
            outcome.undecided = "; ".join(f"{describe(r)} ({', '.join(why)} named by only one of them)"
                                          for r, why in verdict.undecided)
        if verdict.version is not None:
            outcome.undecided = "; ".join(filter(None, [outcome.undecided, (
                f"{describe(verdict.version)} answers the same proposal from the same unit but its "
                f"{'date' if verdict.version.letter_date != found.date else 'title'} differs")]))
        if verdict.same_name:
            outcome.same_name = "; ".join(describe(r) for r in verdict.same_name)
    return outcome
