"""What the letters' list (`docs`), a letter's page and the report read besides the commitments,
declared once from the models: the letters with their counts, the members' ratings, the
settings, every letter's contacts (what is masked) and what people noted. The SQLAlchemy path
runs them on a connection (``reading``); scripts/generate_fast_sql.py compiles them for SQLite's
stdlib path (fast_sql.LETTERS). rows.py makes dicts of either path's rows.
"""
from __future__ import annotations

from sqlalchemy import Connection, case, func, or_, select

from ouhai_tracker.store.literal import constant
from ouhai_tracker.store.models import (
    GONE,
    OPEN,
    Change,
    Commitment,
    Department,
    Event,
    Letter,
    LetterFeedback,
    Setting,
)

_COUNTS = (select(Commitment.letter_id.label("letter_id"), func.count().label("commitments"),
                  func.sum(case((Commitment.status == constant(OPEN), constant(1)), else_=constant(0))).label("open"))
           .where(Commitment.status.not_in([constant(status) for status in GONE]))
           .group_by(Commitment.letter_id).subquery())
_UNDONE = select(Change.id).where(Change.undone_by_id.is_not(None))

STATEMENTS = {
    # every letter without its text, with its replying department's name and place and its count
    # of live and open commitments, by date then file (rows.letter_dict)
    "letters": (select(*(c for c in Letter.__table__.c if c.name != "text"),
                       Department.name.label("department_name"), Department.place.label("department_place"),
                       func.coalesce(_COUNTS.c.commitments, constant(0)).label("commitments"),
                       func.coalesce(_COUNTS.c.open, constant(0)).label("open"))
                .outerjoin(Department, Department.id == Letter.replying_department_id)
                .outerjoin(_COUNTS, _COUNTS.c.letter_id == Letter.id)
                .order_by(Letter.letter_date.is_(None), Letter.letter_date, Letter.file)),
    # the members' ratings, each letter's in order (rows.latest_feedback)
    "feedback": select(LetterFeedback.letter_id, LetterFeedback.rating, LetterFeedback.note, LetterFeedback.at,
                       LetterFeedback.on_date).order_by(LetterFeedback.letter_id, LetterFeedback.id),
    "settings": select(Setting.key, Setting.value).order_by(Setting.key),
    "contacts": select(Letter.contact_name, Letter.contact_phone),
    # the notes and evidence people gave, leaving out what an undo took back (rows.follow_ups)
    "follow_ups": (select(Event.commitment_id, Event.at, Event.on_date, Event.action, Event.field, Event.new_value,
                          Event.note, Event.evidence)
                   .where(or_(Event.note.is_not(None), Event.evidence.is_not(None)),
                          Event.action.not_in([constant("imported"), constant("undone")]),
                          or_(Event.change_id.is_(None), Event.change_id.not_in(_UNDONE)))
                   .order_by(Event.commitment_id, Event.id)),
}


def reading(connection: Connection) -> dict[str, list]:
    """The rows of every statement here, by name (each row read by its columns' names)."""
    return {name: list(connection.execute(statement).mappings()) for name, statement in STATEMENTS.items()}
