"""--search in SQL: one condition per word (search.parse_words), served by an index where there is one.

SQLite: an FTS5 table with the trigram tokenizer over the commitments' text. New commitments
are indexed in bulk when their transaction commits (``index_new``, ten times faster than a
trigger row by row: an import's batch of letters is one statement); triggers keep changed and
removed rows.
A word of three characters or more is looked up there and then checked with LIKE (the index
folds more than A-Z, LIKE says exactly what matches); a shorter word, a -word, or a database
without the index reads LIKE alone. PostgreSQL: ILIKE, served by a pg_trgm GIN index when the
extension could be created.

The SQLite index is made by the migration 0007_search and for new databases by the engine.
A later migration that rebuilds the commitments table (batch mode) drops its triggers and
must create them again (``create_index``).
"""
from __future__ import annotations

import weakref
from collections.abc import Mapping

from sqlalchemy import (
    Boolean,
    Connection,
    Engine,
    String,
    and_,
    bindparam,
    column,
    exc,
    literal_column,
    not_,
    select,
    table,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from ouhai_tracker.store.models import Commitment
from ouhai_tracker.store.search import MIN_INDEXED, fts_phrase, like_pattern, parse_words, sqlite_trigram

FTS_TABLE = "commitments_fts"
PG_INDEX = "ix_commitments_text_trgm"
# The dialects of the engines whose SQLite database has a usable index (see mark_engine): kept
# here, not on SQLAlchemy's objects; an engine let go takes its dialect out.
_INDEXED: weakref.WeakSet = weakref.WeakSet()
UNINDEXED = "ouhai_tracker_unindexed_commitments"  # a key of Connection.info

# The trigger the migration 0007_search made and 0008_search_in_bulk replaced with index_new.
INSERT_TRIGGER = f"{FTS_TABLE}_insert"
INSERT_TRIGGER_DDL = f"""CREATE TRIGGER {INSERT_TRIGGER} AFTER INSERT ON commitments BEGIN
  INSERT INTO {FTS_TABLE} (rowid, text) VALUES (new.id, new.text);
END"""
# The rows stored since the index was last brought up to date: ids above the last indexed one
# (the docsize table has a row per indexed commitment; ids only grow within a writer's transaction).
INDEX_NEW = (f"INSERT INTO {FTS_TABLE} (rowid, text) SELECT id, text FROM commitments "
             f"WHERE id > (SELECT coalesce(max(id), 0) FROM {FTS_TABLE}_docsize)")

_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, content='commitments', content_rowid='id', "
    "tokenize='trigram')",
    f"""CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON commitments BEGIN
  INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
END""",
    f"""CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF id, text ON commitments BEGIN
  INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO {FTS_TABLE} (rowid, text) VALUES (new.id, new.text);
END""",
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')",  # the rows already there
)


def create_index(connection: Connection) -> bool:
    """Create the search index and fill it; False when this database cannot have one
    (a SQLite without FTS5's trigram tokenizer, a PostgreSQL role that may not create pg_trgm)."""
    if connection.dialect.name == "sqlite":
        if not sqlite_trigram():
            return False
        for statement in _SQLITE_DDL:
            connection.exec_driver_sql(statement)
        return True
    if connection.dialect.name == "postgresql":
        try:
            with connection.begin_nested():  # a refusal must not abort the whole transaction
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                connection.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON commitments "
                                           "USING gin (text gin_trgm_ops)")
        except exc.DBAPIError:
            return False
        return True
    return False


def stored_new(connection: Connection) -> None:
    """Note that commitments were inserted on ``connection``: index_new indexes them before it commits."""
    connection.info[UNINDEXED] = True


def index_new(connection: Connection) -> None:
    """Index the commitments stored since the index was last brought up to date, if this
    connection stored some (stored_new) and the engine found an index this SQLite can use
    (mark_engine). Called before every commit: a row must be in the index before anything
    changes it, or the trigger that takes its old text out would break the index."""
    if connection.info.pop(UNINDEXED, False) and connection.dialect in _INDEXED:
        connection.exec_driver_sql(INDEX_NEW)


def drop_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}")
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_INDEX}")


def has_sqlite_index(connection: Connection) -> bool:
    return connection.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                                      (FTS_TABLE,)).scalar_one() > 0


def mark_engine(engine: Engine) -> None:
    """Record whether the engine's SQLite database has an index this SQLite can read: the
    statements compiled for it use the index, or LIKE alone. One query, when the engine opens."""
    if engine.dialect.name != "sqlite":
        return
    ready = False
    if sqlite_trigram():
        with engine.connect() as connection:
            ready = has_sqlite_index(connection)
    if ready:
        _INDEXED.add(engine.dialect)
    else:
        _INDEXED.discard(engine.dialect)


def schema_object(name: str | None, type_: str, parent_names: Mapping) -> bool:
    """For alembic's include_name: the search index is kept outside the models."""
    return not (name and (name.startswith(FTS_TABLE) or name == PG_INDEX))


class TextContains(ColumnElement[bool]):
    """The commitment's text contains one word (case-insensitive for A-Z), as a composable
    condition; ``indexed=False`` never uses the index (a NOT gains nothing from it)."""

    __visit_name__ = "ouhai_text_contains"
    inherit_cache = True
    _traverse_internals = [("pattern", InternalTraversal.dp_clauseelement),
                           ("phrase", InternalTraversal.dp_clauseelement),
                           ("indexed", InternalTraversal.dp_boolean)]
    type = Boolean()
    _is_implicitly_boolean = True  # a condition in itself: no "= 1" on SQLite

    def __init__(self, word: str, indexed: bool = True):
        # One type whatever the word: a Chinese one would make its statement a Unicode variant.
        self.pattern = bindparam("search", like_pattern(word), type_=String(), unique=True)
        self.phrase = bindparam("search_phrase", fts_phrase(word), type_=String(), unique=True)
        self.indexed = indexed and len(word) >= MIN_INDEXED


@compiles(TextContains)
def _ilike(element: TextContains, compiler, **kw) -> str:
    return compiler.process(Commitment.text.ilike(element.pattern, escape="/"), **kw)


@compiles(TextContains, "sqlite")
def _sqlite(element: TextContains, compiler, **kw) -> str:
    like = Commitment.text.like(element.pattern, escape="/")
    if not (element.indexed and compiler.dialect in _INDEXED):
        return compiler.process(like, **kw)
    fts = table(FTS_TABLE, column("rowid"))
    hits = select(fts.c.rowid).where(literal_column(FTS_TABLE).op("MATCH")(element.phrase))
    return compiler.process(and_(Commitment.id.in_(hits), like).self_group(), **kw)


def search_conditions(text: str | None) -> list:
    """The conditions of a --search value: every include word, no exclude word."""
    include, exclude = parse_words(text)
    return [*(TextContains(word) for word in include), *(not_(TextContains(word, indexed=False)) for word in exclude)]
