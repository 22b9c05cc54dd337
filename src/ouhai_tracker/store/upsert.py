"""Store one letter's facts in the caller's transaction: the letter lands whole or not at all.

A letter is identified by its proposal: the number and session (第112号, 区政协七届三次会议),
or, without a number, the proposers; the replying unit tells two units' replies to one
proposal apart. Its file name is a hint: a file is taken for the letter stored under the same
name unless the two disagree on any of these, and a letter that comes back under another name
is found by its number and session, else by its replying unit, date and proposal title
(``match_letter``). The same text is 'unchanged' and nothing is touched. New text (a corrected
letter) is 'updated': commitments are matched to the stored ones (same text; else the same
sentence; else the most similar text nearby), so ids, statuses and history survive; what a
person set by hand (owner, due, department aliases and merges) is kept; promises the new text
no longer holds are marked withdrawn, never deleted, and come back if a later version holds
them again.

This module is the entry point: it finds the stored version (``match_letter``), then
store/write.py reads what the plan needs, store/plan.py decides every row and store/write.py
writes them.
"""
from __future__ import annotations


from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from ouhai_tracker.errors import TrackerError
from ouhai_tracker.extract import model
from ouhai_tracker.store import write
from ouhai_tracker.store.models import GONE
from ouhai_tracker.store.plan import UNCHANGED, Match, StoreOutcome, plan_letter

BY_FILE, BY_NUMBER, BY_TITLE, BY_TEXT = ("file name", "proposal number and session",
                                         "replying unit, date and title", "same text")
LETTERS, COMMITMENTS = write.LETTERS, write.COMMITMENTS
# The stored letters a file may be a version of: its name, its proposal, its unit, date and title.
_SAME_LETTER = select(LETTERS.c.id, LETTERS.c.file, LETTERS.c.number, LETTERS.c.session, LETTERS.c.replying_unit,
                      LETTERS.c.proposers, LETTERS.c.letter_date, LETTERS.c.title).where(or_(
    LETTERS.c.file == bindparam("file"),
    and_(LETTERS.c.number == bindparam("number"), LETTERS.c.session == bindparam("session")),
    and_(LETTERS.c.replying_unit == bindparam("unit"), LETTERS.c.letter_date == bindparam("date"),
         LETTERS.c.title == bindparam("title")))).order_by(LETTERS.c.id)


def _summary():
    """The stored letters with their content hash and what they hold; the first is taken."""

    def count(table, *more):
        return select(func.count()).select_from(table).where(table.c.letter_id == LETTERS.c.id, *more).scalar_subquery()

    return select(LETTERS.c.id, LETTERS.c.file, LETTERS.c.content_hash,
                  count(COMMITMENTS, COMMITMENTS.c.status.not_in(GONE)).label("live"),
                  count(write.LETTER_POLICIES).label("policies"),
                  count(write.LETTER_DEPARTMENTS).label("departments")).order_by(LETTERS.c.id).limit(1)


_STORED_AS = _summary().where(LETTERS.c.file == bindparam("file"), LETTERS.c.content_hash == bindparam("hash"))
_STORED = _summary().where(LETTERS.c.id == bindparam("id"))


def unchanged(session: Session, file: str, text: str) -> StoreOutcome | None:
    """The stored letter's outcome when ``file`` was imported with this very text, else None."""
    found = session.connection().execute(_STORED_AS, {"file": file, "hash": model.content_hash(text)}).first()
    return _unchanged(found, Match(found.id, found.file, BY_FILE)) if found else None


def _unchanged(summary, match: Match | None) -> StoreOutcome:
    return StoreOutcome(UNCHANGED, summary.id, summary.live, summary.policies, summary.departments,
                        unchanged=summary.live, match=match)


def describe(row) -> str:
    """A stored letter in a few words: #3 答复.txt (第112号, 区政协七届三次会议)."""
    details = [f"第{row.number}号" if row.number else None, row.session,
               "、".join(row.proposers or []) or None if not row.number else None]
    details = [d for d in details if d]
    return f"#{row.id} {row.file}" + (f" ({', '.join(details)})" if details else "")


def _differ(a, b) -> bool:
    return bool(a) and bool(b) and a != b


def _conflicts(row, meta: model.LetterMeta) -> bool:
    """Do the stored letter and these facts name different proposals, or different replying units?"""
    if _differ(row.number, meta.number) or _differ(row.session, meta.session):
        return True
    if _differ(row.replying_unit, meta.replying_unit):
        return True  # two units' replies to one proposal are two letters
    # Without a number on both sides, the proposers tell two proposals apart.
    return not (row.number and meta.number) and _differ(sorted(row.proposers or []), sorted(meta.proposers))


def match_letter(session: Session, file: str, meta: model.LetterMeta) -> tuple[Match | None, list]:
    """The stored letter a file with these facts is a version of, and the stored letters that
    share its file name but are other letters.

    In order: the same proposal number and session; the same file name; the same replying
    unit, date and proposal title. None of them is taken when it names another proposal or
    another replying unit (``_conflicts``): 第112号 and 第113号 stay two letters whatever the
    files are called.
    """
    # A missing number, session, unit, date or title is bound as NULL, which equals nothing.
    rows = session.connection().execute(_SAME_LETTER, {
        "file": file, "number": meta.number or None, "session": meta.session or None,
        "unit": meta.replying_unit or None, "date": meta.date, "title": meta.title or None}).all()
    rules = (
        (BY_NUMBER, lambda r: bool(meta.number and meta.session) and (r.number, r.session) == (meta.number, meta.session)),
        (BY_FILE, lambda r: r.file == file),
        (BY_TITLE, lambda r: bool(meta.replying_unit and meta.date and meta.title) and (
            r.replying_unit, r.letter_date, r.title) == (meta.replying_unit, meta.date, meta.title)),
    )
    for by, rule in rules:
        row = next((r for r in rows if rule(r) and not _conflicts(r, meta)), None)
        if row is not None:
            return Match(row.id, row.file, by), []
    return None, [r for r in rows if r.file == file]


class AnotherVersion(TrackerError):
    """The letter was stored from another file earlier in the same import."""


def store_letter(session: Session, facts: model.LetterFacts, file: str, path: str,
                 claimed: dict[int, str] | None = None) -> StoreOutcome:
    """Store ``facts`` as ``file``, in the session's transaction.

    ``claimed``: the letters stored earlier in this import, by id, with the file each came
    from. Another version of one of them is refused (AnotherVersion) rather than written over it.
    """
    connection = session.connection()  # Core statements on the session's connection and transaction
    digest = model.content_hash(facts.text)
    match, same_name = match_letter(session, file, facts.meta)
    if match is not None:
        stored = connection.execute(_STORED, {"id": match.letter_id}).one()
        if stored.content_hash == digest:
            return _unchanged(stored, match)
        if match.letter_id in (claimed or {}):
            raise AnotherVersion(f"another version of the letter just imported from {claimed[match.letter_id]} "
                                 f"(matched by {match.by}); import one version of a letter at a time")
    state = write.read(connection, facts, match.letter_id if match else None)
    outcome = write.apply(connection, plan_letter(facts, file, path, digest, state))
    outcome.match = match
    if match is None and same_name:
        outcome.same_name = "; ".join(describe(r) for r in same_name)
    return outcome
