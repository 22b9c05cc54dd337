"""Following up in the store, read: the letter a person names and the settings (the members'
ratings and what people recorded are read with store/letter_sql.py's statements). Changes to
them are decided in change_plan.py and written by change_write.py.
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
    Letter,
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


# ---- settings -------------------------------------------------------------------------------

def get_settings(session: Session) -> dict[str, str]:
    from ouhai_tracker.store.letter_sql import STATEMENTS

    return {key: value for key, value in session.execute(STATEMENTS["settings"])}


