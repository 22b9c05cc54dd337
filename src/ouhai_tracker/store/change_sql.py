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
PARTNERS, LETTER_DEPARTMENTS = TABLES["commitment_partners"], TABLES["letter_departments"]
_PARTNERED = PARTNERS.alias("partnered")
DEPARTMENT_COLUMNS = ("id", "name", "short", "level", "place", "functions")  # change_plan.Department's fields


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
    "restore_alias": insert(ALIASES).values({name: bindparam(name) for name in ("id", "department_id", "alias",
                                                                                "source")}),
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
    # merging departments (`depts merge`) and taking a merge back
    "select_department": select(*(DEPARTMENTS.c[name] for name in DEPARTMENT_COLUMNS)).where(
        DEPARTMENTS.c.id == bindparam("id")),
    "select_department_named": select(DEPARTMENTS.c.id).where(DEPARTMENTS.c.name == bindparam("name")),
    "select_owned": (select(COMMITMENTS.c.id).where(COMMITMENTS.c.owner_id == bindparam("department_id"))
                     .order_by(COMMITMENTS.c.id)),
    # change_plan.Partner's fields, in order
    "select_partners_of": (select(PARTNERS.c.id, PARTNERS.c.commitment_id, PARTNERS.c.department_id, PARTNERS.c.role,
                                  PARTNERS.c.cue, COMMITMENTS.c.owner_id)
                           .join(COMMITMENTS, PARTNERS.c.commitment_id == COMMITMENTS.c.id)
                           .where(PARTNERS.c.commitment_id.in_(select(_PARTNERED.c.commitment_id).where(
                               _PARTNERED.c.department_id == bindparam("department_id"))))
                           .order_by(PARTNERS.c.id)),
    "select_letters_of": (select(LETTER_DEPARTMENTS.c.letter_id)
                          .where(LETTER_DEPARTMENTS.c.department_id == bindparam("department_id"))
                          .order_by(LETTER_DEPARTMENTS.c.letter_id)),
    "select_replying": (select(LETTERS.c.id).where(LETTERS.c.replying_department_id == bindparam("department_id"))
                        .order_by(LETTERS.c.id)),
    "select_aliases_of": (select(ALIASES.c.id, ALIASES.c.alias, ALIASES.c.source)
                          .where(ALIASES.c.department_id == bindparam("department_id")).order_by(ALIASES.c.id)),
    "select_owner": select(COMMITMENTS.c.owner_id).where(COMMITMENTS.c.id == bindparam("id")),
    "select_partner_department": select(PARTNERS.c.department_id).where(PARTNERS.c.id == bindparam("id")),
    "select_replying_unit": select(LETTERS.c.replying_department_id).where(LETTERS.c.id == bindparam("id")),
    "insert_department": insert(DEPARTMENTS).values({name: bindparam(name) for name in DEPARTMENT_COLUMNS}),
    "insert_new_department": insert(DEPARTMENTS).values({name: bindparam(name) for name in DEPARTMENT_COLUMNS[1:]}),
    "delete_department": delete(DEPARTMENTS).where(DEPARTMENTS.c.id == bindparam("_id")),
    "insert_partner": insert(PARTNERS).values({name: bindparam(name) for name in ("commitment_id", "department_id",
                                                                                   "role", "cue")}),
    "restore_partner": insert(PARTNERS).values({name: bindparam(name) for name in ("id", "commitment_id",
                                                                                    "department_id", "role", "cue")}),
    "update_partner": _update(PARTNERS),
    "delete_partner": delete(PARTNERS).where(PARTNERS.c.id == bindparam("_id")),
    "insert_letter_department": insert(LETTER_DEPARTMENTS).values(letter_id=bindparam("letter_id"),
                                                                  department_id=bindparam("department_id")),
    "delete_letter_department": delete(LETTER_DEPARTMENTS).where(
        LETTER_DEPARTMENTS.c.letter_id == bindparam("letter_id"),
        LETTER_DEPARTMENTS.c.department_id == bindparam("department_id")),
    "delete_letter_departments": delete(LETTER_DEPARTMENTS).where(
        LETTER_DEPARTMENTS.c.department_id == bindparam("department_id")),
    "update_letter": _update(LETTERS),
})


def _merge_statements() -> dict:
    """Merging letters (`docs merge`, `docs split`): store/letter_merge.py reads and writes with these."""
    from ouhai_tracker.store.letter_merge import LETTER_ROW, LINK_COLUMNS, ROW_COLUMNS
    from ouhai_tracker.store.letter_merge import TABLES as LETTER_TABLES

    commitment_row = select(*(COMMITMENTS.c[name] for name in ROW_COLUMNS))
    out = {
        "select_letter_row": select(*(LETTERS.c[name] for name in LETTER_ROW)).where(LETTERS.c.id == bindparam("id")),
        "select_letters_commitments": commitment_row.where(or_(COMMITMENTS.c.letter_id == bindparam("keep"),
                                                               COMMITMENTS.c.letter_id == bindparam("other")))
                                                    .order_by(COMMITMENTS.c.id),
        "select_commitment_row": commitment_row.where(COMMITMENTS.c.id == bindparam("id")),
        "select_by_hand": (select(EVENTS.c.commitment_id, EVENTS.c.field)
                           .join(COMMITMENTS, EVENTS.c.commitment_id == COMMITMENTS.c.id)
                           .where(COMMITMENTS.c.letter_id == bindparam("letter_id"), EVENTS.c.change_id.is_not(None),
                                  EVENTS.c.field.in_(("due", "owner")))),
        "select_event_ids_of": (select(EVENTS.c.id).where(EVENTS.c.commitment_id == bindparam("commitment_id"))
                                .order_by(EVENTS.c.id)),
        "select_event_commitment": select(EVENTS.c.commitment_id).where(EVENTS.c.id == bindparam("id")),
        "update_event": _update(EVENTS),
        "select_links_of": (select(*(LINKS.c[name] for name in LINK_COLUMNS))
                            .where(LINKS.c.commitment_id == bindparam("commitment_id")).order_by(LINKS.c.id)),
        "select_later_links_of": (select(LINKS.c.id).where(LINKS.c.later_commitment_id == bindparam("commitment_id"))
                                  .order_by(LINKS.c.id)),
        "select_verdict_of": select(LINKS.c.state, LINKS.c.decided_outcome, LINKS.c.decided_at).where(
            LINKS.c.id == bindparam("id")),
        "select_link_commitment_id": select(LINKS.c.commitment_id).where(LINKS.c.id == bindparam("id")),
        "select_link_later_commitment_id": select(LINKS.c.later_commitment_id).where(LINKS.c.id == bindparam("id")),
        "select_feedback_of": (select(FEEDBACK.c.id).where(FEEDBACK.c.letter_id == bindparam("letter_id"))
                               .order_by(FEEDBACK.c.id)),
        "update_feedback": _update(FEEDBACK),
    }
    for name, column in LETTER_TABLES.items():
        table = TABLES[name]
        out[f"select_{name}_of"] = (select(table.c[column]).where(table.c.letter_id == bindparam("letter_id"))
                                    .order_by(table.c[column]))
        out[f"delete_{name}_of"] = delete(table).where(table.c.letter_id == bindparam("letter_id"))
        out[f"insert_{name}_row"] = insert(table).values(letter_id=bindparam("letter_id"),
                                                         **{column: bindparam(column)})
    return out


STATEMENTS.update(_merge_statements())


class Connected:
    """change_write.Database on a SQLAlchemy connection, in its transaction: a person's change's
    statements, or those given (store/link_sql.py's)."""

    def __init__(self, connection: Connection, statements: dict | None = None) -> None:
        self.connection, self.statements = connection, STATEMENTS if statements is None else statements
        self.max_id = MAX_POSTGRESQL_ID if connection.dialect.name == "postgresql" else MAX_ID

    def rows(self, name: str, params: dict[str, Any]):
        return self.connection.execute(self.statements[name], params).all()

    def run(self, name: str, params: dict[str, Any]) -> int | None:
        result = self.connection.execute(self.statements[name], params)
        return result.inserted_primary_key[0] if result.is_insert and result.inserted_primary_key else None

    def run_many(self, name: str, rows: list[dict[str, Any]]) -> None:
        self.connection.execute(self.statements[name], rows)


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
