"""The database side of storing a letter: what its plan needs, read in a few batched statements
(``read``), and the plan written with SQLAlchemy Core (``apply``).

Why Core: an import has one writer, and through the ORM a letter cost some 70 statements, a
corrected one over a hundred (a look-up per department, alias and policy, one statement per
row). Here either takes about fifteen, however many commitments it has: three IN (...) look-ups
(and six for a stored letter's commitments), one executemany per table written. Both run on
the caller's connection, in the caller's transaction, so a letter lands whole or not at all,
and nothing is kept between letters (another process may merge departments meanwhile).
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict, namedtuple
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    CursorResult,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from ouhai_tracker.extract import model
from ouhai_tracker.store import word_search
from ouhai_tracker.store.models import USER, Base
from ouhai_tracker.store.plan import (
    COMMITMENT_COLUMNS,
    Plan,
    Row,
    Stored,
    StoredCommitment,
    StoredDepartment,
    StoredLetter,
    StoredPartner,
    StoredPolicy,
    StoreOutcome,
    placed_forms,
)

TABLES = Base.metadata.tables
LETTERS, DEPARTMENTS, ALIASES = TABLES["letters"], TABLES["departments"], TABLES["department_aliases"]
POLICIES, COMMITMENTS, PARTNERS = TABLES["policies"], TABLES["commitments"], TABLES["commitment_partners"]
EVENTS, LETTER_POLICIES, LETTER_DEPARTMENTS = TABLES["events"], TABLES["letter_policies"], TABLES["letter_departments"]
COMMITMENT_POLICIES = TABLES["commitment_policies"]
SORTED_TABLES = Base.metadata.sorted_tables  # a table after those it refers to (sorted at each call otherwise)
IN_BATCH = 500  # values per IN (...): under every driver's parameter limit

# Built once: building a statement costs more than running it from SQLAlchemy's cache.
def _lookups(values) -> dict:
    """The look-ups of a letter's names and titles, each in the set of strings ``values``."""
    return {
        "departments": select(DEPARTMENTS.c.id, DEPARTMENTS.c.name, DEPARTMENTS.c.place,
                              DEPARTMENTS.c.functions).where(DEPARTMENTS.c.name.in_(values)),
        "aliases": (select(ALIASES.c.alias, ALIASES.c.source, DEPARTMENTS.c.id, DEPARTMENTS.c.name,
                           DEPARTMENTS.c.place, DEPARTMENTS.c.functions)
                    .join_from(ALIASES, DEPARTMENTS, ALIASES.c.department_id == DEPARTMENTS.c.id)
                    .where(ALIASES.c.alias.in_(values))),
        # A title's policies in its index's order, the one without a number first: a bare mention of
        # the title takes the first.
        "policies": (select(POLICIES.c.id, POLICIES.c.title, POLICIES.c.doc_number, POLICIES.c.issuer,
                            POLICIES.c.year).where(POLICIES.c.title.in_(values))
                     .order_by(POLICIES.c.doc_number.is_not(None), POLICIES.c.doc_number, POLICIES.c.id)),
    }


_IN_LIST = _lookups(bindparam("values", expanding=True))
_LETTER: BindParameter[int] = bindparam("letter")
_OF_LETTER = select(COMMITMENTS.c.id).where(COMMITMENTS.c.letter_id == _LETTER)
_COMMITMENTS = (select(COMMITMENTS.c.id, COMMITMENTS.c.status, *(COMMITMENTS.c[key] for key in COMMITMENT_COLUMNS),
                       DEPARTMENTS.c.name.label("owner_name"))
                .join_from(COMMITMENTS, DEPARTMENTS, COMMITMENTS.c.owner_id == DEPARTMENTS.c.id, isouter=True)
                .where(COMMITMENTS.c.letter_id == _LETTER).order_by(COMMITMENTS.c.id))
_PARTNERS = (select(PARTNERS.c.id, PARTNERS.c.commitment_id, PARTNERS.c.department_id, PARTNERS.c.role, PARTNERS.c.cue)
             .where(PARTNERS.c.commitment_id.in_(_OF_LETTER)).order_by(PARTNERS.c.id))
_COMMITMENT_POLICIES = select(COMMITMENT_POLICIES.c.commitment_id, COMMITMENT_POLICIES.c.policy_id).where(
    COMMITMENT_POLICIES.c.commitment_id.in_(_OF_LETTER))
_EDITED = select(EVENTS.c.commitment_id, EVENTS.c.field).distinct().where(
    EVENTS.c.action == "edited", EVENTS.c.commitment_id.in_(_OF_LETTER))
_LETTER_POLICIES = select(LETTER_POLICIES.c.policy_id).where(LETTER_POLICIES.c.letter_id == _LETTER)
_LETTER_DEPARTMENTS = select(LETTER_DEPARTMENTS.c.department_id).where(LETTER_DEPARTMENTS.c.letter_id == _LETTER)

WITH_IDS = {"letters", "departments", "policies", "commitments"}  # the tables whose new rows others refer to
_INSERT = {name: insert(table) for name, table in TABLES.items()}
_INSERT_RETURNING_IN_ORDER = {name: insert(TABLES[name]).returning(TABLES[name].c.id, sort_by_parameter_order=True)
                              for name in WITH_IDS}
# The SET clause is the rows' columns; "_id" picks the row.
_UPDATE = {name: update(table).where(table.c.id == bindparam("_id")) for name, table in TABLES.items() if "id" in table.c}


def read(connection: Connection, facts: model.LetterFacts, letter_id: int | None) -> Stored:
    """What ``plan.plan_letter`` needs for ``facts``: the stored letter ``letter_id`` (None: a new
    letter) with its commitments, and the departments, aliases and policies the letter names."""
    named = [d for d in (facts.meta.replying_department, *facts.departments) if d is not None]
    names = {d.name for d in named}
    placed = {form for d in named for form in placed_forms(d)}
    forms = names | {d.short for d in named} | {a for d in named for a in d.aliases}
    departments = {row.name: _department(row) for row in _select_in(connection, "departments", names | placed)}
    taken, user_aliases, place_aliases = set(), {}, {}
    for row in _select_in(connection, "aliases", forms):
        taken.add(row.alias)
        if row.source == USER:
            user_aliases[row.alias] = _department(row)
        elif row.place and row.alias.startswith(row.place) and len(row.alias) > len(row.place):
            place_aliases[row.alias] = _department(row)
    policies: dict[str, list[StoredPolicy]] = defaultdict(list)
    titles = {p.title for p in facts.policies} | {title for c in facts.commitments for title in c.policies}
    for row in _select_in(connection, "policies", titles):
        policies[row.title].append(StoredPolicy(row.id, row.title, row.doc_number, row.issuer, row.year))
    return Stored(letter=_letter(connection, letter_id) if letter_id is not None else None,
                  departments=departments, taken=frozenset(taken), user_aliases=user_aliases,
                  place_aliases=place_aliases,
                  policies={title: tuple(rows) for title, rows in policies.items()})


def _letter(connection: Connection, letter_id: int) -> StoredLetter:
    """A stored letter with its commitments, their partners and policies and what a person edited."""
    params = {"letter": letter_id}
    partners: dict[int, list[StoredPartner]] = defaultdict(list)
    for row in connection.execute(_PARTNERS, params):
        partners[row.commitment_id].append(StoredPartner(row.id, row.department_id, row.role, row.cue))
    policies: dict[int, set[int]] = defaultdict(set)
    for commitment_id, policy_id in connection.execute(_COMMITMENT_POLICIES, params):
        policies[commitment_id].add(policy_id)
    edited: dict[int, set[str]] = defaultdict(set)
    for commitment_id, field in connection.execute(_EDITED, params):
        edited[commitment_id].add(field)
    commitments = tuple(
        StoredCommitment(row.id, {key: row._mapping[key] for key in ("status", *COMMITMENT_COLUMNS)}, row.owner_name,
                         tuple(partners[row.id]), frozenset(policies[row.id]), frozenset(edited[row.id]))
        for row in connection.execute(_COMMITMENTS, params))
    return StoredLetter(letter_id, commitments, frozenset(connection.scalars(_LETTER_POLICIES, params)),
                        frozenset(connection.scalars(_LETTER_DEPARTMENTS, params)))


def _department(row) -> StoredDepartment:
    return StoredDepartment(row.id, row.name, row.place, row.functions)


def _select_in(connection: Connection, lookup: str, values) -> Sequence[Any]:
    """The rows of one of _lookups' statements for ``values``."""
    values = sorted(v for v in values if v is not None)
    rows: list = []
    for start in range(0, len(values), IN_BATCH):
        batch = values[start:start + IN_BATCH]
        if connection.dialect.name == "sqlite":
            rows.extend(_sqlite_select_in(connection, lookup, batch))
        else:
            rows.extend(connection.execute(_IN_LIST[lookup], {"values": batch}).all())
    return rows


# lookup -> its SQL (named parameters, the IN list written out per call) and the rows' type
_SQLITE_LOOKUPS: dict[str, tuple[str, Any]] = {}


def _sqlite_select_in(connection: Connection, lookup: str, values: list[str]) -> list:
    """``_select_in`` on SQLite, through the driver: SQLAlchemy's work on each statement's
    expanding list cost more than SQLite's look-up, three times a letter. The statement is
    SQLAlchemy's, compiled once, its list written out as the stdlib path writes lists
    (fastwrite.expanded); its columns are ids and text, which no type converts."""
    from sqlalchemy.dialects import sqlite

    from ouhai_tracker.store.fastwrite import expanded

    if lookup not in _SQLITE_LOOKUPS:
        statement = _IN_LIST[lookup]
        _SQLITE_LOOKUPS[lookup] = (str(statement.compile(dialect=sqlite.dialect(paramstyle="named"))),
                                   namedtuple(f"{lookup}_row", statement.selected_columns.keys()))
    sql, row = _SQLITE_LOOKUPS[lookup]
    driver = connection.connection.dbapi_connection
    assert driver is not None  # an open connection has one
    return [row._make(found) for found in driver.execute(*expanded(sql, {"values": values}))]


def apply(connection: Connection, plan: Plan) -> StoreOutcome:
    """Write ``plan``: its deletes, then table by table (a table after those it refers to) its
    inserts, each table's in one statement, and its updates, one statement per set of columns."""
    ids: dict[Row, int] = {}
    if plan.letter.id is not None and connection.info.get(word_search.UNINDEXED):
        # A letter stored earlier in this transaction (another version in the same import): its
        # rows go into the search index before they change, and again at the commit if this
        # letter's savepoint is rolled back.
        word_search.index_new(connection)
        word_search.stored_new(connection)

    def values(row: Row) -> dict:
        return {key: ids[value] if isinstance(value, Row) else value for key, value in row.values.items()}

    for table in reversed(SORTED_TABLES):
        for keys, rows in _by_columns(plan.deletes, table).items():
            _delete(connection, table, keys, [row.values for row in rows])
    for table in SORTED_TABLES:
        rows = plan.rows(table.name)
        if rows:
            new_ids = _insert(connection, table, [values(row) for row in rows], ids=table.name in WITH_IDS)
            ids.update(zip(rows, new_ids))
            if table is COMMITMENTS:
                word_search.stored_new(connection)  # indexed for search in bulk, before the commit
        for rows in _by_columns(plan.updates, table).values():
            _update(connection, table, [{"_id": row.id, **values(row)} for row in rows])
    letter_id = plan.letter.id if plan.letter.id is not None else ids[plan.letter]
    return dataclasses.replace(plan.outcome, letter_id=letter_id)


def _by_columns(rows: list[Row], table: Table) -> dict[tuple, list[Row]]:
    # An executemany takes the same columns in every row.
    groups: dict[tuple, list[Row]] = {}
    for row in rows:
        if row.table == table.name:
            groups.setdefault(tuple(row.values), []).append(row)
    return groups


def _insert(connection: Connection, table: Table, rows: list[dict], ids: bool = False) -> list[int]:
    """Insert ``rows`` in one statement (executemany); with ``ids``, their new ids in order."""
    dialect = connection.dialect
    if dialect.name == "sqlite":
        # SQLite numbers the rows in the order they are inserted: in this write transaction a
        # new rowid is the largest so far plus one, so the last one gives them all.
        last = _sqlite_insert(connection, table, rows)
        return list(range(last - len(rows) + 1, last + 1)) if ids else []
    if not ids:
        connection.execute(_INSERT[table.name], rows)
        return []
    if len(rows) == 1:
        return [_new_id(connection.execute(_INSERT[table.name], rows[0]))]
    if dialect.insert_executemany_returning_sort_by_parameter_order:  # PostgreSQL
        return list(connection.execute(_INSERT_RETURNING_IN_ORDER[table.name], rows).scalars())
    return [_new_id(connection.execute(_INSERT[table.name], row)) for row in rows]


def _new_id(result: CursorResult) -> int:
    key = result.inserted_primary_key
    assert key is not None  # the result of an INSERT of one row
    return key[0]


# (table, columns) -> what _compile_insert gives
_SQLITE_INSERTS: dict[tuple[str, tuple[str, ...]], tuple[str, list, dict]] = {}


def _sqlite_insert(connection: Connection, table: Table, rows: list[dict]) -> int:
    """Insert ``rows`` through the driver's executemany; returns the last new rowid.

    SQLAlchemy spent more time on each row's parameters than SQLite on writing the row. Here
    SQLAlchemy still compiles the statement, once per set of columns, each value goes through
    its column type's bind processor and the defaults SQLAlchemy would fill are filled; a test
    holds the rows to those SQLAlchemy's own executemany writes.
    """
    columns = tuple(rows[0])
    key = (table.name, columns)
    if key not in _SQLITE_INSERTS:
        _SQLITE_INSERTS[key] = _compile_insert(connection, table, columns)
    sql, params, defaults = _SQLITE_INSERTS[key]
    # A default is the same for every row: a value, or ``now`` (to the second) once per statement.
    filled = {name: default.arg if default.is_scalar else default.arg(None) for name, default in defaults.items()}
    values = []
    for row in rows:
        row = {**filled, **row} if filled else row
        values.append(tuple(row[name] if bind is None else bind(row[name]) for name, bind in params))
    driver = connection.connection.dbapi_connection
    assert driver is not None  # an open connection has one
    cursor = driver.cursor()
    try:
        cursor.executemany(sql, values)
        return cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
    finally:
        cursor.close()


def _compile_insert(connection: Connection, table: Table, columns: tuple[str, ...]) -> tuple[str, list, dict]:
    """The INSERT of ``columns`` and of the columns SQLAlchemy fills with a Python default when a
    row leaves them out: its SQL, each parameter in order with its type's bind processor, and
    those defaults (a value, or a function such as ``now``)."""
    defaults = {column.key: column.default for column in table.c
                if column.default is not None and column.key not in columns}
    for name, default in defaults.items():
        if not (default.is_scalar or default.is_callable):
            raise ValueError(f"{table.name}.{name}: a SQL default, not filled here")
    dialect = connection.dialect
    compiled = insert(table).values({name: bindparam(name) for name in (*columns, *defaults)}).compile(dialect=dialect)
    params = [(name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in compiled.positiontup or ()]
    return str(compiled), params, defaults


def _update(connection: Connection, table: Table, rows: list[dict]) -> None:
    connection.execute(_UPDATE[table.name], rows)


def _delete(connection: Connection, table: Table, keys: tuple, rows: list[dict]) -> None:
    connection.execute(delete(table).where(and_(*(table.c[key] == bindparam(key) for key in keys))), rows)
