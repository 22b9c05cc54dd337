"""Following up in the store, read: the letter a person names, members' ratings, settings, and
what people recorded (notes, evidence). Changes to them are decided in change_plan.py and
written by change_write.py.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ouhai_tracker.errors import BadInput, NotFound
from ouhai_tracker.i18n import _
from ouhai_tracker.rows import iso
from ouhai_tracker.store import queries
from ouhai_tracker.store.models import (
    UNREVIEWED,
    Commitment,
    Event,
    Letter,
    LetterFeedback,
    Setting,
)


def review_state(c: Commitment) -> str:
    return c.review_state or UNREVIEWED


def schedule_state(c: Commitment, as_of: date) -> str:
    """on-time / overdue / kept-on-time / kept-late / kept / no-date / closed, judged on ``as_of``."""
    from ouhai_tracker.followup.schedule import schedule_state as judge

    return judge(status=c.status, review_state=c.review_state, outcome=c.outcome, outcome_on=iso(c.outcome_on),
                 due=iso(c.due), as_of=as_of.isoformat())


# ---- members' feedback ----------------------------------------------------------------------

def find_letter(session: Session, doc: str) -> Letter:
    """A letter by id, exact file name, or a part of the file name that only one letter has."""
    doc = doc.strip()
    if doc.isdigit() and queries.is_id(session, int(doc)):
        letter = session.get(Letter, int(doc))
        if letter is not None:
            return letter
    named = session.scalars(select(Letter).where(Letter.file == doc).order_by(Letter.id)).all()
    if len(named) > 1:  # two letters may share a file name (two sessions' 答复.txt)
        raise BadInput(_("{doc!r} names several letters ({ids}); give its id (see `tracker docs --json`)").format(
            doc=doc, ids=", ".join(f"#{m.id}" for m in named[:5])))
    if named:
        return named[0]
    matches = session.scalars(select(Letter).where(Letter.file.contains(doc, autoescape=True))).all()
    if not matches:
        raise NotFound(_("no letter matches {doc!r} (see `tracker docs`)").format(doc=doc))
    if len(matches) > 1:
        raise BadInput(_("{doc!r} matches several letters ({files}); give the full file name").format(
            doc=doc, files="、".join(m.file for m in matches[:5])))
    return matches[0]


def latest_feedback(session: Session) -> dict[int, dict]:
    """Each letter's latest rating, with how many ratings it has had: {letter_id: {...}}."""
    rows = session.scalars(select(LetterFeedback).order_by(LetterFeedback.letter_id, LetterFeedback.id)).all()
    result: dict[int, dict] = {}
    for row in rows:
        count = result.get(row.letter_id, {}).get("ratings", 0) + 1
        result[row.letter_id] = {"rating": row.rating, "note": row.note,
                                 "at": row.at.isoformat(sep=" ") if row.at else None,
                                 "on": row.on_date.isoformat() if row.on_date else None, "ratings": count}
    return result


# ---- settings -------------------------------------------------------------------------------

def get_settings(session: Session) -> dict[str, str]:
    return {s.key: s.value for s in session.scalars(select(Setting).order_by(Setting.key))}


# ---- what people recorded, for the letter view and the department's sheet --------------------

def follow_ups(session: Session) -> dict[int, dict]:
    """{commitment id: {"notes": [...], "evidence": [...]}}: the notes people wrote (done --note,
    rate --note, edit --note …) and the evidence of each rating (rate --evidence), oldest first,
    leaving out what an undo took back. A note written once for two events (done records the
    outcome and the status) is listed once. Few events carry either, so they are read all at once."""
    from sqlalchemy import or_

    from ouhai_tracker.store.models import Change

    undone = select(Change.id).where(Change.undone_by_id.is_not(None))
    rows = session.execute(
        select(Event.commitment_id, Event.at, Event.on_date, Event.action, Event.field, Event.new_value,
               Event.note, Event.evidence)
        .where(or_(Event.note.is_not(None), Event.evidence.is_not(None)), Event.action.not_in(("imported", "undone")),
               or_(Event.change_id.is_(None), Event.change_id.not_in(undone)))
        .order_by(Event.commitment_id, Event.id)).all()
    found: dict[int, dict] = {}
    for commitment_id, at, on, action, field, value, note, evidence in rows:
        entry = found.setdefault(commitment_id, {"notes": [], "evidence": []})
        day = (on or at.date()).isoformat()
        if note and (day, note) not in {(n["on"], n["note"]) for n in entry["notes"]}:
            entry["notes"].append({"on": day, "action": action, "note": note})
        if evidence:
            entry["evidence"].append({"on": day, "outcome": value if field == "outcome" else None,
                                      "source": evidence, "note": note})
    return found
