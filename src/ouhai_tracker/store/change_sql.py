"""The statements of a person's change (change_write.py), declared once from the models, and
the database that runs them through SQLAlchemy. scripts/generate_fast_sql.py compiles the same
statements for SQLite's stdlib path (fast_sql.py)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, literal_column, or_, select, update

from ouhai_tracker.store import change_write
from ouhai_tracker.store.change_plan import COLUMNS, SET_COLUMNS, ChangePlan, State
from ouhai_tracker.store.limits import MAX_ID, MAX_POSTGRESQL_ID
from ouhai_tracker.store.models import Base
from ouhai_tracker.store.who import login

TABLES = Base.metadata.tables
COMMITMENTS, LETTERS, EVENTS, CHANGES = TABLES["commitments"], TABLES["letters"], TABLES["events"], TABLES["changes"]
OWNERS, UNITS = TABLES["departments"].alias("owners"), TABLES["departments"].alias("units")
DEPARTMENTS, ALIASES, SETTINGS = TABLES["departments"], TABLES["department_aliases"], TABLES["settings"]
FEEDBACK, LINKS, DOCUMENTS = TABLES["letter_feedback"], TABLES["evidence_links"], TABLES["evidence_documents"]


def _literal(value: str):
    # A literal, not a parameter: the stdlib path's statements hold it as it is.
    return literal_column(f"'{value}'")


# The status the last `delete` of the commitment found (the latest deleted event that names one).
_DELETES = EVENTS.alias("deletes")
_LAST_DELETE = (select(func.max(_DELETES.c.id)).where(and_(
    _DELETES.c.commitment_id == COMMITMENTS.c.id, _DELETES.c.action == _literal("deleted"),
    _DELETES.c.field == _literal("status"), _DELETES.c.old_value.is_not(None), _DELETES.c.old_value != _literal(""),
)).correlate(COMMITMENTS).scalar_subquery())
_DELETED_FROM = select(EVENTS.c.old_value).where(EVENTS.c.id == _LAST_DELETE).scalar_subquery()

EVENT_COLUMNS = ("commitment_id", "at", "action", "field", "old_value", "new_value", "note", "on_date", "evidence",
                 "change_id")

STATEMENTS = {
    # change_plan.State's fields, in order.
    "select_state": (select(*(COMMITMENTS.c[name] for name in (
                                "id", "status", "due_kind", "due", "due_inferred", "due_rule", "due_period", "owner_id")),
                            OWNERS.c.name.label("owner_name"),
                            *(COMMITMENTS.c[name] for name in (
                                "owner_rule", "owner_confidence", "outcome", "outcome_on", "review_state", "text")),
                            LETTERS.c.letter_date, UNITS.c.place.label("letter_place"),
                            _DELETED_FROM.label("deleted_from"))
                     .join_from(COMMITMENTS, LETTERS, COMMITMENTS.c.letter_id == LETTERS.c.id)
                     .join(OWNERS, COMMITMENTS.c.owner_id == OWNERS.c.id, isouter=True)
                     .join(UNITS, LETTERS.c.replying_department_id == UNITS.c.id, isouter=True)
                     .where(COMMITMENTS.c.id == bindparam("id"))),
    "insert_change": insert(CHANGES).values({name: bindparam(name) for name in ("at", "command", "target", "by", "data")}),
    "insert_event": insert(EVENTS).values({name: bindparam(name) for name in EVENT_COLUMNS}),
    "update_commitment": (update(COMMITMENTS).where(COMMITMENTS.c.id == bindparam("_id"))
                          .values({**{name: bindparam(f"set_{name}") for name in SET_COLUMNS},
                                   "updated_at": bindparam("updated_at")})),
}
# What SQLite's stdlib path runs (compiled ahead into fast_sql.py): a person's change to commitments.
STDLIB = tuple(STATEMENTS)


def _update(table, key: str = "id"):
    # The columns set are the parameters given beside "_id" (SQLAlchemy sets what it is given).
    return update(table).where(table.c[key] == bindparam("_id"))


STATEMENTS.update({
    # settings (`config set`, `config unset`)
    "select_setting": select(SETTINGS.c.value).where(SETTINGS.c.key == bindparam("key")),
    "insert_setting": insert(SETTINGS).values(key=bindparam("key"), value=bindparam("value")),
    "update_setting": _update(SETTINGS, "key"),
    "delete_setting": delete(SETTINGS).where(SETTINGS.c.key == bindparam("key")),
    # members' ratings of letters (`feedback`)
    "select_last_rating": (select(FEEDBACK.c.rating).where(FEEDBACK.c.letter_id == bindparam("letter_id"))
                           .order_by(FEEDBACK.c.id.desc()).limit(1)),
    "insert_feedback": insert(FEEDBACK).values({name: bindparam(name) for name in ("letter_id", "rating", "note",
                                                                                  "on_date", "at")}),
    # department aliases (`depts alias`)
    "select_alias": (select(ALIASES.c.id, ALIASES.c.department_id, DEPARTMENTS.c.name, ALIASES.c.source)
                     .join(DEPARTMENTS, ALIASES.c.department_id == DEPARTMENTS.c.id)
                     .where(ALIASES.c.alias == bindparam("alias"))),
    "select_named_as": (select(DEPARTMENTS.c.name).where(
                            or_(DEPARTMENTS.c.name == bindparam("alias"), DEPARTMENTS.c.short == bindparam("alias")),
                            DEPARTMENTS.c.id != bindparam("department_id")).order_by(DEPARTMENTS.c.id).limit(1)),
    "insert_alias": insert(ALIASES).values({name: bindparam(name) for name in ("department_id", "alias", "source")}),
    "update_alias": _update(ALIASES),
    # verdicts on proposed evidence links (`evidence accept/reject/change`): change_plan.Link's fields, in order
    "select_link": (select(LINKS.c.id, LINKS.c.commitment_id, LINKS.c.state, LINKS.c.outcome, LINKS.c.decided_outcome,
                           LINKS.c.decided_at, DOCUMENTS.c.file, DOCUMENTS.c.doc_date, LINKS.c.start_offset,
                           LINKS.c.end_offset, LINKS.c.sentence)
                    .join(DOCUMENTS, LINKS.c.document_id == DOCUMENTS.c.id).where(LINKS.c.id == bindparam("id"))),
    "update_link": _update(LINKS),
    # undoing (`undo`): what stands now, and putting back what a change made
    "select_columns": select(*(COMMITMENTS.c[name] for name in COLUMNS)).where(COMMITMENTS.c.id == bindparam("id")),
    "select_department_name": select(DEPARTMENTS.c.name).where(DEPARTMENTS.c.id == bindparam("id")),
    "select_alias_by_id": select(ALIASES.c.department_id, ALIASES.c.source).where(ALIASES.c.id == bindparam("id")),
    "select_verdict": select(LINKS.c.state, LINKS.c.decided_outcome).where(LINKS.c.id == bindparam("id")),
    "select_rating": select(FEEDBACK.c.id).where(FEEDBACK.c.id == bindparam("id")),
    "update_commitment_columns": _update(COMMITMENTS),
    "delete_alias": delete(ALIASES).where(ALIASES.c.id == bindparam("_id")),
    "delete_feedback": delete(FEEDBACK).where(FEEDBACK.c.id == bindparam("_id")),
    "mark_undone": _update(CHANGES),
})


class Connected:
    """change_write.Database on a SQLAlchemy connection, in its transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.max_id = MAX_POSTGRESQL_ID if connection.dialect.name == "postgresql" else MAX_ID

    def rows(self, name: str, params: dict[str, Any]):
        return self.connection.execute(STATEMENTS[name], params).all()

    def run(self, name: str, params: dict[str, Any]) -> int | None:
        result = self.connection.execute(STATEMENTS[name], params)
        return result.inserted_primary_key[0] if result.is_insert and result.inserted_primary_key else None


def write(session, decide: Callable[[Connected], ChangePlan]) -> ChangePlan:
    """A person's change decided by ``decide`` from what it reads through the database it is
    given, then written, in the session's transaction; the plan (its answer)."""
    db = Connected(session.connection())
    plan = decide(db)
    change_write.write(db, plan, login())
    return plan


def change(session, ids: list[int], decide: Callable[[list[State]], ChangePlan]) -> list[dict]:
    """Read the commitments ``ids``, ``decide`` the change and write it, in the session's
    transaction; its results (as fastwrite.change on SQLite's stdlib path)."""
    db = Connected(session.connection())
    plan = decide(change_write.read_states(db, ids))
    change_write.write(db, plan, login())
    return plan.results()
