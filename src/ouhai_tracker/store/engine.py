"""Which database, opened how: `--db` / TRACKER_DB / the user's data directory.

A value with ``://`` is a SQLAlchemy URL; anything else is a file path taken as
SQLite. On open the schema is brought to this version's revision:

- a new, empty database gets the schema and is stamped at the head revision;
- an older one (a lower revision, or one made before migrations existed, taken as
  the base revision) is backed up beside itself (SQLite) and upgraded with alembic;
- one written by a newer tracker (a revision this version does not know) is refused.

The common case costs one query (``SELECT version_num FROM alembic_version``), and on SQLite
one more to see whether the search index is there (store/word_search.py); alembic is
imported only when a database must be upgraded.

SQLite: WAL lets readers go on while someone writes, the busy timeout makes a writer wait
its turn, and a writing transaction starts with BEGIN IMMEDIATE so that two writers queue
up instead of one failing halfway ("database is locked" on a read-to-write upgrade).
"""
from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    exc,
    insert,
    inspect,
    text,
)
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session

from ouhai_tracker.errors import DatabaseError, NotFound, TrackerError
from ouhai_tracker.i18n import _
from ouhai_tracker.store import location, word_search
from ouhai_tracker.store.limits import BUSY_TIMEOUT_MS, CHECKPOINT_WAIT_MS
from ouhai_tracker.store.migrations import BASE, HEAD, REVISIONS, SCRIPT_LOCATION
from ouhai_tracker.store.models import DATABASE_ID, Base, Setting

# Set while a writing session_scope runs: its SQLite transaction begins IMMEDIATE.
_WRITING: ContextVar[bool] = ContextVar("tracker_writing", default=False)
# Cleared for imports: a letter is a file that can be imported again, so its commit need not wait
# for the disk (WAL with synchronous=NORMAL still survives any crash of the tracker; a power cut
# may undo the last letters). What a person records (done, edit, …) always waits for the disk.
_DURABLE: ContextVar[bool] = ContextVar("tracker_durable", default=True)
# Set while a command that must change nothing runs (a dry run): an older schema is not upgraded.
_NO_UPGRADE: ContextVar[str | None] = ContextVar("tracker_no_upgrade", default=None)


@contextmanager
def without_upgrade(command: str) -> Iterator[None]:
    """Databases opened meanwhile are not upgraded: ``command`` (a dry run) promised to write nothing."""
    token = _NO_UPGRADE.set(command)
    try:
        yield
    finally:
        _NO_UPGRADE.reset(token)


def default_path() -> Path:
    """The default database file, its folder made on first use."""
    path = location.default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def resolve_url(db: str | None = None) -> URL:
    """The SQLAlchemy URL for ``db`` (an option value), else $TRACKER_DB, else the default file
    (store/location.py says which)."""
    value = location.named(db)
    if isinstance(value, Path):
        return _sqlite_file(default_path() if value == location.default_path() else value)
    try:
        url = make_url(value)
        url.port  # noqa: B018 - a malformed port only shows when read
    except (exc.ArgumentError, ValueError):
        raise DatabaseError(_("malformed database URL {value!r}: expected e.g. sqlite:///tracker.db "
                              "or postgresql+psycopg://user@host/db").format(value=value)) from None
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise DatabaseError(_("database URL {value!r} names no file (an in-memory database keeps nothing): "
                              "give a file, e.g. sqlite:///tracker.db").format(value=value))
    return url


def _sqlite_file(path: Path) -> URL:
    # Built, not formatted: a path may hold characters that mean something in a URL (?, #).
    return URL.create("sqlite", database=str(path))


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL; None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The driver's own transaction handling is off: _sqlite_begin says when a transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as err:
        if "readonly" not in str(err):  # a database opened read-only (see _open) is read as it is
            raise
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    if _WRITING.get():
        connection.exec_driver_sql("PRAGMA synchronous=" + ("FULL" if _DURABLE.get() else "NORMAL"))
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _WRITING.get() else "BEGIN")


_ENGINES: dict[tuple[URL, bool], Engine] = {}
_WRITTEN: set[URL] = set()  # the SQLite databases this process changed: checkpointed at its end


def get_engine(url: URL, migrate: bool = True) -> Engine:
    """An engine for ``url``, its schema at this version's head; one per URL per process.

    ``migrate=False`` opens it as it is (`tracker db check` / `db upgrade` look before changing).
    """
    key = (url, migrate)
    if key not in _ENGINES:
        _ENGINES[key] = _open(url, migrate)
    return _ENGINES[key]


def forget_engines() -> None:
    """Close every engine this process opened (tests, and after `db upgrade`)."""
    checkpoint_written()
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
    _READ_COPIES.clear()


def _wrote(url: URL) -> None:
    if url.get_backend_name() == "sqlite":
        _WRITTEN.add(url)


def checkpoint_written() -> None:
    """Fold the WAL back into the database file of each SQLite database this process wrote
    (``PRAGMA wal_checkpoint(TRUNCATE)``), so the .db file holds everything and stands alone:
    a person who copies or mails it has their data. Called when a command ends. Best effort:
    if others are in the middle of a transaction it gives up after a moment; every commit is
    safe in the WAL meanwhile, and the next command to write folds it in."""
    for url in list(_WRITTEN):
        engine = _ENGINES.get((url, True)) or _ENGINES.get((url, False))
        if engine is None:
            continue
        try:
            with engine.connect() as connection:
                raw = _driver(connection)
                raw.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
                try:
                    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
                finally:
                    raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except (exc.SQLAlchemyError, sqlite3.Error):
            pass  # a read-only folder, a full disk: the data is in the WAL, committed
    _WRITTEN.clear()


get_engine.cache_clear = forget_engines  # type: ignore[attr-defined]


def _open(url: URL, migrate: bool) -> Engine:
    path = sqlite_path(url)
    options = {}
    if path is not None:
        _refuse_empty_file(path)
        if _read_only(path):
            options["creator"] = _read_only_connection(path)
    try:
        engine = create_engine(url, **options)
    except (exc.ArgumentError, exc.NoSuchModuleError) as err:
        raise DatabaseError(_("cannot use database {database}: {reason}").format(
            database=shown(url), reason=err)) from None
    except ImportError as err:
        raise DatabaseError(_("cannot use database {database}: driver not installed ({driver}); "
                              "for PostgreSQL: pip install 'ouhai-tracker[postgres]'").format(
            database=shown(url), driver=err.name)) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        if migrate:
            ensure_schema(engine)
        else:
            current_revision(engine)  # opens it: a damaged file fails here, with one line
        word_search.mark_engine(engine)
    except OlderReadOnly as err:
        engine.dispose()
        assert path is not None  # only a SQLite file is read-only here
        return _read_copy(url, path, str(err))
    except TrackerError:
        engine.dispose()
        raise
    except (exc.SQLAlchemyError, sqlite3.Error) as err:
        engine.dispose()
        raise DatabaseError(_("cannot open database {database}: {reason}").format(
            database=shown(url), reason=_reason(err))) from None
    return engine


# The older databases read through an upgraded copy, and why they cannot be changed (see _read_copy).
_READ_COPIES: dict[URL, str] = {}


def _read_copy(url: URL, path: Path, why: str) -> Engine:
    """An older database this process may not write (a read-only folder), read without changing it:
    copied through SQLite's backup API into a temporary folder, the copy upgraded and read. A change
    is refused with ``why`` (``refuse_read_copy``): it would be lost with the copy."""
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="tracker-read-"))
    atexit.register(shutil.rmtree, folder, True)
    copy = backup_sqlite(path, folder / "copy.db")
    engine = create_engine(URL.create("sqlite", database=str(copy)))
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    try:
        upgrade(engine, backup=False)
        word_search.mark_engine(engine)
    except BaseException:
        engine.dispose()
        raise
    _READ_COPIES[url] = why
    return engine


def refuse_read_copy(url: URL) -> None:
    """A change to a database read through a copy (``_read_copy``) is refused, saying why and how."""
    if url in _READ_COPIES:
        raise DatabaseError(_READ_COPIES[url])


EMPTY_FILE_WAIT = 1.0  # seconds another tracker may take to write a new database's first page


def _refuse_empty_file(path: Path) -> None:
    """An existing empty file is no database: SQLite would silently make it one (a mistyped
    --db report.txt). A tracker creating a new database writes its first page at once, so a
    file still empty after a moment is refused."""
    deadline = time.monotonic() + EMPTY_FILE_WAIT
    while True:
        try:
            if not path.is_file() or path.stat().st_size > 0:
                return
        except OSError:
            return  # opening it says what is wrong
        if time.monotonic() > deadline:
            raise DatabaseError(_("{path} is an empty file, not a tracker database: give another path, "
                                  "or delete the file to start a new database there").format(path=path))
        time.sleep(0.05)


def _read_only(path: Path) -> bool:
    """A database this process may read but not change: the file, or its folder, is read-only.
    Opened normally, SQLite could not even read it (WAL needs its -shm file beside it)."""
    return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _read_only_connection(path: Path):
    """Connections that read ``path`` without writing anything beside it. Without a -wal file
    nobody is writing it (no writer could, in a read-only folder), so it is read as immutable."""
    uri = read_only_uri(path)
    if not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)


# ---- schema versions ------------------------------------------------------------------------

VERSION_TABLE = Table("alembic_version", MetaData(),
                      Column("version_num", String(32), nullable=False),
                      PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))


@dataclass
class Revision:
    revision: str | None  # None: not versioned
    has_schema: bool  # the tracker's tables are there


def current_revision(engine_or_connection) -> Revision:
    """The database's schema revision: one query when it is versioned."""
    if isinstance(engine_or_connection, Engine):
        with engine_or_connection.connect() as connection:
            return current_revision(connection)
    connection = engine_or_connection
    outer = connection.in_transaction()
    try:
        # In a transaction, a savepoint: PostgreSQL aborts the whole transaction on an error.
        with connection.begin_nested() if outer else _no_context():
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return Revision(revision, True)
    except exc.DBAPIError as err:
        if not outer:
            connection.rollback()
        if not _missing_table(err):
            raise
    return Revision(None, inspect(connection).has_table("commitments"))


@contextmanager
def _no_context():
    yield


def _missing_table(err: exc.DBAPIError) -> bool:
    message = str(err.orig).lower()
    return "no such table" in message or "does not exist" in message or "undefined" in message


def ensure_schema(engine: Engine) -> None:
    state = current_revision(engine)
    if state.revision == HEAD:
        return
    if state.revision is None and not state.has_schema:
        _create_fresh(engine)
    elif state.revision is None or state.revision in REVISIONS:
        _may_upgrade(engine, state)
        upgrade(engine)
    else:
        raise _newer(engine.url, state.revision)


def _may_upgrade(engine: Engine, state: Revision) -> None:
    """Refuse, saying why and how, an upgrade that must not or cannot happen: in a dry run, or of
    a SQLite file this process may not write (its backup could not be written either)."""
    path = sqlite_path(engine.url)
    older = _("database {database} has schema revision {revision}, older than this tracker's ({head})").format(
        database=shown(engine.url), revision=state.revision or BASE, head=HEAD)
    if _NO_UPGRADE.get():
        raise DatabaseError(older + _(": {command} writes nothing, so it does not upgrade it; `tracker db upgrade` "
                                      "does (after a backup copy), then run it again").format(command=_NO_UPGRADE.get()))
    if path is not None and _read_only(path):
        raise OlderReadOnly(older + _(", and it cannot be upgraded here: the file or its folder is read-only; "
                                      "run `tracker db upgrade` where it can be written, or read a copy of it "
                                      "in a folder you may write"))


class OlderReadOnly(DatabaseError):
    """An older SQLite database this process may not write: read through an upgraded copy, never changed."""


def _newer(url: URL, revision: str) -> DatabaseError:
    return DatabaseError(_("database {database} has schema revision {revision}, newer than this tracker "
                           "knows (it knows up to {head}): it was written by a newer ouhai-tracker; "
                           "upgrade the tracker (pip install -U ouhai-tracker)").format(
        database=shown(url), revision=revision, head=HEAD))


@contextmanager
def _writing() -> Iterator[None]:
    token = _WRITING.set(True)
    try:
        yield
    finally:
        _WRITING.reset(token)


def _create_fresh(engine: Engine) -> None:
    """The schema and the head stamp in one transaction: a crash leaves an empty file, never half a schema."""
    with _writing(), engine.begin() as connection:
        state = current_revision(connection)  # another process may have won the race
        if state.revision is not None or state.has_schema:
            pass
        else:
            _wrote(engine.url)
            Base.metadata.create_all(connection)
            word_search.create_index(connection)  # as the migration 0007_search makes it
            VERSION_TABLE.create(connection)
            connection.execute(VERSION_TABLE.insert().values(version_num=HEAD))
            connection.execute(insert(Setting).values(key=DATABASE_ID, value=uuid.uuid4().hex))
            return
    ensure_schema(engine)  # it did: bring what it made up to date like any other database


@dataclass
class UpgradeResult:
    old: str | None  # None: was not versioned (taken as the base revision)
    new: str
    backup: str | None  # the copy written before upgrading (SQLite)


def upgrade(engine: Engine, backup: bool = True) -> UpgradeResult:
    """Back the database up (SQLite) and upgrade it to head with alembic, in one transaction.
    ``backup=False``: a copy made to be read (``_read_copy``) needs none."""
    state = current_revision(engine)
    if state.revision == HEAD:
        return UpgradeResult(HEAD, HEAD, None)
    if state.revision is not None and state.revision not in REVISIONS:
        raise _newer(engine.url, state.revision)
    if not state.has_schema:
        _create_fresh(engine)
        return UpgradeResult(None, HEAD, None)
    path = sqlite_path(engine.url)
    saved = backup_sqlite(path, timestamped_backup_path(path)) if path and backup else None

    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    connection = engine.connect()
    sqlite = engine.dialect.name == "sqlite"
    try:
        if sqlite:  # SQLite rebuilds altered tables; cascades must not fire while it drops the old copy
            _driver(connection).execute("PRAGMA foreign_keys=OFF")
        with _writing():
            connection.begin()
            config.attributes["connection"] = connection
            state = current_revision(connection)  # re-read under the lock
            if state.revision is None:
                command.stamp(config, BASE)
            if state.revision != HEAD:
                command.upgrade(config, "head")
            connection.commit()
            _wrote(engine.url)
    except KeyboardInterrupt:
        _abandon(connection)
        raise DatabaseError(_("interrupted while upgrading the schema of {database}: nothing was changed, the "
                              "database is as it was (revision {revision}); run the command again to upgrade it").format(
            database=shown(engine.url), revision=state.revision or BASE)) from None
    except BaseException:
        _abandon(connection)
        raise
    else:
        if sqlite:
            _driver(connection).execute("PRAGMA foreign_keys=ON")
        connection.close()
    return UpgradeResult(state.revision, HEAD, str(saved) if saved else None)


def _driver(connection: Connection) -> Any:
    """The driver's own connection under ``connection`` (for SQLite's PRAGMAs outside a transaction)."""
    raw = connection.connection.driver_connection
    assert raw is not None  # an open connection has one
    return raw


def _abandon(connection: Connection) -> None:
    """Roll back and drop a connection an upgrade was interrupted on (a Ctrl-C inside the driver
    leaves it invalid): the database keeps what it had, and no one reuses the connection."""
    try:
        connection.rollback()
    except Exception:  # noqa: BLE001 - already gone: closing it is all that is left
        pass
    try:
        connection.invalidate()
        connection.close()
    except Exception:  # noqa: BLE001
        pass


# ---- backup and check -----------------------------------------------------------------------

def timestamped_backup_path(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    candidate = path.with_name(f"{path.name}.bak-{stamp}")
    number = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak-{stamp}-{number}")
        number += 1
    return candidate


def read_only_uri(path: Path) -> str:
    """A URI that opens the SQLite file ``path`` read-only. Built with as_uri, which quotes what a
    URI would read otherwise (``my#1.db`` is not the file ``my`` with a fragment)."""
    return Path(path).expanduser().resolve().as_uri() + "?mode=ro"


def backup_sqlite(source: Path, destination: Path) -> Path:
    """A consistent copy through SQLite's backup API (safe while others read or write), written
    beside ``destination`` and renamed to it only once it holds every table and passes
    ``PRAGMA integrity_check``. A database without tables is refused: its copy would be empty."""
    temporary = destination.with_name(f".{destination.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with closing(sqlite3.connect(read_only_uri(source), uri=True)) as src:
            src.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            tables = _table_count(src)
            if not tables:
                raise DatabaseError(_("cannot back up {source}: it holds no tables (is it the right file?)").format(
                    source=source))
            with closing(sqlite3.connect(temporary)) as dst:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one file, standing alone: no -wal beside it
        with closing(sqlite3.connect(read_only_uri(temporary), uri=True)) as copy:
            copied = _table_count(copy)
            check = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        if copied != tables or check != ["ok"]:
            raise DatabaseError(_("cannot back up {source}: the copy failed its check ({copied} of {tables} tables, "
                                  "integrity: {integrity})").format(source=source, copied=copied, tables=tables,
                                                                    integrity="; ".join(check[:3])))
        os.replace(temporary, destination)
    except sqlite3.Error as err:
        temporary.unlink(missing_ok=True)
        raise DatabaseError(_("cannot back up {source} to {destination}: {reason}").format(
            source=source, destination=destination, reason=err)) from None
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise DatabaseError(_("cannot back up {source} to {destination}: {reason}").format(
            source=source, destination=destination, reason=err.strerror or err)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return destination


def _table_count(connection: sqlite3.Connection) -> int:
    return connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]


def integrity_problems(engine: Engine) -> list[str]:
    """SQLite's ``PRAGMA integrity_check`` findings; empty when the file is sound."""
    with engine.connect() as connection:
        rows = [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


# ---- sessions -------------------------------------------------------------------------------

def _reason(err: Exception) -> str:
    """The driver's own message, without SQLAlchemy's SQL echo and background link, plus a hint."""
    orig = getattr(err, "orig", None)
    message = str(orig if orig is not None else err).strip().splitlines()[0]
    lowered = message.lower()
    if "unable to open database file" in lowered:
        message += _(" (does the folder exist, and may you write to it?)")
    elif "readonly database" in lowered or "read-only" in lowered:
        message += _(" (the database file or its folder is read-only)")
    elif "not a database" in lowered or "malformed" in lowered:
        message += _(" (the file is damaged or not a tracker database; restore a backup, e.g. tracker.db.bak-…)")
    return message


# PostgreSQL's codes for losing a race with another transaction: the same key inserted by it first,
# a serialization failure, a deadlock. What lost may run again and see what the other did.
RACE_CODES = ("23505", "40001", "40P01")


class RaceLost(DatabaseError):
    """Another transaction changed the same rows first (PostgreSQL): running again sees its work."""


def _database_error(err: exc.SQLAlchemyError) -> DatabaseError:
    orig = getattr(err, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    kind = RaceLost if code in RACE_CODES else DatabaseError
    return kind(_("database error: {reason}").format(reason=_reason(err)))


def refuse_missing(url: URL) -> None:
    """Reading a SQLite file that is not there is an error: opening it would create an empty
    database, and a mistyped --db would then look like a database with nothing in it."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise NotFound(_("no database at {path} (a mistyped --db? `tracker import PATH` creates one)").format(
            path=path))


@contextmanager
def session_scope(db: str | None = None, write: bool = False, durable: bool = True) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back whole if it raises.

    ``write``: the block changes data; on SQLite it takes the write lock at its start.
    ``durable=False``: on SQLite the commit does not wait for the disk (see _DURABLE).
    """
    url = resolve_url(db)
    if not write:
        refuse_missing(url)
    engine = get_engine(url)
    if write:
        refuse_read_copy(url)
    token = _WRITING.set(write)
    durable_token = _DURABLE.set(durable)
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        if session.in_transaction():
            session.flush()
            word_search.index_new(session.connection())  # the commitments it stored, in one statement
        session.commit()
        if write:
            _wrote(engine.url)
    except exc.SQLAlchemyError as err:
        session.rollback()
        raise _database_error(err) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        _WRITING.reset(token)
        _DURABLE.reset(durable_token)


@contextmanager
def savepoint(session: Session, keep: bool = True) -> Iterator[None]:
    """A savepoint in ``session``'s transaction: kept when the block ends (rolled back with
    ``keep=False``), rolled back alone if the block raises, the rest of the transaction intact."""
    nested = session.begin_nested()
    try:
        yield
    except exc.SQLAlchemyError as err:
        nested.rollback()
        raise _database_error(err) from None
    except BaseException:
        nested.rollback()
        raise
    if keep:
        nested.commit()
    else:
        nested.rollback()
